import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ColumnChooser } from "./ColumnChooser.tsx";

describe("ColumnChooser", () => {
  it("opens a named dialog of the columns, and keeps at least one shown", async () => {
    const onChange = vi.fn();
    const columns = [
      { key: "name", header: "Name" },
      { key: "email", header: "E-mail" },
    ];
    render(<ColumnChooser columns={columns} hidden={["email"]} onChange={onChange} />);
    fireEvent.click(screen.getByRole("button", { name: "Columns" }));
    const dialog = await screen.findByRole("dialog", { name: "Columns shown" });
    fireEvent.click(within(dialog).getByRole("checkbox", { name: "E-mail" }));
    expect(onChange).toHaveBeenCalledWith([]);
    expect((within(dialog).getByRole("checkbox", { name: "Name" }) as HTMLInputElement).disabled).toBe(true);
  });
});

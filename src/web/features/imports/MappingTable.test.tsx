import { render, screen, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import type { ImportMapping } from "../../../shared/schemas/import.ts";
import { MappingTable, missingRequired } from "./MappingTable.tsx";

function Harness({ initial, errors }: { initial: ImportMapping; errors?: Record<string, string> }) {
  const [mapping, setMapping] = useState(initial);
  return (
    <>
      <MappingTable
        resource="contacts"
        columns={["Name", "Mail", "Notes"]}
        sampleRows={[
          { Name: "Ada", Mail: "ada@x.test", Notes: "" },
          { Name: "Bob", Mail: "bob@x.test", Notes: "" },
        ]}
        mapping={mapping}
        errors={errors ?? {}}
        onChange={(header, field) => setMapping((m) => ({ ...m, [header]: field }))}
      />
      <output aria-label="missing">{missingRequired("contacts", mapping).join(",")}</output>
    </>
  );
}

describe("MappingTable", () => {
  it("shows each column with its sample values and the suggested field", () => {
    render(<Harness initial={{ Name: null, Mail: "email", Notes: null }} />);
    const row = screen.getByRole("row", { name: /Mail/ });
    expect(within(row).getByText("ada@x.test, bob@x.test")).toBeTruthy();
    expect(screen.getByRole<HTMLSelectElement>("combobox", { name: "Field for column Mail" }).value).toBe("email");
    expect(screen.getByRole<HTMLSelectElement>("combobox", { name: "Field for column Notes" }).value).toBe("");
    expect(within(screen.getByRole("row", { name: /Notes/ })).getByText("empty")).toBeTruthy();
  });

  it("maps a column by choosing a field, and tells which required field is still missing", async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ Name: null, Mail: "email", Notes: null }} />);
    expect(screen.getByLabelText("missing").textContent).toBe("First name");
    await user.selectOptions(screen.getByRole("combobox", { name: "Field for column Name" }), "firstName");
    expect(screen.getByLabelText("missing").textContent).toBe("");
    const notes = screen.getByRole("combobox", { name: "Field for column Notes" });
    expect(within(notes).getByRole("option", { name: /E-mail — mapped from Mail/ })).toBeTruthy();
  });

  it("shows the server's problem under the column it names", () => {
    render(
      <Harness initial={{ Name: "firstName", Mail: null, Notes: null }} errors={{ Mail: '"x" is not a field' }} />,
    );
    const select = screen.getByRole("combobox", { name: "Field for column Mail" });
    expect(select.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(select.getAttribute("aria-describedby") ?? "")?.textContent).toBe(
      '"x" is not a field',
    );
  });
});

import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { CompanyField } from "./CompanyField.tsx";

const acme = { id: "0190f6c2-0000-7000-8000-000000000001", name: "Acme" };
const zenith = { id: "0190f6c2-0000-7000-8000-000000000002", name: "Zenith Works" };

describe("CompanyField", () => {
  it("edits in place by searching: Escape closes the list first, Enter chooses, Enter again saves", async () => {
    const user = userEvent.setup();
    const onSave = vi.fn(() => Promise.resolve());
    const api = mockApi({
      "GET /api/v1/companies": ({ url }) => ({
        body: { data: url.searchParams.get("q") === "zen" ? [zenith] : [acme, zenith], nextCursor: null },
      }),
    });
    await renderWithProviders(<CompanyField company={acme} canEdit onSave={onSave} />);

    await user.click(screen.getByRole("button", { name: "Edit Company" }));
    const input = screen.getByRole("combobox", { name: "Company" });
    expect((input as HTMLInputElement).value).toBe("Acme");
    await user.type(input, "zen");
    await screen.findByRole("option", { name: "Zenith Works" });
    await user.keyboard("{Escape}");
    // The list closed; the editor is still open.
    expect(screen.getByRole("combobox", { name: "Company" }).getAttribute("aria-expanded")).toBe("false");

    await user.clear(input);
    await user.type(input, "zen");
    await screen.findByText("1 match.");
    await user.keyboard("{Enter}");
    expect(onSave).not.toHaveBeenCalled();
    await user.keyboard("{Enter}");
    expect(onSave).toHaveBeenCalledWith(zenith.id);
    expect(api.calls.some((c) => c.url.searchParams.get("q") === "zen")).toBe(true);
  });
});

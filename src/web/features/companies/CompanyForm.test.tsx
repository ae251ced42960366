import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { CompanyForm } from "./CompanyForm.tsx";

describe("CompanyForm", () => {
  it("picks the country from a list and sends its ISO 3166 code", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    const api = mockApi({
      "GET /api/v1/companies/duplicates/check": { body: { data: [] } },
      "POST /api/v1/companies": { status: 201, body: { id: "0190f6c2-0000-7000-8000-0000000000c1", name: "Acme" } },
    });
    await renderWithProviders(<CompanyForm onDone={onDone} onCancel={vi.fn()} />);

    await user.type(screen.getByLabelText("Name"), "Acme");
    const country = screen.getByRole("combobox", { name: "Country" });
    expect(screen.getByRole("option", { name: "Germany" })).toBeTruthy();
    await user.selectOptions(country, "DE");
    await user.click(screen.getByRole("button", { name: /Create company/ }));

    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    const post = api.calls.find((call) => call.method === "POST");
    expect(post?.body).toMatchObject({ name: "Acme", address: { country: "DE" } });
  });

  it("keeps a country stored as text, which the list lacks, selected", async () => {
    mockApi({ "GET /api/v1/companies/duplicates/check": { body: { data: [] } } });
    const company = {
      id: "0190f6c2-0000-7000-8000-0000000000c2",
      name: "Imported",
      address: { city: "Lyon", country: "La France" },
      version: 1,
    } as unknown as Parameters<typeof CompanyForm>[0]["company"];
    await renderWithProviders(<CompanyForm company={company} onDone={vi.fn()} onCancel={vi.fn()} />);
    expect((screen.getByRole("combobox", { name: "Country" }) as HTMLSelectElement).value).toBe("La France");
  });

  it("speaks German", async () => {
    mockApi({});
    await setLanguage("de");
    await renderWithProviders(<CompanyForm onDone={vi.fn()} onCancel={vi.fn()} />);
    expect(screen.getByLabelText("Branche")).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Land" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Firma anlegen" })).toBeTruthy();
  });
});

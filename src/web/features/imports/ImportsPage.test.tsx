import { screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, signedInAs } from "../../test/render.tsx";
import { ImportsPage } from "./ImportsPage.tsx";

const history = { "GET /api/v1/imports": { body: { data: [], nextCursor: null } } };
const vcard = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\r\n";

describe("ImportsPage with a vCard file", () => {
  it("creates contacts from the cards at once, as text/vcard, and links to them", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      ...history,
      "POST /api/v1/contacts/vcards": { status: 201, body: { created: 2, ids: ["a", "b"] } },
    });
    await renderWithProviders(<ImportsPage />, { queryClient: signedInAs("manager") });
    await user.upload(screen.getByLabelText("Choose a file"), new File([vcard], "people.vcf", { type: "" }));

    expect(await screen.findByText("Created 2 contacts from the vCard file.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open contacts" }).getAttribute("href")).toBe("/contacts");
    const posted = api.calls.filter((call) => call.method === "POST");
    expect(posted.map((call) => call.path)).toEqual(["/api/v1/contacts/vcards"]);
    expect(posted[0]?.headers.get("content-type")).toBe("text/vcard");
    // No mapping step: the CSV upload was never asked.
    expect(api.calls.some((call) => call.method === "POST" && call.path === "/api/v1/imports")).toBe(false);
  });

  it("says that nothing was created, and which card is wrong", async () => {
    const user = userEvent.setup();
    mockApi({
      ...history,
      "POST /api/v1/contacts/vcards": {
        status: 400,
        body: {
          type: "/problems/validation",
          title: "Invalid request",
          status: 400,
          detail: "Some cards are invalid.",
          errors: [{ path: "cards.2.EMAIL", message: "Must be an e-mail address" }],
        },
      },
    });
    await renderWithProviders(<ImportsPage />, { queryClient: signedInAs("manager") });
    await user.upload(screen.getByLabelText("Choose a file"), new File([vcard], "people.vcf"));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("No contact was created: Some cards are invalid.");
    expect(alert.textContent).toContain("cards.2.EMAIL: Must be an e-mail address");
  });
});

import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defaultWorkspaceSettings } from "../../../shared/workspace-defaults.ts";
import { mockApi, renderPage, signedInAs, testMember, type ApiCall } from "../../test/render.tsx";
import { parseListSearch } from "../lists/list-search.ts";
import { ActivityListPage } from "./ActivityListPage.tsx";

const ada = { id: "0190f6c2-0000-7000-8000-0000000000a1", firstName: "Ada", lastName: "Lovelace", email: null };

const activity = (subject: string) => ({
  id: "0190f6c2-0000-7000-8000-0000000000b1",
  version: 1,
  createdAt: "2025-03-14T10:00:00.000Z",
  updatedAt: "2025-03-14T10:00:00.000Z",
  createdBy: testMember.user.id,
  deletedAt: null,
  type: "call",
  subject,
  body: null,
  direction: "outbound",
  occurredAt: "2025-03-14T10:00:00.000Z",
  durationMinutes: null,
  outcome: null,
  contactId: ada.id,
  leadId: null,
  dealId: null,
  companyId: null,
  contact: { id: ada.id, firstName: "Ada", lastName: "Lovelace" },
});

/** An activities API holding what was logged through it. */
function serve() {
  const logged: ReturnType<typeof activity>[] = [];
  const api = mockApi({
    "GET /api/v1/activities": () => ({ body: { data: logged, nextCursor: null } }),
    "GET /api/v1/activities/count": () => ({ body: { count: logged.length } }),
    "GET /api/v1/views": { body: { data: [], nextCursor: null } },
    "GET /api/v1/users": { body: { data: [{ ...testMember.user }], nextCursor: null } },
    "GET /api/v1/workspace": {
      body: { ...testMember.workspace, baseCurrency: "EUR", ...defaultWorkspaceSettings, version: 1 },
    },
    "GET /api/v1/contacts": { body: { data: [ada], nextCursor: null } },
    "POST /api/v1/activities": ({ body }) => {
      const saved = { ...activity((body as { subject: string }).subject), ...(body as object) };
      logged.push(saved);
      return { status: 201, body: saved };
    },
  });
  return api;
}

const posts = (calls: ApiCall[]) => calls.filter((call) => call.method === "POST");

async function renderActivities(role: "admin" | "agent" | "viewer") {
  return renderPage(
    "/activities",
    <>
      <ActivityListPage />
      <Toaster />
    </>,
    { validateSearch: parseListSearch, queryClient: signedInAs(role) },
  );
}

describe("ActivityListPage", () => {
  // The table draws the rows in view: give it a screen's size.
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 1280, 800));
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  });
  afterEach(() => vi.restoreAllMocks());

  it("logs an activity on a record picked in the dialog, then lists it and says so", async () => {
    const user = userEvent.setup();
    const api = serve();
    await renderActivities("agent");

    expect(await screen.findByText("No activities yet.")).toBeTruthy();
    await user.click(screen.getAllByRole("button", { name: "Log activity" })[0] as HTMLElement);
    const dialog = await screen.findByRole("dialog", { name: "Log activity" });
    // Nothing to link to yet: the form asks for a record, with a picker for each kind.
    for (const kind of ["Contact", "Company", "Deal", "Lead"])
      expect(within(dialog).getByRole("combobox", { name: kind })).toBeTruthy();
    await user.type(within(dialog).getByLabelText("Subject"), "Intro call");
    await user.click(within(dialog).getByRole("button", { name: "Log activity" }));
    expect(await within(dialog).findByText("Choose at least one record the activity is about")).toBeTruthy();
    expect(posts(api.calls)).toHaveLength(0);

    await user.type(within(dialog).getByRole("combobox", { name: "Contact" }), "ada");
    await user.click(await within(dialog).findByRole("option", { name: /Ada Lovelace/ }));
    await user.click(within(dialog).getByRole("button", { name: "Log activity" }));

    expect(await screen.findByText("Call logged.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(posts(api.calls)[0]?.body).toMatchObject({ type: "call", subject: "Intro call", contactId: ada.id });
    const table = await screen.findByRole("table", { name: "Activities" });
    expect(await within(table).findByText("Intro call")).toBeTruthy();
  });

  it("offers Log activity to roles that may create activities, not to viewers", async () => {
    serve();
    const { unmount } = await renderActivities("admin");
    await screen.findByText("No activities yet.");
    expect(screen.getAllByRole("button", { name: "Log activity" }).length).toBeGreaterThan(0);
    unmount();

    await renderActivities("viewer");
    await screen.findByText("No activities yet.");
    expect(screen.queryByRole("button", { name: "Log activity" })).toBeNull();
  });
});

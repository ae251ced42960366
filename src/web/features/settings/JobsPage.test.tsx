import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { Toaster } from "sonner";
import { describe, expect, it } from "vitest";
import { mockApi, renderWithProviders, signedInAs } from "../../test/render.tsx";
import type { JobRow } from "./jobs.api.ts";
import { JobsPage } from "./JobsPage.tsx";
import { settingsPagesFor } from "./settings-pages.ts";

const failed: JobRow = {
  id: "7c1f0c1e-2b7a-4d59-9a55-8f3c9f0e0a01",
  queue: "webhooks.deliver",
  state: "failed",
  attempts: 3,
  maxAttempts: 3,
  createdAt: "2026-03-02T10:00:00.000Z",
  runAfter: null,
  startedAt: "2026-03-02T10:00:07.000Z",
  completedAt: "2026-03-02T10:00:08.000Z",
  lastError: "The endpoint answered 500",
  data: { ids: { webhookId: "0190f6c2-0000-7000-8000-0000000000w1" }, otherFields: ["attempt"] },
};
const completed: JobRow = {
  ...failed,
  id: "7c1f0c1e-2b7a-4d59-9a55-8f3c9f0e0a02",
  queue: "imports.contacts",
  state: "completed",
  attempts: 1,
  lastError: null,
  data: { ids: {}, otherFields: [] },
};

function withToasts(ui: React.ReactElement) {
  return (
    <>
      {ui}
      <Toaster />
    </>
  );
}

describe("JobsPage", () => {
  it("lists the jobs with state, attempts, error and ids; only failed jobs can be retried", async () => {
    mockApi({ "GET /api/v1/jobs": { body: { data: [failed, completed], nextCursor: null } } });
    await renderWithProviders(<JobsPage />, { queryClient: signedInAs() });

    const table = await screen.findByRole("table");
    const [, first, second] = within(table).getAllByRole("row") as [HTMLElement, HTMLElement, HTMLElement];
    expect(first.textContent).toContain("webhooks.deliver");
    expect(first.textContent).toContain("Failed");
    expect(first.textContent).toContain("3 of 3");
    expect(first.textContent).toContain("The endpoint answered 500");
    expect(first.textContent).toContain("webhookId 0190f6c2-0000-7000-8000-0000000000w1");
    expect(first.textContent).toContain("Also: attempt");
    expect(within(first).getByRole("button", { name: /^Retry the webhooks.deliver job/ })).toBeTruthy();
    expect(second.textContent).toContain("Completed");
    expect(within(second).queryByRole("button", { name: /Retry/ })).toBeNull();
    // Phones get the same jobs as cards.
    expect(within(screen.getByRole("list", { name: "Background jobs" })).getAllByRole("listitem")).toHaveLength(2);
  });

  it("filters by state with tabs, asking the server for that state only", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/jobs": ({ url }) => {
        const state = url.searchParams.get("state");
        return { body: { data: [failed, completed].filter((job) => !state || job.state === state), nextCursor: null } };
      },
    });
    await renderWithProviders(<JobsPage />, { queryClient: signedInAs() });
    const tabs = screen.getByRole("tablist", { name: "Job state" });
    expect(within(tabs).getByRole("tab", { name: "All" }).getAttribute("aria-selected")).toBe("true");
    await screen.findByRole("table");

    await user.click(within(tabs).getByRole("tab", { name: "Failed" }));
    expect(within(tabs).getByRole("tab", { name: "Failed" }).getAttribute("aria-selected")).toBe("true");
    await waitFor(() => expect(within(screen.getByRole("table")).getAllByRole("row")).toHaveLength(2));
    expect(api.calls.map((call) => call.url.searchParams.get("state"))).toEqual([null, "failed"]);

    // Arrow keys move between tabs, as in any tab list.
    await user.keyboard("{ArrowRight}");
    expect(within(tabs).getByRole("tab", { name: "Retrying" }).getAttribute("aria-selected")).toBe("true");
    expect(await screen.findByText("No retrying jobs")).toBeTruthy();
    expect(api.calls.at(-1)?.url.searchParams.get("state")).toBe("retry");
  });

  it("retries a failed job with POST, confirms it in a toast and reloads the list", async () => {
    const user = userEvent.setup();
    let isRetried = false;
    const api = mockApi({
      "GET /api/v1/jobs": () => ({
        body: { data: [isRetried ? { ...failed, state: "retry", maxAttempts: 4 } : failed], nextCursor: null },
      }),
      [`POST /api/v1/jobs/${failed.id}/retry`]: () => {
        isRetried = true;
        return { body: { ...failed, state: "retry", maxAttempts: 4 } };
      },
    });
    await renderWithProviders(withToasts(<JobsPage />), { queryClient: signedInAs() });
    await user.click(
      within(await screen.findByRole("table")).getByRole("button", { name: /^Retry the webhooks.deliver job/ }),
    );

    expect(await screen.findByText("Retrying the webhooks.deliver job: a worker picks it up shortly.")).toBeTruthy();
    expect(api.calls.filter((call) => call.method === "POST").map((call) => call.path)).toEqual([
      `/api/v1/jobs/${failed.id}/retry`,
    ]);
    await waitFor(() => expect(within(screen.getByRole("table")).getByText("Retrying")).toBeTruthy());
    expect(screen.queryAllByRole("button", { name: /^Retry the/ })).toHaveLength(0);
  });

  it("says why a retry failed", async () => {
    const user = userEvent.setup();
    mockApi({
      "GET /api/v1/jobs": { body: { data: [failed], nextCursor: null } },
      [`POST /api/v1/jobs/${failed.id}/retry`]: {
        status: 404,
        body: {
          type: "/problems/not-found",
          title: "Not found",
          status: 404,
          detail: "No failed job with this id in this workspace.",
        },
      },
    });
    await renderWithProviders(withToasts(<JobsPage />), { queryClient: signedInAs() });
    await user.click(
      within(await screen.findByRole("table")).getByRole("button", { name: /^Retry the webhooks.deliver job/ }),
    );
    expect(
      await screen.findByText(
        "Could not retry the webhooks.deliver job: No failed job with this id in this workspace.",
      ),
    ).toBeTruthy();
  });

  it("loads older jobs with the cursor", async () => {
    const user = userEvent.setup();
    const api = mockApi({
      "GET /api/v1/jobs": ({ url }) => ({
        body: url.searchParams.get("cursor")
          ? { data: [completed], nextCursor: null }
          : { data: [failed], nextCursor: "next" },
      }),
    });
    await renderWithProviders(<JobsPage />, { queryClient: signedInAs() });
    await user.click(await screen.findByRole("button", { name: "Load more" }));
    await waitFor(() => expect(within(screen.getByRole("table")).getAllByRole("row")).toHaveLength(3));
    expect(api.calls.at(-1)?.url.searchParams.get("cursor")).toBe("next");
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("explains an empty list", async () => {
    mockApi({ "GET /api/v1/jobs": { body: { data: [], nextCursor: null } } });
    await renderWithProviders(<JobsPage />, { queryClient: signedInAs() });
    expect(await screen.findByText("No background jobs yet")).toBeTruthy();
  });

  it("asks nothing of the server for a role that may not see jobs, and is listed in settings for admins only", async () => {
    const api = mockApi({});
    await renderWithProviders(<JobsPage />, { queryClient: signedInAs("manager") });
    expect(screen.getByText("Only admins see the workspace’s background jobs.")).toBeTruthy();
    expect(api.calls).toHaveLength(0);
    const listsJobs = (role: "admin" | "manager" | "agent" | "viewer") =>
      settingsPagesFor(role).some((page) => page.to === "/admin/jobs");
    expect(listsJobs("admin")).toBe(true);
    expect(["manager", "agent", "viewer"].map((role) => listsJobs(role as "manager"))).toEqual([false, false, false]);
  });
});

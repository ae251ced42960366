import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiProblem } from "../../api/client.ts";
import { setLanguage } from "../../i18n/i18n.ts";
import { renderWithProviders, signedInAs } from "../../test/render.tsx";
import { RecordPage, RecordPageError, type RecordTab } from "./RecordPage.tsx";

const notFound = new ApiProblem({
  type: "/problems/not-found",
  title: "Not found",
  status: 404,
  detail: "No contact with this id.",
});
const unavailable = new ApiProblem({ type: "about:blank", title: "Service Unavailable", status: 503 });

describe("RecordPageError", () => {
  it("says a record that is not there does not exist, leads back to its list, and offers no Try again", async () => {
    await renderWithProviders(<RecordPageError collection="contacts" error={notFound} onRetry={vi.fn()} />);
    expect(screen.getByText("This contact does not exist or was deleted.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Back to contacts" }).getAttribute("href")).toBe("/contacts");
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
    expect(screen.queryByText("Could not load this.")).toBeNull();
  });

  it("says so in German, for each record type", async () => {
    await setLanguage("de");
    await renderWithProviders(<RecordPageError collection="companies" error={notFound} onRetry={vi.fn()} />);
    expect(screen.getByText("Diese Firma gibt es nicht, oder sie wurde gelöscht.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Zurück zu den Firmen" }).getAttribute("href")).toBe("/companies");
  });

  it("offers Try again for a failure that may pass", async () => {
    const onRetry = vi.fn();
    await renderWithProviders(<RecordPageError collection="deals" error={unavailable} onRetry={onRetry} />);
    expect(screen.getByText("Could not load this.")).toBeTruthy();
    screen.getByRole("button", { name: "Try again" }).click();
    expect(onRetry).toHaveBeenCalledOnce();
  });
});

const tabs: RecordTab[] = [
  { key: "details", label: "Details", content: <p>The details</p> },
  { key: "history", label: "History", content: <p>The history</p>, requires: { action: "read", resource: "history" } },
];

describe("RecordPage", () => {
  it("shows a tab that requires a permission only to roles that have it", async () => {
    for (const role of ["admin", "manager"] as const) {
      const { unmount } = await renderWithProviders(<RecordPage title="Ada" tabs={tabs} />, {
        queryClient: signedInAs(role),
      });
      expect(screen.getByRole("tab", { name: "History" }), role).toBeTruthy();
      unmount();
    }
    for (const role of ["agent", "viewer"] as const) {
      const { unmount } = await renderWithProviders(<RecordPage title="Ada" tabs={tabs} />, {
        queryClient: signedInAs(role),
      });
      expect(screen.getByRole("tab", { name: "Details" }), role).toBeTruthy();
      expect(screen.queryByRole("tab", { name: "History" }), role).toBeNull();
      unmount();
    }
  });
});

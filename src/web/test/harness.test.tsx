/** Checks the web test harness itself: happy-dom, React, the providers, the fetch mock and cleanup. */
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { render, screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders } from "./render.tsx";

function Counter() {
  const [count, setCount] = useState(0);
  return (
    <button type="button" onClick={() => setCount((c) => c + 1)}>
      Clicked {count} times
    </button>
  );
}

function ContactCount() {
  const count = useQuery({
    queryKey: ["count"],
    queryFn: async () => ((await (await fetch("/api/v1/contacts/count")).json()) as { count: number }).count,
  });
  return (
    <p>
      {count.isPending ? "Loading…" : `${count.data} contacts`} <Link to="/contacts">All contacts</Link>
    </p>
  );
}

describe("web test harness", () => {
  it("renders React in happy-dom and handles user events", async () => {
    render(<Counter />);
    await userEvent.click(screen.getByRole("button", { name: "Clicked 0 times" }));
    expect(screen.getByRole("button", { name: "Clicked 1 times" })).toBeTruthy();
  });

  it("starts every test from an empty document (Testing Library cleanup)", () => {
    expect(document.body.innerHTML).toBe("");
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("renders with a query client and a router, and answers fetch from mockApi", async () => {
    const api = mockApi({ "GET /api/v1/contacts/count": { body: { count: 42 } } });
    const { router } = await renderWithProviders(<ContactCount />, { url: "/dashboard" });
    expect(await screen.findByText(/42 contacts/)).toBeTruthy();
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /api/v1/contacts/count"]);
    await userEvent.click(screen.getByRole("link", { name: "All contacts" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/contacts"));
  });

  it("fails loudly on an API call the test did not expect", async () => {
    mockApi({});
    await expect(fetch("/api/v1/unknown")).rejects.toThrow(/no answer for GET \/api\/v1\/unknown/);
  });

  it("gives the next test the real fetch back", () => {
    expect(vi.isMockFunction(globalThis.fetch)).toBe(false);
  });
});

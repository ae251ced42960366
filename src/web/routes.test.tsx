import {
  Link,
  Outlet,
  RouterProvider,
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
} from "@tanstack/react-router";
import { render, screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { pendingOptions } from "./routes.tsx";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two pages as the app has them (at paths the app has, for Link's types): the second's code arrives on `release`. */
async function renderApp() {
  let release = () => {};
  const chunk = new Promise<{ SlowPage: () => React.ReactElement }>((resolve) => {
    release = () => resolve({ SlowPage: () => <h1>Slow page</h1> });
  });
  const rootRoute = createRootRoute({ component: Outlet });
  const home = createRoute({
    getParentRoute: () => rootRoute,
    path: "/",
    component: () => <Link to="/imports">Open the slow page</Link>,
  });
  const slow = createRoute({
    getParentRoute: () => rootRoute,
    path: "/imports",
    component: lazyRouteComponent(() => chunk, "SlowPage"),
  });
  const router = createRouter({
    routeTree: rootRoute.addChildren([home, slow]),
    history: createMemoryHistory({ initialEntries: ["/"] }),
    ...pendingOptions,
  });
  await router.load();
  render(<RouterProvider router={router} />);
  return { release: () => release() };
}

describe("the router's loading state", () => {
  it("shows a loading status while a page's code takes a moment, not for a fast one", async () => {
    const user = userEvent.setup();
    const { release } = await renderApp();
    await user.click(await screen.findByRole("link", { name: "Open the slow page" }));

    // A fast page would be there by now: nothing flashes.
    await wait(100);
    expect(screen.queryByRole("status", { name: "Loading" })).toBeNull();

    expect(await screen.findByRole("status", { name: "Loading" }, { timeout: 2000 })).toBeTruthy();
    release();
    expect(await screen.findByRole("heading", { name: "Slow page" })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("status", { name: "Loading" })).toBeNull());
  });
});

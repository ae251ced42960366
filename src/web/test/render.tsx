/**
 * Helpers for component tests of the web app (the "web" Vitest project, happy-dom).
 *
 * - renderWithProviders(ui): renders inside a fresh QueryClient (no retries, no cache between
 *   tests) and a memory router, so components using queries, Link or useNavigate work.
 * - renderPage(path, ui): the same, with `ui` at its own route of the signed-in app, so pages
 *   reading their URL (`useSearch({ from: "/app/tasks" })`) work.
 * - mockApi(routes): replaces fetch with answers per "METHOD /api/v1/path"; unknown calls fail the
 *   test loudly, and every call is recorded for assertions.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  Outlet,
  RouterProvider,
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  type AnyRouter,
} from "@tanstack/react-router";
import { render, screen, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { vi } from "vitest";

export type ProvidersOptions = {
  /** The URL the memory router starts at (default "/"). */
  url?: string;
  queryClient?: QueryClient;
};

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity, staleTime: Infinity }, mutations: { retry: false } },
  });
}

/** The signed-in member the settings tests act as: Ada, of the workspace Acme. */
export const testMember = {
  user: { id: "0190f6c2-0000-7000-8000-0000000000e1", email: "ada@example.com", name: "Ada" },
  workspace: { id: "0190f6c2-0000-7000-8000-0000000000f1", name: "Acme" },
};

/** A fresh QueryClient in which testMember is signed in with `role`. */
export function signedInAs(role: "admin" | "manager" | "agent" | "viewer" = "admin"): QueryClient {
  const queryClient = testQueryClient();
  const { user, workspace } = testMember;
  queryClient.setQueryData(["me"], { user, workspaces: [workspace], activeWorkspaceId: workspace.id, role });
  return queryClient;
}

/** Renders `ui` at every path of a memory router, inside a fresh QueryClient. */
export async function renderWithProviders(
  ui: ReactElement,
  options: ProvidersOptions = {},
): Promise<RenderResult & { queryClient: QueryClient; router: AnyRouter }> {
  const queryClient = options.queryClient ?? testQueryClient();
  const rootRoute = createRootRoute();
  const page = () => ui;
  const routeTree = rootRoute.addChildren([
    createRoute({ getParentRoute: () => rootRoute, path: "/", component: page }),
    createRoute({ getParentRoute: () => rootRoute, path: "$", component: page }),
  ]);
  return mount(routeTree, queryClient, options.url ?? "/");
}

/** Renders a route tree at `url` with the query client, as the app's root does. */
async function mount(
  routeTree: Parameters<typeof createRouter>[0]["routeTree"],
  queryClient: QueryClient,
  url: string,
): Promise<RenderResult & { queryClient: QueryClient; router: AnyRouter }> {
  const router: AnyRouter = createRouter({ routeTree, history: createMemoryHistory({ initialEntries: [url] }) });
  await router.load();
  const result = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, queryClient, router };
}

/**
 * Renders a page at its path under the signed-in layout (route id "app", as routes.tsx has it),
 * with its route's search validation, in a fresh QueryClient; other paths show nothing. The URL
 * starts at `options.url`, else the page's path.
 */
export async function renderPage(
  path: string,
  ui: ReactElement,
  options: ProvidersOptions & { validateSearch?: (search: Record<string, unknown>) => object } = {},
): Promise<RenderResult & { queryClient: QueryClient; router: AnyRouter }> {
  const queryClient = options.queryClient ?? testQueryClient();
  const rootRoute = createRootRoute();
  const appRoute = createRoute({ getParentRoute: () => rootRoute, id: "app", component: Outlet });
  const routeTree = rootRoute.addChildren([
    appRoute.addChildren([
      createRoute({
        getParentRoute: () => appRoute,
        path,
        validateSearch: options.validateSearch,
        component: () => ui,
      }),
      createRoute({ getParentRoute: () => appRoute, path: "$", component: () => null }),
    ]),
  ]);
  return mount(routeTree, queryClient, options.url ?? path);
}

type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };
type Handler = Answer | ((request: { url: URL; body: unknown; headers: Headers }) => Answer | Promise<Answer>);

export type ApiCall = { method: string; path: string; url: URL; body: unknown; headers: Headers };

/**
 * Stubs fetch. Keys are "GET /api/v1/contacts" (the query string is ignored for matching, and is
 * on `call.url`). Answers are JSON; a status ≥ 400 should carry a problem+json body.
 */
export function mockApi(routes: Record<string, Handler>): { calls: ApiCall[] } {
  const calls: ApiCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), "http://localhost");
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, path: url.pathname, url, body, headers });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) throw new Error(`mockApi: no answer for ${method} ${url.pathname}${url.search}`);
    const answer = typeof handler === "function" ? await handler({ url, body, headers }) : handler;
    const status = answer.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
      status,
      headers: {
        "content-type": status >= 400 ? "application/problem+json" : "application/json",
        ...answer.headers,
      },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls };
}

export { screen };

import {
  Outlet,
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
} from "@tanstack/react-router";
import { queryClient } from "./api/query-client.ts";
import { ErrorMessage, PageLoading } from "./components/Feedback.tsx";
import { meQuery } from "./features/auth/session.ts";
import { parseAuditSearch } from "./features/audit/audit-search.ts";
import { parseListSearch } from "./features/lists/list-search.ts";
import { settingsPagesFor } from "./features/settings/settings-pages.ts";
import { AppShell } from "./layout/AppShell.tsx";
import { NotFoundPage } from "./layout/NotFoundPage.tsx";

const rootRoute = createRootRoute({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: (
    search: Record<string, unknown>,
  ): { redirect?: string | undefined; sso_error?: string | undefined } => ({
    // Only same-site paths: an open redirect would let a link send users elsewhere after signing in.
    redirect: typeof search.redirect === "string" && /^\/(?!\/)/.test(search.redirect) ? search.redirect : undefined,
    // Why a sign-in through the workspace's provider failed (a code, never the provider's text).
    sso_error: typeof search.sso_error === "string" ? search.sso_error : undefined,
  }),
  // Lazy like every page: the sign-in form's schema library is not needed by signed-in users.
  component: lazyRouteComponent(() => import("./features/auth/SignInPage.tsx"), "SignInPage"),
});

/** A page for visitors (signed in or not): sign-up, e-mail links, SSO. `token` comes from e-mailed links. */
function publicPage<P extends string>(path: P, load: PageModule, name: string) {
  return createRoute({
    getParentRoute: () => rootRoute,
    path,
    validateSearch: (search: Record<string, unknown>) => ({
      token: typeof search.token === "string" ? search.token : undefined,
    }),
    component: lazyPage(load, name),
    errorComponent: routeError,
  });
}

/** Every page behind sign-in: the guard sends visitors to sign-in and back to where they wanted to go. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: async ({ location }) => {
    const me = await queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: "/sign-in", search: { redirect: location.href } });
  },
  component: AppShell,
});

type PageModule = () => Promise<Record<string, unknown>>;
const routeError = ({ error, reset }: { error: unknown; reset: () => void }) => (
  <ErrorMessage error={error} onRetry={reset} />
);
const lazyPage = (load: PageModule, name: string) =>
  lazyRouteComponent(load as () => Promise<Record<string, never>>, name as never);

/** A page inside the shell, loaded as its own chunk, with its own error boundary. */
function page<P extends string>(path: P, load: PageModule, name: string) {
  return createRoute({
    getParentRoute: () => appRoute,
    path,
    component: lazyPage(load, name),
    errorComponent: routeError,
  });
}

/** A list page: like `page`, with the list's filters, sort, search and view in the URL. */
function listPage<P extends string>(path: P, load: PageModule, name: string) {
  return createRoute({
    getParentRoute: () => appRoute,
    path,
    validateSearch: parseListSearch,
    component: lazyPage(load, name),
    errorComponent: routeError,
  });
}

/** The settings area: its layout (side list of pages), then one page per setting. */
const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/settings",
  component: lazyPage(() => import("./features/settings/SettingsLayout.tsx"), "SettingsLayout"),
  errorComponent: routeError,
});

/** `/settings` opens the first settings page the role may see; a role that may see none goes home. */
const settingsIndexRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: "/",
  beforeLoad: async () => {
    const me = await queryClient.ensureQueryData(meQuery);
    const first = settingsPagesFor(me?.role)[0];
    throw redirect({ to: first?.to ?? "/", replace: true });
  },
});

function settingsPage<P extends string>(path: P, load: PageModule, name: string) {
  return createRoute({
    getParentRoute: () => settingsRoute,
    path,
    component: lazyPage(load, name),
    errorComponent: routeError,
  });
}

/**
 * `/admin/…`: admin pages at the addresses the product names (the audit log, jobs), shown in the
 * settings area's layout and listed in its side list (settings-pages.ts).
 */
const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/admin",
  component: lazyPage(() => import("./features/settings/SettingsLayout.tsx"), "SettingsLayout"),
  errorComponent: routeError,
});

/** The audit log, with its filters in the URL so a filtered view can be shared. */
const auditLogRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "/audit-logs",
  validateSearch: parseAuditSearch,
  component: lazyPage(() => import("./features/audit/AuditLogPage.tsx"), "AuditLogPage"),
  errorComponent: routeError,
});

/** Background jobs of the workspace, with a retry for failed ones. */
const jobsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "/jobs",
  component: lazyPage(() => import("./features/settings/JobsPage.tsx"), "JobsPage"),
  errorComponent: routeError,
});

/** Webhook endpoints and their delivery logs. */
const integrationsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "/integrations",
  component: lazyPage(() => import("./features/webhooks/IntegrationsPage.tsx"), "IntegrationsPage"),
  errorComponent: routeError,
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  publicPage("/sign-up", () => import("./features/auth/SignUpPage.tsx"), "SignUpPage"),
  publicPage("/verify-email", () => import("./features/auth/VerifyEmailPage.tsx"), "VerifyEmailPage"),
  publicPage("/forgot-password", () => import("./features/auth/ForgotPasswordPage.tsx"), "ForgotPasswordPage"),
  publicPage("/reset-password", () => import("./features/auth/ResetPasswordPage.tsx"), "ResetPasswordPage"),
  publicPage("/accept-invitation", () => import("./features/auth/AcceptInvitationPage.tsx"), "AcceptInvitationPage"),
  publicPage("/sso", () => import("./features/auth/SsoSignInPage.tsx"), "SsoSignInPage"),
  appRoute.addChildren([
    page("/", () => import("./features/dashboard/DashboardPage.tsx"), "DashboardPage"),
    listPage("/contacts", () => import("./features/contacts/ContactListPage.tsx"), "ContactListPage"),
    page("/contacts/$id", () => import("./features/contacts/ContactPage.tsx"), "ContactPage"),
    listPage("/companies", () => import("./features/companies/CompanyListPage.tsx"), "CompanyListPage"),
    page("/companies/$id", () => import("./features/companies/CompanyPage.tsx"), "CompanyPage"),
    listPage("/leads", () => import("./features/leads/LeadListPage.tsx"), "LeadListPage"),
    page("/leads/$id", () => import("./features/leads/LeadPage.tsx"), "LeadPage"),
    listPage("/deals", () => import("./features/deals/DealListPage.tsx"), "DealListPage"),
    page("/deals/$id", () => import("./features/deals/DealPage.tsx"), "DealPage"),
    listPage("/activities", () => import("./features/activities/ActivityListPage.tsx"), "ActivityListPage"),
    listPage("/tasks", () => import("./features/tasks/TaskListPage.tsx"), "TaskListPage"),
    page("/tasks/$id", () => import("./features/tasks/TaskPage.tsx"), "TaskPage"),
    page("/duplicates", () => import("./features/duplicates/DuplicatesPage.tsx"), "DuplicatesPage"),
    page("/imports", () => import("./features/imports/ImportsPage.tsx"), "ImportsPage"),
    settingsRoute.addChildren([
      settingsIndexRoute,
      settingsPage("/profile", () => import("./features/settings/ProfilePage.tsx"), "ProfilePage"),
      settingsPage("/workspace", () => import("./features/settings/WorkspacePage.tsx"), "WorkspacePage"),
      settingsPage("/users", () => import("./features/settings/UsersPage.tsx"), "UsersPage"),
      settingsPage("/invitations", () => import("./features/settings/InvitationsPage.tsx"), "InvitationsPage"),
      settingsPage(
        "/bulk-operations",
        () => import("./features/settings/BulkOperationsPage.tsx"),
        "BulkOperationsPage",
      ),
      settingsPage("/api-keys", () => import("./features/settings/ApiKeysPage.tsx"), "ApiKeysPage"),
      settingsPage("/sso", () => import("./features/settings/SsoPage.tsx"), "SsoPage"),
      settingsPage("/pipelines", () => import("./features/pipelines/PipelinesPage.tsx"), "PipelinesPage"),
      settingsPage("/sign-ins", () => import("./features/settings/SignInHistoryPage.tsx"), "SignInHistoryPage"),
      settingsPage("/outbox", () => import("./features/settings/OutboxPage.tsx"), "OutboxPage"),
    ]),
    adminRoute.addChildren([auditLogRoute, jobsRoute, integrationsRoute]),
  ]),
]);

/**
 * While a page (its code chunk, its guard) loads: the current page stays for a moment, then the
 * spinner shows, so a fast load never flashes it and a slow one is not a page that seems stuck.
 */
export const pendingOptions = {
  defaultPendingComponent: PageLoading,
  defaultPendingMs: 200,
  defaultPendingMinMs: 0,
} as const;

export const router = createRouter({
  routeTree,
  defaultPreload: "intent",
  ...pendingOptions,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}

import type { Action, Resource, Role } from "../../../shared/permissions.ts";
import { canAct } from "../../../shared/permissions.ts";
import { useCan } from "../auth/session.ts";

type Access = { action: Action; resource: Resource } | null;

/**
 * The pages of the settings area, in the order of its side list. Each is shown to the roles the
 * permissions table lets do `access.action` on `access.resource`; `access: null` is everyone's.
 */
export const settingsPages = [
  {
    to: "/settings/profile",
    label: "Profile",
    description: "Name, password, two-factor sign-in, sessions",
    access: null,
  },
  {
    to: "/settings/workspace",
    label: "Workspace",
    description: "Name, currency, time zone, formats, lost reasons, activity types",
    access: { action: "update", resource: "workspace" },
  },
  {
    to: "/settings/users",
    label: "Users",
    description: "Roles, deactivation and removal",
    access: { action: "update", resource: "user" },
  },
  {
    to: "/settings/invitations",
    label: "Invitations",
    description: "Invite people to the workspace",
    access: { action: "read", resource: "invitation" },
  },
  {
    to: "/settings/api-keys",
    label: "API keys",
    description: "Keys for integrations",
    access: { action: "read", resource: "apiKey" },
  },
  {
    to: "/settings/pipelines",
    label: "Pipelines",
    description: "Pipelines and their stages",
    access: { action: "update", resource: "pipeline" },
  },
  {
    to: "/settings/sso",
    label: "Single sign-on",
    description: "Sign-in with your OpenID Connect provider",
    access: { action: "read", resource: "sso" },
  },
  {
    to: "/settings/sign-ins",
    label: "Sign-in history",
    description: "Every member's sign-ins",
    access: { action: "read", resource: "signIn" },
  },
  {
    to: "/admin/audit-logs",
    label: "Audit log",
    description: "Who changed what, and when",
    access: { action: "read", resource: "auditLog" },
  },
  {
    to: "/admin/integrations",
    label: "Integrations",
    description: "Webhook endpoints and their delivery logs",
    access: { action: "read", resource: "webhook" },
  },
  {
    to: "/admin/jobs",
    label: "Background jobs",
    description: "Webhook deliveries and other work, failed jobs to retry",
    access: { action: "read", resource: "job" },
  },
  {
    to: "/settings/outbox",
    label: "Mail outbox",
    description: "E-mail kept when no SMTP server is set",
    access: { action: "read", resource: "outbox" },
  },
] as const satisfies readonly { to: string; label: string; description: string; access: Access }[];

export type SettingsPage = (typeof settingsPages)[number];

/** The settings pages a role may see (for the router, which has no hooks). */
export function settingsPagesFor(role: Role | null | undefined): SettingsPage[] {
  return role ? settingsPages.filter((p) => p.access === null || canAct(role, p.access.action, p.access.resource)) : [];
}

/** The settings pages the signed-in user may see; empty: no "Settings" link anywhere. */
export function useSettingsPages(): SettingsPage[] {
  const can = useCan();
  return settingsPages.filter((p) => p.access === null || can(p.access.action, p.access.resource));
}

import type { Action, Resource, Role } from "../../../shared/permissions.ts";
import { canAct } from "../../../shared/permissions.ts";
import { t } from "../../i18n/i18n.ts";
import { useCan } from "../auth/session.ts";

type Access = { action: Action; resource: Resource } | null;

/**
 * The pages of the settings area, in the order of its side list. Each is shown to the roles the
 * permissions table lets do `access.action` on `access.resource`; `access: null` is everyone's.
 * Labels and descriptions are getters: each read is in the interface's language of that moment.
 */
export const settingsPages = [
  {
    to: "/settings/profile",
    get label() {
      return t("settings.pages.profile.label");
    },
    get description() {
      return t("settings.pages.profile.description");
    },
    access: null,
  },
  {
    to: "/settings/workspace",
    get label() {
      return t("settings.pages.workspace.label");
    },
    get description() {
      return t("settings.pages.workspace.description");
    },
    access: { action: "update", resource: "workspace" },
  },
  {
    to: "/settings/users",
    get label() {
      return t("settings.pages.users.label");
    },
    get description() {
      return t("settings.pages.users.description");
    },
    access: { action: "update", resource: "user" },
  },
  {
    to: "/settings/invitations",
    get label() {
      return t("settings.pages.invitations.label");
    },
    get description() {
      return t("settings.pages.invitations.description");
    },
    access: { action: "read", resource: "invitation" },
  },
  {
    to: "/settings/bulk-operations",
    get label() {
      return t("settings.pages.bulkOperations.label");
    },
    get description() {
      return t("settings.pages.bulkOperations.description");
    },
    // Whoever may change records: agents see their own bulk changes, admins and managers everyone's.
    access: { action: "update", resource: "contact" },
  },
  {
    to: "/settings/api-keys",
    get label() {
      return t("settings.pages.apiKeys.label");
    },
    get description() {
      return t("settings.pages.apiKeys.description");
    },
    access: { action: "read", resource: "apiKey" },
  },
  {
    to: "/settings/pipelines",
    get label() {
      return t("settings.pages.pipelines.label");
    },
    get description() {
      return t("settings.pages.pipelines.description");
    },
    access: { action: "update", resource: "pipeline" },
  },
  {
    to: "/settings/sso",
    get label() {
      return t("settings.pages.sso.label");
    },
    get description() {
      return t("settings.pages.sso.description");
    },
    access: { action: "read", resource: "sso" },
  },
  {
    to: "/settings/sign-ins",
    get label() {
      return t("settings.pages.signIns.label");
    },
    get description() {
      return t("settings.pages.signIns.description");
    },
    access: { action: "read", resource: "signIn" },
  },
  {
    to: "/admin/audit-logs",
    get label() {
      return t("settings.pages.auditLog.label");
    },
    get description() {
      return t("settings.pages.auditLog.description");
    },
    access: { action: "read", resource: "auditLog" },
  },
  {
    to: "/admin/integrations",
    get label() {
      return t("settings.pages.integrations.label");
    },
    get description() {
      return t("settings.pages.integrations.description");
    },
    access: { action: "read", resource: "webhook" },
  },
  {
    to: "/admin/jobs",
    get label() {
      return t("settings.pages.jobs.label");
    },
    get description() {
      return t("settings.pages.jobs.description");
    },
    access: { action: "read", resource: "job" },
  },
  {
    to: "/settings/outbox",
    get label() {
      return t("settings.pages.outbox.label");
    },
    get description() {
      return t("settings.pages.outbox.description");
    },
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

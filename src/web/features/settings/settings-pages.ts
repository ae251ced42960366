import type { Action, Resource, Role } from "../../../shared/permissions.ts";
import { canAct } from "../../../shared/permissions.ts";
import { useCan } from "../auth/session.ts";

/**
 * The pages of the settings area, in the order of its side list. Each is shown to the roles the
 * permissions table lets do `action` on `resource`; profile, users and sessions join here later.
 */
export const settingsPages = [
  {
    to: "/settings/api-keys",
    label: "API keys",
    description: "Keys for integrations",
    action: "read",
    resource: "apiKey",
  },
] as const satisfies readonly { to: string; label: string; description: string; action: Action; resource: Resource }[];

export type SettingsPage = (typeof settingsPages)[number];

/** The settings pages a role may see (for the router, which has no hooks). */
export function settingsPagesFor(role: Role | null | undefined): SettingsPage[] {
  return role ? settingsPages.filter((p) => canAct(role, p.action, p.resource)) : [];
}

/** The settings pages the signed-in user may see; empty: no "Settings" link anywhere. */
export function useSettingsPages(): SettingsPage[] {
  const can = useCan();
  return settingsPages.filter((p) => can(p.action, p.resource));
}

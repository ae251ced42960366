import { t } from "../../i18n/i18n.ts";
import { labelOf } from "../../lib/format.ts";
import { recordRoutes } from "../activities/linked-records.ts";
import type { AuditRow } from "./audit.api.ts";

/*
 * The words of the audit log live in src/web/i18n/locales/<language>/audit.json: `resources` for
 * nouns where spelling the word out is not enough, `actions` for a phrase per known action,
 * `verbs` and `fields`. Actions, resource types and fields are open-ended (the server adds new
 * ones), so they are looked up by their name, and spelled out when there is no word for them.
 */

/** "api_key" → "API key", "contact" → "Contact". */
export function resourceLabelOf(resourceType: string): string {
  const spelled = labelOf(resourceType.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
  return t(`audit.resources.${resourceType}`, { defaultValue: spelled });
}

/**
 * A readable action, also for actions this app does not know yet: `contact.updated` → "Contact
 * updated", `lead.status_changed` → "Lead status changed", `contact.` → "Contact: any action".
 */
export function actionLabelOf(action: string): string {
  const dot = action.indexOf(".");
  if (dot < 0) return labelOf(action);
  const resourceType = action.slice(0, dot);
  const verbName = action.slice(dot + 1);
  const resource = resourceLabelOf(resourceType);
  if (!verbName) return t("audit.action.anyAction", { resource });
  const verb = t(`audit.verbs.${verbName}`, { defaultValue: verbName.replace(/[_-]/g, " ") });
  return t(`audit.actions.${resourceType}.${verbName}`, {
    defaultValue: t("audit.action.phrase", { resource, verb }),
  });
}

/** Who did it: a member's name, "API key <name>", or "Keel" for what Keel did by itself. */
export function actorLabelOf(entry: Pick<AuditRow, "actor" | "details">): string {
  const { actor } = entry;
  if (actor.type === "system") return "Keel";
  if (actor.type === "apiKey") return t("audit.actor.apiKey", { name: actor.name ?? t("audit.actor.deletedKey") });
  if (actor.name) return actor.name;
  // A failed sign-in with an address that has no account: the address tried is all there is.
  const email = entry.details?.email;
  if (typeof email === "string") return email;
  return actor.id ? t("audit.actor.formerMember") : t("audit.actor.unknown");
}

/**
 * A field's label: `jobTitle` → "Job title", `ownerId` → "Owner", `custom.shoeSize` → "Shoe size".
 * Unknown fields are spelled out from their name, so new fields never show raw.
 */
export function fieldLabelOf(field: string): string {
  const name = field.startsWith("custom.") ? field.slice("custom.".length) : field;
  const words = name
    .replace(/Id$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.-]+/g, " ")
    .trim()
    .toLowerCase();
  const spelled = words ? words.charAt(0).toUpperCase() + words.slice(1) : field;
  // A name with dots is no key of the words (it would be read as a path).
  return name.includes(".") ? spelled : t(`audit.fields.${name}`, { defaultValue: spelled });
}

/** Resource types with a record page, and that page's route. */
export function recordRouteOf(resourceType: string | null): (typeof recordRoutes)[keyof typeof recordRoutes] | null {
  return resourceType && resourceType in recordRoutes ? recordRoutes[resourceType as keyof typeof recordRoutes] : null;
}

/** The start of an id, enough to tell records apart on screen; the full id goes in a title. */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

import { labelOf } from "../../lib/format.ts";
import { recordRoutes } from "../activities/linked-records.ts";
import type { AuditRow } from "./audit.api.ts";

/** The nouns of actions and resource types, where spelling the word out is not enough. */
const nouns: Record<string, string> = {
  api_key: "API key",
  apiKey: "API key",
  sso: "Single sign-on",
  auth: "Sign-in",
};

/** Actions whose words read badly when spelled out. */
const actionLabels: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_out": "Signed out",
};

/** "api_key" → "API key", "contact" → "Contact". */
export function resourceLabelOf(resourceType: string): string {
  return nouns[resourceType] ?? labelOf(resourceType.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
}

/**
 * A readable action, also for actions this app does not know yet: `contact.updated` → "Contact
 * updated", `lead.status_changed` → "Lead status changed", `contact.` → "Contact: any action".
 */
export function actionLabelOf(action: string): string {
  const known = actionLabels[action];
  if (known) return known;
  const dot = action.indexOf(".");
  if (dot < 0) return labelOf(action);
  const noun = resourceLabelOf(action.slice(0, dot));
  const verb = action.slice(dot + 1).replace(/[_-]/g, " ");
  return verb ? `${noun} ${verb}` : `${noun}: any action`;
}

/** Who did it: a member's name, "API key <name>", or "Keel" for what Keel did by itself. */
export function actorLabelOf(entry: Pick<AuditRow, "actor" | "details">): string {
  const { actor } = entry;
  if (actor.type === "system") return "Keel";
  if (actor.type === "apiKey") return `API key ${actor.name ?? "(deleted)"}`;
  if (actor.name) return actor.name;
  // A failed sign-in with an address that has no account: the address tried is all there is.
  const email = entry.details?.email;
  if (typeof email === "string") return email;
  return actor.id ? "A former member" : "Someone unknown";
}

/** Field names spelled out, where the words of the name are not the label the pages show. */
const fieldLabels: Record<string, string> = {
  email: "E-mail",
  ownerId: "Owner",
  assigneeId: "Assignee",
  companyId: "Company",
  contactId: "Contact",
  leadId: "Lead",
  dealId: "Deal",
  pipelineId: "Pipeline",
  stageId: "Stage",
  createdBy: "Created by",
  employeeCount: "Employees",
  dueAt: "Due",
  remindAt: "Reminder",
  occurredAt: "When",
  durationMinutes: "Duration (minutes)",
  dependsOn: "Depends on",
  postalCode: "Postal code",
  line1: "Address line 1",
  line2: "Address line 2",
  userAgent: "User agent",
  ipAddress: "IP address",
};

/**
 * A field's label: `jobTitle` → "Job title", `ownerId` → "Owner", `custom.shoeSize` → "Shoe size".
 * Unknown fields are spelled out from their name, so new fields never show raw.
 */
export function fieldLabelOf(field: string): string {
  const name = field.startsWith("custom.") ? field.slice("custom.".length) : field;
  const known = fieldLabels[name];
  if (known) return known;
  const words = name
    .replace(/Id$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : field;
}

/** Resource types with a record page, and that page's route. */
export function recordRouteOf(resourceType: string | null): (typeof recordRoutes)[keyof typeof recordRoutes] | null {
  return resourceType && resourceType in recordRoutes ? recordRoutes[resourceType as keyof typeof recordRoutes] : null;
}

/** The start of an id, enough to tell records apart on screen; the full id goes in a title. */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

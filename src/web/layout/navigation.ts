import type { Resource } from "../../shared/permissions.ts";

/** The sidebar's and the palette's destinations; `keys` is the "g …" shortcut. */
export const destinations = [
  { to: "/", label: "Dashboard", keys: "g h", resource: null },
  { to: "/contacts", label: "Contacts", keys: "g c", resource: "contact" },
  { to: "/companies", label: "Companies", keys: "g o", resource: "company" },
  { to: "/leads", label: "Leads", keys: "g l", resource: "lead" },
  { to: "/deals", label: "Deals", keys: "g d", resource: "deal" },
  { to: "/activities", label: "Activities", keys: "g a", resource: "activity" },
  { to: "/tasks", label: "Tasks", keys: "g t", resource: "task" },
  { to: "/duplicates", label: "Duplicates", keys: "g u", resource: "contact" },
  { to: "/imports", label: "Imports", keys: "g i", resource: "contact" },
] as const satisfies readonly { to: string; label: string; keys: string; resource: Resource | null }[];

export type Destination = (typeof destinations)[number];

import { eventTypes, resourceOfEvent, type EventType } from "../../../shared/events.ts";

/** The catalogue's event types by resource, in the catalogue's (alphabetical) order. */
export const eventGroups: { resource: string; types: EventType[] }[] = [
  ...new Set(eventTypes.map((type) => resourceOfEvent(type))),
].map((resource) => ({ resource, types: eventTypes.filter((type) => resourceOfEvent(type) === resource) }));

/** Whether other chosen selectors already cover a selector: `*` covers everything, `resource.*` its types. */
export function isImpliedSelector(selector: string, chosen: readonly string[]): boolean {
  if (selector === "*") return false;
  if (chosen.includes("*")) return true;
  if (selector.endsWith(".*")) return false;
  return chosen.includes(`${selector.slice(0, selector.indexOf("."))}.*`);
}

/** The selectors to send: the chosen ones no other chosen one covers, `*` first, then by resource. */
export function effectiveSelectors(chosen: readonly string[]): string[] {
  const ordered = ["*", ...eventGroups.flatMap((group) => [`${group.resource}.*`, ...group.types])];
  const known = ordered.filter((selector) => chosen.includes(selector) && !isImpliedSelector(selector, chosen));
  // Anything else the API answered (a selector of a newer catalogue) is kept as it is.
  return [...known, ...chosen.filter((selector) => !ordered.includes(selector))];
}

/** "All events", or "contact.*, deal.won": what an endpoint subscribes to, in a few words. */
export function summarizeSelectors(events: readonly string[]): string {
  if (events.includes("*")) return "All events";
  return events
    .map((selector) => (selector.endsWith(".*") ? `all ${selector.slice(0, -2)} events` : selector))
    .join(", ");
}

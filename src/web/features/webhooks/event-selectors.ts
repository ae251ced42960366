import { eventTypes, resourceOfEvent, type EventType } from "../../../shared/events.ts";
import { t } from "../../i18n/i18n.ts";

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

/** A resource of the catalogue as a word ("contact", "Kontakt"); its name itself when there is none. */
export function eventResourceName(resource: string): string {
  // The catalogue's resources are open-ended (a newer server may have more): looked up by name.
  return t(`webhooks.events.resources.${resource}`, { defaultValue: resource });
}

/** "All events", or "all contact events, deal.won": what an endpoint subscribes to, in a few words. */
export function summarizeSelectors(events: readonly string[]): string {
  if (events.includes("*")) return t("webhooks.events.all");
  return events
    .map((selector) =>
      selector.endsWith(".*")
        ? t("webhooks.events.allOfResourceInline", { resource: eventResourceName(selector.slice(0, -2)) })
        : selector,
    )
    .join(", ");
}

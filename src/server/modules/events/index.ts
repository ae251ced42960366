export { eventsRoutes, liveEventsPlugin } from "./events.routes.ts";
export type { LiveEventHub, LiveEventOptions } from "./events.hub.ts";

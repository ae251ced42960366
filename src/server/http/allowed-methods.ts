import type { FastifyInstance } from "fastify";
import FindMyWay, { type HTTPMethod } from "find-my-way";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route only refuses its method (405), so `Allow` leaves that method out of its path's list. */
    refusesMethod?: boolean;
  }
}

/**
 * Which methods answer a path: every route is registered again, without a handler, in a router
 * of the same kind as Fastify's own, so that a path Keel knows, asked with a method it does not
 * answer, gets 405 with `Allow` (RFC 9110 §15.5.6) rather than a 404 that says the path is wrong.
 * Call before any route is added (the `onRoute` hook sees only routes added after it).
 */
export function trackAllowedMethods(
  app: FastifyInstance,
  routerOptions: { maxParamLength: number },
): (method: string, url: string) => string[] {
  const router = FindMyWay(routerOptions);
  const methods = new Set<HTTPMethod>();
  app.addHook("onRoute", (route) => {
    // A catch-all (the web app's static files) knows no path in particular.
    if (route.url.endsWith("*") || route.config?.refusesMethod) return;
    for (const method of [route.method].flat().map((name) => name.toUpperCase() as HTTPMethod)) {
      methods.add(method);
      if (!router.hasRoute(method, route.url)) router.on(method, route.url, () => undefined, { pattern: route.url });
    }
  });
  return (method, url) => {
    const path = url.split("?")[0] ?? url;
    const matches = [...methods].flatMap((other) => {
      const found = router.find(other, path);
      return found ? [{ method: other, pattern: (found.store as { pattern: string }).pattern }] : [];
    });
    // A path answers the methods of the route it names most exactly: `/contacts/count` is the
    // count's (GET), even though the router would also hand other methods to `/contacts/:id`.
    const exact = matches.reduce<string | null>(
      (best, match) => (best === null || vaguenessOf(match.pattern) < vaguenessOf(best) ? match.pattern : best),
      null,
    );
    return matches
      .filter((match) => match.pattern === exact && match.method !== method)
      .map((match) => match.method)
      .sort();
  };
}

/** How much of a route's path is parameters: none for a static path. */
const vaguenessOf = (pattern: string) => (pattern.match(/[:*]/g) ?? []).length;

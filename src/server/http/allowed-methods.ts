import type { FastifyInstance } from "fastify";
import FindMyWay, { type HTTPMethod } from "find-my-way";

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
    if (route.url.endsWith("*")) return;
    for (const method of [route.method].flat().map((name) => name.toUpperCase() as HTTPMethod)) {
      methods.add(method);
      if (!router.hasRoute(method, route.url)) router.on(method, route.url, () => undefined);
    }
  });
  return (method, url) => {
    const path = url.split("?")[0] ?? url;
    return [...methods].filter((other) => other !== method && router.find(other, path) !== null).sort();
  };
}

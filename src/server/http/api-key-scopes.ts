import type { FastifyRequest } from "fastify";
import { apiResources, grantsScope, type ApiAccess, type ApiResource } from "../../shared/permissions.ts";
import { bulkCollections } from "../../shared/schemas/bulk.ts";
import { exportResources } from "../../shared/schemas/export.ts";
import { AppError } from "../lib/errors.ts";
import type { ApiKeyIdentity } from "../modules/api-keys/index.ts";

/**
 * What an API key may call: the one place scopes are checked. A route's resource is the first
 * segment of its path under /api/v1 (`/api/v1/contacts/:id` → contacts); GET and HEAD need
 * `<resource>:read`, every other method `<resource>:write`. Routes of anything else (accounts,
 * API keys themselves) are for people only. A new route is covered the day it is added.
 */

const readMethods = new Set(["GET", "HEAD"]);

/** Writes that create or change records of other resources too need their scopes as well. */
const alsoWritten: Partial<Record<string, ApiResource[]>> = {
  // Conversion creates the deal, and may create or update the company and contacts.
  "POST /api/v1/leads/:id/convert": ["deals", "contacts", "companies"],
};

/**
 * Routes about an operation on one collection or another (a bulk change of contacts or of deals, a
 * merge of contacts or of companies, an export of a list): the scope needed is that collection's,
 * which only the operation tells, so their services check it (lib/access.ts `assertKeyScope`).
 * Here a key needs the access on at least one of the collections, so a key without such scopes is
 * refused at once.
 */
const scopedByTheirService: Partial<Record<string, readonly ApiResource[]>> = {
  "bulk-operations": bulkCollections,
  merges: ["contacts", "companies"],
  exports: exportResources,
};

/** POSTs that only read: an export run as a job reads the list it exports, as GET …/export does. */
const readingPosts = new Set(exportResources.map((resource) => `POST /api/v1/${resource}/exports`));

/** Why a key cannot call a route that is not of an API resource, by its first path segment. */
const forPeopleOnly: Partial<Record<string, string>> = {
  auth: "sign in or out",
  me: "use a person's account",
  workspaces: "create workspaces",
  "api-keys": "list, create or revoke API keys",
  admin: "use the administration of the server",
  jobs: "read or retry background jobs",
  notifications: "read notifications (they are a person's own)",
  events: "follow the live event stream (it is a signed-in person's)",
};

function isApiResource(segment: string): segment is ApiResource {
  return (apiResources as readonly string[]).includes(segment);
}

/** Throws 403 unless the key's scopes allow this request's route. Unknown routes are left to their 404. */
export function assertKeyMayCall(request: FastifyRequest, key: ApiKeyIdentity): void {
  const route = request.routeOptions.url;
  if (route === undefined) return;
  const segment = route.split("/")[3] ?? "";
  const reads = readMethods.has(request.method) || readingPosts.has(`${request.method} ${route}`);
  const access: ApiAccess = reads ? "read" : "write";
  const collections = scopedByTheirService[segment];
  if (collections) {
    if (collections.some((resource) => grantsScope(key.scopes, resource, access))) return;
    throw new AppError(
      "forbidden",
      `This API key lacks the scope ${collections[0]}:${access} (or another collection's).`,
    );
  }
  if (!isApiResource(segment)) {
    throw new AppError("forbidden", `API keys cannot ${forPeopleOnly[segment] ?? "call this endpoint"}.`);
  }
  const needed = access === "write" ? [segment, ...(alsoWritten[`${request.method} ${route}`] ?? [])] : [segment];
  const missing = needed.find((resource) => !grantsScope(key.scopes, resource, access));
  if (missing) throw new AppError("forbidden", `This API key lacks the scope ${missing}:${access}.`);
}

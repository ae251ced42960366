import type { ApiKeyScope, Role } from "../../shared/permissions.ts";
import type { Database } from "../db/client.ts";

/**
 * Who is making a request: a signed-in user, or an API key. `userId` is the person on whose
 * behalf the request acts, for both: for a key, the admin who created it (records a key creates
 * have them as `createdBy`, `filter[ownerId]=me` means them). A key acts with admin permissions,
 * narrowed by its scopes, which authentication checks before any route runs.
 */
export type Actor =
  | { kind: "user"; userId: string; role: Role }
  | { kind: "apiKey"; keyId: string; userId: string; role: "admin"; scopes: readonly ApiKeyScope[] };

/** Keel acting on its own, in a background job (a task's reminder): no person, no role. */
export type SystemActor = { kind: "system" };

/** Everything a service needs to know about the request it serves; no HTTP inside. */
export type RequestContext = {
  db: Database;
  workspaceId: string;
  actor: Actor;
  requestId: string;
  /** Where the request came from, for the audit log; absent for work Keel does on its own. */
  client?: { ipAddress: string | null; userAgent: string | null };
  /**
   * Whether the workspace limits agents to their own records (`agentsSeeOwnRecordsOnly`): read at
   * most once per request, by the first read of an agent (readerOf in lib/access.ts), and kept here.
   */
  agentsSeeOwnRecordsOnly?: boolean;
};

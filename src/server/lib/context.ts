import type { Role } from "../../shared/permissions.ts";
import type { Database } from "../db/client.ts";

/** Who is making a request. API keys (a later kind of actor) will carry their own scopes. */
export type Actor = { kind: "user"; userId: string; role: Role };

/** Everything a service needs to know about the request it serves; no HTTP inside. */
export type RequestContext = {
  db: Database;
  workspaceId: string;
  actor: Actor;
  requestId: string;
};

import { findDatabaseError } from "./constraints.ts";

/**
 * SQLSTATEs that mean the database could not run the statement at all, through no fault of the
 * statement: the server is shutting down, restarting or refusing connections.
 */
const unavailableStates = new Set([
  "57P01", // admin_shutdown (pg_terminate_backend, a fast shutdown)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, in recovery)
  "53300", // too_many_connections
  "53400", // configuration_limit_exceeded
  "25006", // read_only_sql_transaction (a failover left us on a standby)
]);

/** Socket-level failures of the driver: the connection was refused, reset or timed out. */
const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** node-postgres reports a lost or unobtainable connection by message only. */
const driverMessages = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
];

/**
 * True when `error` (or an error it wraps) means the database was unreachable, not that the
 * request was wrong: the caller should get 503 and may retry later.
 */
export function isConnectionFailure(error: unknown): boolean {
  const fromServer = findDatabaseError(error);
  if (fromServer && (fromServer.code.startsWith("08") || unavailableStates.has(fromServer.code))) return true;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code && socketCodes.has(code)) return true;
    const message = current.message;
    if (driverMessages.some((pattern) => pattern.test(message))) return true;
    current = current.cause;
  }
  return false;
}

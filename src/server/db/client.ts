import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.ts";
import { CannotInlineError, inlineParameters, writtenInSafely } from "./inline-parameters.ts";

/**
 * The Drizzle handle, the same type on PGlite and on a PostgreSQL server. Without the schema:
 * Keel writes its queries with the query builder, never the relational query API, whose builders
 * Drizzle would otherwise construct for every table at every transaction.
 */
export type Database = PgDatabase<PgQueryResultHKT>;
/** A transaction handle, as passed to repositories. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** An open database: the Drizzle handle plus what only the driver knows. */
export type DatabaseConnection = {
  db: Database;
  kind: "pglite" | "postgres";
  /** What a second client of the same database needs (pg-boss): the embedded instance, or the server's URL. */
  driver: { kind: "pglite"; client: PGlite } | { kind: "postgres"; url: string };
  /** Runs raw SQL without parameters (several statements allowed); used by migrations and seeds. */
  exec: (sqlText: string) => Promise<void>;
  /** Runs `work` on one connection holding a cluster-wide advisory lock (one migrator at a time). */
  runLocked: <T>(work: (db: Database) => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

// numeric → string (never floats), int8 → string; date stays 'YYYY-MM-DD'; timestamptz → Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// Counts come back as int8; they never exceed 2^53, and PGlite returns numbers too.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const drizzleOptions = { casing: "snake_case" } as const;

/** Turns Drizzle SQL into text and parameters as the Drizzle handles do (same casing), for statements sent by hand. */
export const dialect = new PgDialect({ casing: drizzleOptions.casing });

/** The node-postgres pool behind a Drizzle handle; null on the embedded database (no pool). */
export function poolOf(db: Database): pg.Pool | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : null;
}

/** A Drizzle handle on one connection checked out of a pool (for work that needs its own session). */
export function drizzleOn(client: pg.PoolClient): Database {
  return drizzlePg(client, drizzleOptions) as unknown as Database;
}

/**
 * The embedded engine and its Drizzle driver, loaded on first use rather than at the top: a server
 * on PostgreSQL never needs them, and their code alone holds several MiB of memory.
 */
async function loadPglite() {
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
    import("drizzle-orm/pglite"),
  ]);
  return { PGlite, pg_trgm, drizzlePglite };
}

/**
 * PGlite runs each statement synchronously on this thread and settles its promises as microtasks,
 * so a loop of transactions (an import's batches, an export's pages, a bulk job's chunks) never
 * gave the event loop a turn: the server answered nothing, not even /readyz, until the loop ended
 * (an import of a million rows froze it for its whole run). Each transaction, and each statement
 * outside one, first waits for the event loop's next turn, so requests take theirs between a
 * job's batches, as they do on a PostgreSQL server, where every statement waits on a socket.
 */
function takeTurns(client: PGlite): void {
  const { query, exec, transaction } = client;
  Object.assign(client, {
    query: async (...args: Parameters<PGlite["query"]>) => {
      await nextTurn();
      return query.apply(client, args);
    },
    exec: async (...args: Parameters<PGlite["exec"]>) => {
      await nextTurn();
      return exec.apply(client, args);
    },
    transaction: async (...args: Parameters<PGlite["transaction"]>) => {
      await nextTurn();
      return transaction.apply(client, args);
    },
  });
}

/**
 * Opens embedded PGlite in `dataDir` (or in memory for `memory://`). A folder is locked for the
 * life of the connection: a second process on it would keep its own copy of the data in memory and
 * lose the writes of one of them, so it refuses to start instead (DataDirLockedError).
 * `loadDataDir` starts it from a `dumpDataDir()` tarball instead of an empty cluster (the tests'
 * migrated template).
 */
export async function openPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<DatabaseConnection> {
  const isMemory = dataDir.startsWith("memory://");
  let unlock = () => {};
  if (!isMemory) {
    mkdirSync(resolve(dataDir), { recursive: true });
    unlock = lockDataDir(resolve(dataDir));
  }
  const { PGlite, pg_trgm, drizzlePglite } = await loadPglite();
  let client: PGlite;
  try {
    client = await PGlite.create(isMemory ? dataDir : resolve(dataDir), {
      extensions: { pg_trgm },
      // Dates as plain 'YYYY-MM-DD' strings, as with node-postgres above.
      parsers: { 1082: (value: string) => value },
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (error) {
    unlock();
    throw error;
  }
  takeTurns(client);
  const db = drizzlePglite(client, drizzleOptions) as unknown as Database;
  return {
    db,
    kind: "pglite",
    driver: { kind: "pglite", client },
    exec: async (sqlText) => {
      await client.exec(sqlText);
    },
    // One process owns a PGlite directory, so there is nobody to lock against.
    runLocked: (work) => work(db),
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * Marks a constant statement that every request or every write sends (the trail): on a PostgreSQL
 * server it is prepared once per connection under `name` and then only bound and run, instead of
 * parsed and planned anew each time. Embedded PGlite runs it as is.
 */
export function prepared(name: string): SQL {
  return sql.raw(`/* ${preparedMark}${name} */ `);
}

/**
 * Marks the statement that opens a transaction right after its BEGIN (the workspace settings): on
 * a PostgreSQL server both wait for the transaction's first statement and go out with it as one
 * simple query, one round trip instead of three for every request. Only for a constant text whose
 * `$n` are all ids (the workspace's). Embedded PGlite runs it as is.
 */
export function sentWithBegin(): SQL {
  return sql.raw(`/* ${withBeginMark} */ `);
}

const preparedMark = "keel:prepared:";
const preparedPrefix = `/* ${preparedMark}`;
const withBeginMark = "keel:with-begin";
const withBeginPrefix = `/* ${withBeginMark} */`;

type QueryConfig = { text: string; values?: unknown[]; types?: unknown; rowMode?: string; name?: string };
const noRows = { command: "BEGIN", rowCount: null, rows: [], fields: [] };
/** A statement with more values than this goes out with parameters: writing them in costs more than a round trip. */
const mostValuesInlined = 64;

/**
 * A node-postgres client that names the statements `prepared()` marks, and sends a transaction's
 * opening (its BEGIN, and the settings `sentWithBegin` marks) with the statement after it, as one
 * simple query with that statement's values written in (inline-parameters.ts). Drizzle awaits
 * each statement before sending the next, so the opening statements are answered at once and kept
 * until the first one that needs the database: a read by id then costs two round trips (the
 * opening with the read, COMMIT) instead of three.
 *
 * Only values nobody typed are written in: ids, numbers, booleans, timestamps and nulls
 * (writtenInSafely). PostgreSQL logs the text of a statement that fails, and a parameter's value
 * stays out of that log, so a name, an e-mail or a search term stays a parameter: such a statement,
 * like a prepared one or one with binary or too many values, follows its opening as before.
 * Exported for the benchmark's statement capture, which records statements as Keel issues them.
 */
export class PreparingClient extends pg.Client {
  /** The statements that open a transaction, answered but not sent yet. */
  #opening: string[] = [];

  override query(...args: unknown[]): never {
    const [config] = args;
    const text = isQueryConfig(config) ? config.text : typeof config === "string" ? config : null;
    if (this.#opening.length === 0) {
      if (text !== null && isBegin(text, args)) {
        this.#opening.push(text);
        return Promise.resolve(noRows) as never;
      }
      return this.#send(named(args));
    }
    if (text !== null && isEnd(text, args)) {
      // Nothing was sent since BEGIN: the transaction read and wrote nothing, so ending it is
      // answered here, without a round trip (a service that opened one only to learn the
      // caller's visibility, which an admin's needs no statement for).
      this.#opening = [];
      return Promise.resolve({ ...noRows, command: text.trim().toUpperCase() }) as never;
    }
    if (this.#opening.length === 1 && text?.startsWith(withBeginPrefix)) {
      const settings = this.#inlined(text, args);
      if (settings !== null) {
        this.#opening.push(settings);
        return Promise.resolve(noRows) as never;
      }
    }
    if (text === null || args.some((arg) => typeof arg === "function")) {
      throw new Error("the statement after a deferred BEGIN must be a query in the promise form");
    }
    const opening = this.#opening.join(";\n");
    this.#opening = [];
    const statement = text.startsWith(preparedPrefix) ? null : this.#inlined(text, args);
    if (statement !== null) {
      const { rowMode, types } = isQueryConfig(config) ? config : {};
      const results = this.#send([{ text: `${opening};\n${statement}`, rowMode, types }]);
      return (results as Promise<unknown[]>).then((all) => all.at(-1)) as never;
    }
    // Both queued now, in order, so no statement sent meanwhile overtakes them; a failed opening fails both.
    const opened = this.#send([opening]) as Promise<unknown>;
    const answer = this.#send(named(args)) as Promise<unknown>;
    return Promise.all([opened, answer]).then(([, result]) => result) as never;
  }

  /**
   * Forgets an opening never sent, when the client goes back to the pool: a caller that began a
   * transaction and released the client without a statement, COMMIT or ROLLBACK sent nothing, so
   * forgetting it is that transaction's rollback. Kept, its BEGIN would go out with the next
   * borrower's first statement and leave that borrower's work in a transaction nobody commits.
   */
  forgetUnsentOpening(): void {
    this.#opening = [];
  }

  #send(args: unknown[]): never {
    return (super.query as (...a: unknown[]) => never)(...args);
  }

  /** The statement of `args` with its values written in; null when it cannot be (see inlineParameters). */
  #inlined(text: string, args: unknown[]): string | null {
    const values = args[1] ?? (isQueryConfig(args[0]) ? args[0].values : undefined) ?? [];
    if (!Array.isArray(values) || values.length > mostValuesInlined || !values.every(writtenInSafely)) return null;
    try {
      return inlineParameters(this, text, values);
    } catch (error) {
      if (error instanceof CannotInlineError) return null;
      throw error;
    }
  }
}

/** `args` with the statement `prepared()` marked given its name, so node-postgres prepares it once per connection. */
function named(args: unknown[]): unknown[] {
  const [config] = args;
  if (!isQueryConfig(config) || !config.text.startsWith(preparedPrefix)) return args;
  const name = config.text.slice(preparedPrefix.length, config.text.indexOf(" */"));
  return [{ ...config, name }, ...args.slice(1)];
}

function isQueryConfig(config: unknown): config is QueryConfig {
  return typeof config === "object" && config !== null && typeof (config as { text?: unknown }).text === "string";
}

/** Drizzle's BEGIN of a transaction (`begin`, `begin isolation level …`): no parameters, promise form. */
function isBegin(text: string, args: unknown[]): boolean {
  return /^begin\b/i.test(text) && withoutValues(args);
}

/** A query call with no values and no callback. */
function withoutValues(args: unknown[]): boolean {
  const [, values, ...rest] = args;
  return (values === undefined || (Array.isArray(values) && values.length === 0)) && rest.length === 0;
}

/** Drizzle's COMMIT or ROLLBACK of a transaction: no parameters, promise form. */
function isEnd(text: string, args: unknown[]): boolean {
  return /^(commit|rollback)$/i.test(text) && withoutValues(args);
}

/** Opens a pool on a PostgreSQL server. */
export async function openPostgres(url: string, poolSize: number): Promise<DatabaseConnection> {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: url,
    max: poolSize,
    // While the server is unreachable, a request waits at most this long for a connection, then
    // fails with a connection error (503) instead of hanging.
    connectionTimeoutMillis: 5_000,
  });
  // A connection the server closes (restart, failover, pg_terminate_backend) emits "error" on its
  // client, idle in the pool or checked out between two queries. Unheard, that event would end the
  // process; heard, the pool drops the client and the query in flight reports the error itself.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  pool.on("release", (_error, client) => (client as unknown as PreparingClient).forgetUnsentOpening());
  const db = drizzlePg(pool, drizzleOptions) as unknown as Database;
  return {
    db,
    kind: "postgres",
    driver: { kind: "postgres", url },
    exec: async (sqlText) => {
      await pool.query(sqlText);
    },
    runLocked: async (work) => {
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock(727272)");
        return await work(drizzleOn(client));
      } finally {
        await client.query("SELECT pg_advisory_unlock(727272)").catch(() => undefined);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Opens the database the configuration names. */
export function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize: number;
}): Promise<DatabaseConnection> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize) : openPglite(options.dataDir);
}

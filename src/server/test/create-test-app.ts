import type { Writable } from "node:stream";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { inject } from "vitest";
import { buildApp } from "../app.ts";
import { parseConfig, type Config } from "../config.ts";
import { openPglite, openPostgres, type DatabaseConnection } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import { createLogger } from "../http/logging.ts";
import { jobDefinitions, startWorkers, type JobRuntime, type Jobs } from "../jobs/index.ts";
import { newId } from "../lib/ids.ts";
import { hashPassword } from "../modules/auth/passwords.ts";
import { createSession } from "../modules/auth/sessions.ts";
import { users } from "../modules/users/users.table.ts";
import { addMember, createWorkspace } from "../modules/workspaces/index.ts";
import type { Role } from "../../shared/permissions.ts";
import { alternatingEnvironment, nextProcess, requestOverHttp, startAlternates } from "./alternating-processes.ts";
import { readPgliteTemplate } from "./pglite-template.ts";
import { closeOnWorkerExit } from "./worker-exit.ts";

// eslint-disable-next-line n/no-process-env -- tests choose their database like CI does
const testDatabaseUrl = process.env.TEST_DATABASE_URL;

let connection: Promise<DatabaseConnection> | undefined;

/**
 * The test database of this worker process: embedded PGlite in memory by default, or a pool on the
 * PostgreSQL server of TEST_DATABASE_URL. The server project runs its test files one after another
 * in each worker process without isolating them (vitest.config.ts): the first file that asks opens
 * the database, the files after it share it, and it is closed when the worker stops
 * (worker-exit.ts), never by a test file. Tests never truncate: each creates its own workspace.
 * PGlite starts as a copy of the migrated database of the global setup (pglite-template.ts), when
 * there is one for these migrations; migrate() then has nothing left to apply.
 */
export function testDatabase(): Promise<DatabaseConnection> {
  connection ??= openTestDatabase();
  return connection;
}

async function openTestDatabase(): Promise<DatabaseConnection> {
  let opened: DatabaseConnection;
  if (testDatabaseUrl) {
    opened = await openPostgres(testDatabaseUrl, 10);
  } else {
    const loadDataDir = readPgliteTemplate(inject("pgliteTemplate"));
    opened = await openPglite("memory://", loadDataDir ? { loadDataDir } : {});
  }
  closeOnWorkerExit(() => opened.close());
  await migrate(opened);
  return {
    ...opened,
    // The files after this one still need it: closing it here would fail them, far from the cause.
    close: () =>
      Promise.reject(
        new Error("The test database is shared by the test files of this worker: close only what you open."),
      ),
  };
}

/**
 * What a test file may set of its app: more configuration (variables as in the environment), a
 * job runtime of its own that works the jobs (the file stops it), and where logs go (with LOG_LEVEL).
 */
export type TestAppOptions = { env?: Record<string, string>; jobs?: Jobs; logStream?: Writable };

/** A Keel app on the test database, silent, without API and sign-in limits (tests make many requests). */
export async function createTestApp(options: TestAppOptions = {}): Promise<FastifyInstance> {
  const connection = await testDatabase();
  const limitsOff = { RATE_LIMIT_API_PER_MINUTE: "0", RATE_LIMIT_AUTH_PER_MINUTE: "0" };
  const env = { ...alternatingEnvironment, ...limitsOff, ...options.env };
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env });
  const jobs = jobsOnDemand(connection, config, options.logStream);
  const app = await buildApp(config, {
    db: connection.db,
    jobs: options.jobs ?? jobs,
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  app.addHook("onClose", () => jobs.stop());
  try {
    await startAlternates(app, env);
  } catch (error) {
    await app.close();
    throw error;
  }
  await app.ready();
  return app;
}

/**
 * The test app's background jobs: pg-boss starts, sending only (nothing runs the jobs), the first
 * time a route sends or retries one, so files that enqueue nothing never start it. Closing the
 * app stops it.
 */
function jobsOnDemand(
  connection: DatabaseConnection,
  config: Config,
  logStream?: Writable,
): Jobs & { stop(): Promise<void> } {
  let runtime: Promise<JobRuntime> | undefined;
  const started = () =>
    (runtime ??= startWorkers({
      connection,
      config,
      logger: createLogger(config, logStream),
      definitions: jobDefinitions,
      loops: [],
      shouldRunWorkers: false,
    }));
  return {
    send: async (...args) => (await started()).send(...args),
    retry: async (...args) => (await started()).retry(...args),
    stop: async () => {
      if (runtime) await (await runtime).stop();
    },
  };
}

export const testPassword = "test-password-1";
let passwordHash: Promise<string> | undefined;

/**
 * The id as a decimal number: unique like the id, yet made of digits only, so that no test's search
 * word ("ada", "smi") ever matches a random address by chance.
 */
const emailLocalPartOf = (id: string) => BigInt(`0x${id.replaceAll("-", "")}`).toString();

/** Creates a user with the test password and returns their id. */
export async function createUser(name = "Test user"): Promise<{ id: string; email: string }> {
  const { db } = await testDatabase();
  passwordHash ??= hashPassword(testPassword);
  const id = newId();
  const email = `${emailLocalPartOf(id)}@test.keel.test`;
  await db.insert(users).values({ id, email, name, passwordHash: await passwordHash });
  return { id, email };
}

/** A signed-in member: their id and a client that sends their session cookie. */
export type Member = { userId: string; email: string; role: Role; client: Client };

/** A fresh workspace with one member per role (admin, manager, agent, viewer), each signed in. */
export type TestWorkspace = { id: string; admin: Member; manager: Member; agent: Member; viewer: Member };

export async function createTestWorkspace(app: FastifyInstance, name = "Test workspace"): Promise<TestWorkspace> {
  const { db } = await testDatabase();
  const admin = await createUser("Admin");
  const workspace = await createWorkspace(db, { name, adminUserId: admin.id });
  const member = async (role: Role, user: { id: string; email: string }): Promise<Member> => {
    if (role !== "admin") await addMember(db, workspace.id, user.id, role);
    const session = await createSession(db, {
      userId: user.id,
      ipAddress: "127.0.0.1",
      userAgent: "test",
      ttlHours: 1,
    });
    return { userId: user.id, email: user.email, role, client: new Client(app, session.token, workspace.id) };
  };
  return {
    id: workspace.id,
    admin: await member("admin", admin),
    manager: await member("manager", await createUser("Manager")),
    agent: await member("agent", await createUser("Agent")),
    viewer: await member("viewer", await createUser("Viewer")),
  };
}

type Body = InjectOptions["payload"];

/**
 * `app.inject` with a session cookie and the workspace header; with KEEL_TEST_PROCESSES=2, the
 * same request over HTTP to the app's processes in turn (alternating-processes.ts).
 */
export class Client {
  constructor(
    private readonly app: FastifyInstance,
    readonly token: string | null,
    readonly workspaceId: string | null,
  ) {}

  request(method: InjectOptions["method"], url: string, body?: Body, headers: Record<string, string> = {}) {
    const sent = {
      ...(this.token ? { cookie: `keel_session=${this.token}` } : {}),
      ...(this.workspaceId ? { "x-workspace-id": this.workspaceId } : {}),
      ...headers,
    };
    const keel = nextProcess(this.app);
    if (keel) return requestOverHttp(keel, method, url, body, sent);
    return this.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body }),
      headers: sent,
    }) as Promise<LightMyRequestResponse>;
  }

  get = (url: string, headers?: Record<string, string>) => this.request("GET", url, undefined, headers);
  post = (url: string, body?: Body, headers?: Record<string, string>) => this.request("POST", url, body ?? {}, headers);
  patch = (url: string, body: Body, headers?: Record<string, string>) => this.request("PATCH", url, body, headers);
  delete = (url: string, headers?: Record<string, string>) => this.request("DELETE", url, undefined, headers);
}

/** A client with no session at all. */
export function anonymous(app: FastifyInstance): Client {
  return new Client(app, null, null);
}

import type { FastifyInstance } from "fastify";
import { eq } from "drizzle-orm";
import { hashPassword } from "../../modules/auth/passwords.ts";
import { createSession } from "../../modules/auth/sessions.ts";
import { users } from "../../modules/users/users.table.ts";
import { seededRandom } from "../../modules/seed/seeded-random.ts";
import {
  Client,
  anonymous,
  createTestWorkspace,
  testDatabase,
  testPassword,
  type TestWorkspace,
} from "../create-test-app.ts";
import { casesOf, sample, type Case } from "./cases.ts";
import { WorkspaceFingerprint, checkAnswer, describeFailure } from "./checks.ts";
import { createFixtures, fixtureOfPath, renewFixture, type Fixtures, type RecordKind } from "./fixtures.ts";
import type { OpenApiDocument, Operation } from "./openapi.ts";

/** The cases to send, by operation: every core case, and sampled others up to `budget` in all. */
export function planCases(operations: Operation[], doc: OpenApiDocument, budget: number, seed: number) {
  const known = operations.flatMap((operation) => casesOf(operation, doc));
  const picked = sample(known, budget, seededRandom(seed));
  const byOperation = new Map<Operation, Case[]>(operations.map((operation) => [operation, []]));
  for (const item of picked) byOperation.get(item.operation)?.push(item);
  return { byOperation, known: known.length, picked: picked.length };
}

/**
 * The fixture a successful request used up (deleted, converted, stages replaced, merged away,
 * undone, started or cancelled; an import dry-run too, validating until a worker checks it), if any.
 */
function usedUp(operation: Operation): RecordKind | null {
  const { method, path } = operation;
  const merged = /^\/api\/v1\/(contacts|companies)\/merge$/.exec(path);
  if (merged) return `spare-${merged[1] as "contacts" | "companies"}`;
  const kind = fixtureOfPath(path);
  if (!kind || kind === "users") return null;
  const pipelineEdit = kind === "pipelines" && method === "PATCH";
  const oneShot = /\/\{id\}\/(undo|start|cancel|dry-run)$/.test(path);
  return method === "DELETE" || /\/(convert|bulk)$/.test(path) || pipelineEdit || oneShot ? kind : null;
}

/**
 * Sends cases as the admin of a fuzzed workspace (sign-in anonymously, sign-out with a session of
 * its own, so the members stay signed in) and checks each answer, and the workspace's data after
 * each refused write.
 */
export class FuzzRunner {
  private constructor(
    private readonly app: FastifyInstance,
    readonly ws: TestWorkspace,
    readonly fixtures: Fixtures,
    readonly fingerprint: WorkspaceFingerprint,
    private signOutClient: Client,
  ) {}

  static async start(app: FastifyInstance): Promise<FuzzRunner> {
    const ws = await createTestWorkspace(app, "Fuzzed workspace");
    const other = await createTestWorkspace(app, "Other workspace");
    const fixtures = await createFixtures(ws, other);
    const fingerprint = new WorkspaceFingerprint((await testDatabase()).db, ws.id);
    return new FuzzRunner(app, ws, fixtures, fingerprint, await throwawayClient(app, ws));
  }

  private clientFor(operation: Operation): Client {
    if (!operation.needsSession) return anonymous(this.app);
    if (operation.path.endsWith("/sign-out")) return this.signOutClient;
    return this.ws.admin.client;
  }

  /** Best effort: a worker of another test file (on PostgreSQL) may have finished it already. */
  private async cancelImport(id: string): Promise<void> {
    await this.ws.admin.client.post(`/api/v1/imports/${id}/cancel`);
  }

  /** Sends the cases in order; answers one readable line per failing case. */
  async run(cases: Case[]): Promise<string[]> {
    const failures: string[] = [];
    let known: Record<string, string> | null = null;
    for (const item of cases) {
      const { method } = item.operation;
      const request = item.render(this.fixtures);
      const mutating = method !== "GET";
      if (mutating) known ??= await this.fingerprint.read();
      let problems: string[];
      let status = 0;
      try {
        const headers: Record<string, string> = { ...request.headers };
        if (request.body !== undefined) headers["content-type"] ??= "application/json";
        const response = await this.clientFor(item.operation).request(method, request.url, request.body, headers);
        status = response.statusCode;
        problems = checkAnswer(item, response);
      } catch (error) {
        problems = [`the request threw ${String(error)}`];
      }
      if (mutating && known) {
        const after = await this.fingerprint.read();
        const changed = WorkspaceFingerprint.changed(known, after);
        if (status >= 400 && changed.length > 0)
          problems.push(`refused with ${status}, yet changed ${changed.join(", ")}`);
        known = after;
      }
      if (problems.length > 0) failures.push(describeFailure(item, request, problems));
      if (status >= 200 && status < 300) {
        const kind = usedUp(item.operation);
        if (kind) {
          // A started import waits for a worker: cancelled, no worker writes while later cases run.
          if (item.operation.path.endsWith("/imports/{id}/start")) await this.cancelImport(this.fixtures.ids.imports);
          await renewFixture(this.fixtures, this.ws, kind);
          known = null;
        }
        if (item.operation.path.endsWith("/sign-out")) this.signOutClient = await throwawayClient(this.app, this.ws);
        // A mutated but acceptable new password took: later cases send the test password again.
        if (item.operation.path === "/api/v1/me/password") await restorePassword(this.ws.admin.userId);
      }
    }
    const me = await this.ws.admin.client.get("/api/v1/me");
    if (me.statusCode !== 200) failures.push(`the admin's session ended: GET /api/v1/me → ${me.statusCode}`);
    return failures;
  }
}

async function restorePassword(userId: string): Promise<void> {
  const { db } = await testDatabase();
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(testPassword) })
    .where(eq(users.id, userId));
}

/** A session of its own for sign-out, which revokes it. */
async function throwawayClient(app: FastifyInstance, ws: TestWorkspace): Promise<Client> {
  const { db } = await testDatabase();
  const session = await createSession(db, {
    userId: ws.viewer.userId,
    ipAddress: "127.0.0.1",
    userAgent: "fuzz",
    ttlHours: 1,
  });
  return new Client(app, session.token, ws.id);
}

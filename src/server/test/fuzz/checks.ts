import { sql } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import type { Database } from "../../db/client.ts";
import type { Case } from "./cases.ts";

/** What a body must never show: a stack frame, SQL, or the names of the layers below the API. */
export const leakPattern =
  /\bat .+:\d+:\d+|select .+ from|insert into|update .+ set|syntax error|drizzle|node_modules/i;

type Problem = { status?: unknown; title?: unknown; detail?: unknown; errors?: { path?: unknown }[] };

/** The problems of one answer; empty when it is acceptable. */
export function checkAnswer(item: Case, response: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  const status = response.statusCode;
  const body = parsed(response.body);
  const problem = (body ?? {}) as Problem;
  if (status >= 500) problems.push(`answered ${status} ${summary(problem, response.body)}`);
  const leak = leakIn(body === undefined ? response.body : body);
  if (leak) problems.push(`leaks ${JSON.stringify(truncate(leak, 200))}`);
  if (item.expectSuccess && status >= 300 && status < 500) {
    problems.push(`refused the valid request: ${status} ${summary(problem, response.body)}`);
  }
  if (status >= 400 && status < 500) {
    const type = String(response.headers["content-type"] ?? "");
    if (!type.startsWith("application/problem+json"))
      problems.push(`${status} answered as "${type}", not problem+json`);
    if (problem.status !== status) problems.push(`${status} with problem status ${JSON.stringify(problem.status)}`);
    if (typeof problem.title !== "string" || problem.title === "") problems.push(`${status} without a problem title`);
    const blamed = (field: string | null) => field !== null && namesField(problem, field);
    if (status === 400 && item.field !== null && !blamed(item.field) && !blamed(item.neverValid)) {
      problems.push(`400 does not name "${item.field}" in errors: ${summary(problem, response.body)}`);
    }
  }
  return problems;
}

/** The body as JSON, or undefined when it is empty or not JSON. */
function parsed(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** True when some `errors[].path` is the field, inside it, or one of its parents. */
function namesField(problem: Problem, field: string): boolean {
  if (!Array.isArray(problem.errors)) return false;
  const wanted = field.toLowerCase();
  return problem.errors.some((error) => {
    if (typeof error.path !== "string" || error.path === "") return false;
    const path = error.path.toLowerCase();
    return (
      path === wanted || path.startsWith(`${wanted}.`) || path.startsWith(`${wanted}[`) || wanted.startsWith(`${path}.`)
    );
  });
}

/** The first string of a body (keys excluded) that looks like a stack trace or SQL. */
function leakIn(value: unknown): string | null {
  if (typeof value === "string") return leakPattern.test(value) ? value : null;
  if (value === null || typeof value !== "object") return null;
  for (const item of Object.values(value)) {
    const found = leakIn(item);
    if (found) return found;
  }
  return null;
}

function summary(problem: Problem, raw: string): string {
  if (typeof problem.title !== "string") return JSON.stringify(truncate(raw, 300));
  const errors = Array.isArray(problem.errors) ? ` errors=${truncate(JSON.stringify(problem.errors), 300)}` : "";
  return `${problem.title}: ${truncate(String(problem.detail ?? ""), 200)}${errors}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** How a failure reads: the request, what was hostile in it, and what went wrong. */
export function describeFailure(
  item: Case,
  request: { url: string; body?: string | Buffer; headers?: Record<string, string> },
  problems: string[],
): string {
  const headers = request.headers ? ` headers ${JSON.stringify(request.headers)}` : "";
  const body = request.body === undefined ? "" : ` body ${JSON.stringify(truncate(request.body.toString(), 300))}`;
  return `${item.operation.method} ${truncate(request.url, 300)}${headers}${body} [${item.label}] → ${problems.join("; ")}`;
}

/**
 * Tables that background work changes on its own, while the cases run (on PostgreSQL, other test
 * files' workers serve every workspace: the relay, webhook deliveries, task reminders), each
 * fingerprinted by what a request can change there:
 * - outbox_events: requests add events with their actor (the relay marks them published; a
 *   reminder's events and notifications have none);
 * - webhook_endpoints: delivery jobs track failures, requests change `updated_at`;
 * - webhook_deliveries: only the delivery job writes the log;
 * - tasks: a reminder marks its task reminded without a new version, every edit bumps it;
 * - notifications: reminders create them, requests only mark them read;
 * - dashboard_tallies: the compactor (any worker, every minute) folds a key's rows into one; what a
 *   request changes is the figures: each key's sums, here weighted by a hash of the key, which
 *   folding leaves as they are.
 */
const tallyKey = "hashtext(kind || status || coalesce(stage_id::text, '') || coalesce(currency, ''))";
const requestChanges: Record<string, string | null> = {
  dashboard_tallies: [
    `coalesce(sum(count::numeric * ${tallyKey}), 0)`,
    `coalesce(sum(value * ${tallyKey}), 0)`,
    `coalesce(sum(weighted_value * ${tallyKey}), 0)`,
  ].join(" || ':' || "),
  outbox_events:
    "count(*) filter (where actor_id is not null) || ':' || coalesce(max(seq) filter (where actor_id is not null), 0)",
  webhook_endpoints: "count(*) || ':' || coalesce(max(extract(epoch from updated_at)), 0)",
  webhook_deliveries: null,
  tasks: "count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(max(extract(epoch from updated_at)), 0)",
  notifications: "count(*) filter (where read_at is not null) || ':' || coalesce(max(extract(epoch from read_at)), 0)",
  // An export job's progress and file are written by whichever worker runs it (on a shared test
  // database, another file's): a request adds an export or not, which the count tells.
  export_files: "count(*)::text",
  export_file_chunks: null,
};

/**
 * The audit log, its chain heads and seals: a refused request is written there on purpose (a failed
 * sign-in with the e-mail tried, a 403 as access.denied), so they are not data a refusal may not
 * change. What they hold is checked by the audit log's own tests.
 */
const isAuditTable = (name: string) =>
  name === "audit_logs" ||
  name.startsWith("audit_logs_") ||
  name.startsWith("audit_chain") ||
  // Sealed by the sealer loop, of whichever process runs it, whenever it runs.
  name === "audit_seals";

/**
 * A fingerprint of one workspace's data: per tenant table, its row count and the newest row
 * version's transaction id (xmin). Any committed insert, update or delete changes one of them, and
 * it costs no more than a count (a hash of every row's text took twice as long). Read as the
 * connecting role, which row-level security lets see every row.
 */
export class WorkspaceFingerprint {
  private query: ReturnType<typeof sql.raw> | null = null;

  constructor(
    private readonly db: Database,
    private readonly workspaceId: string,
  ) {}

  async read(): Promise<Record<string, string>> {
    this.query ??= await this.buildQuery();
    const result = (await this.db.execute(this.query)) as unknown as { rows: Record<string, string>[] };
    return result.rows[0] ?? {};
  }

  /** The tables whose data differs between two fingerprints. */
  static changed(before: Record<string, string>, after: Record<string, string>): string[] {
    return Object.keys(after).filter((name) => before[name] !== after[name]);
  }

  private async buildQuery() {
    const tables = (await this.db.execute(
      sql`select table_name as name from information_schema.columns
          where table_schema = current_schema() and column_name = 'workspace_id' order by table_name`,
    )) as unknown as { rows: { name: string }[] };
    if (!/^[0-9a-f-]{36}$/.test(this.workspaceId)) throw new Error("not a workspace id");
    const part = (name: string, where: string) =>
      `(select ${requestChanges[name] ?? "count(*) || ':' || coalesce(max(xmin::text::bigint), 0)"} from "${name}" where ${where}) as "${name}"`;
    const parts = [
      part("workspaces", `id = '${this.workspaceId}'`),
      ...tables.rows
        .filter(({ name }) => requestChanges[name] !== null && !isAuditTable(name))
        .map(({ name }) => part(name, `workspace_id = '${this.workspaceId}'`)),
    ];
    return sql.raw(`select ${parts.join(", ")}`);
  }
}

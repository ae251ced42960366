import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Role } from "../../../shared/permissions.ts";
import type { Database, DatabaseConnection } from "../../db/client.ts";
import { newId, isUuid } from "../../lib/ids.ts";
import { hashPassword } from "../auth/index.ts";
import { activities } from "../activities/activities.table.ts";
import { companies } from "../companies/companies.table.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { deals } from "../deals/deals.table.ts";
import { leadContacts, leadStatusChanges, leads } from "../leads/leads.table.ts";
import { pipelineStages, pipelines } from "../pipelines/pipelines.table.ts";
import { taskDependencies, tasks } from "../tasks/tasks.table.ts";
import { memberships, users } from "../users/users.table.ts";
import { createWorkspace } from "../workspaces/index.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import { seedStatements, type SeedPlan } from "./large.seed.sql.ts";
import { firstNames, lastNames } from "./seed.vocabulary.ts";

/** The password of every generated benchmark user. */
export const benchPassword = "bench-password-1";

/** The name the seed gives a new workspace (and the benchmark looks for). */
export function benchmarkWorkspaceName(contacts: number): string {
  return `Benchmark (${contacts} contacts)`;
}

/** The e-mail of benchmark user `index` (1-based) of a workspace. */
export function benchUserEmail(workspaceId: string, index: number): string {
  return `bench-${index}@${workspaceId}.keel.test`;
}

export type LargeSeedCounts = {
  users: number;
  companies: number;
  contacts: number;
  leads: number;
  leadContacts: number;
  leadStatusChanges: number;
  deals: number;
  activities: number;
  tasks: number;
  taskDependencies: number;
};

export type LargeSeedResult = {
  workspaceId: string;
  name: string;
  /** Rows in the workspace after seeding (including rows it had before). */
  counts: LargeSeedCounts;
  users: { email: string; password: string; role: Role }[];
  seconds: number;
};

export type LargeSeedOptions = {
  contacts: number;
  /** Adds rows to this workspace instead of creating one. */
  workspaceId?: string | undefined;
  /** Name of a new workspace; defaults to benchmarkWorkspaceName(contacts). */
  name?: string | undefined;
  /** Rows per INSERT statement. */
  chunkSize?: number | undefined;
  /** Chunks run at once on PostgreSQL (default 2). */
  parallel?: number | undefined;
  /** Progress lines; defaults to stderr. */
  log?: ((line: string) => void) | undefined;
};

// 1 admin, 3 managers, 16 agents.
const benchRoles: Role[] = ["admin", "manager", "manager", "manager", ...Array<Role>(16).fill("agent")];

/**
 * Generates a large workspace for benchmarks, in PRODUCT.md §10 proportions to `contacts` (N):
 * N/5 companies, N/2 leads (with contacts and status history), 0.3 N deals, 3 N activities and
 * N/2 tasks (with dependencies), owned by 20 members. All rows are computed by the database in
 * chunked `INSERT … SELECT` statements, so memory stays flat. With `workspaceId` it adds rows to
 * an existing workspace. Runs as the connecting (system) role.
 */
export async function seedLargeWorkspace(
  connection: DatabaseConnection,
  options: LargeSeedOptions,
): Promise<LargeSeedResult> {
  const { contacts: n } = options;
  if (!Number.isInteger(n) || n < 10) throw new Error("The large seed needs at least 10 contacts.");
  if (options.workspaceId !== undefined && !isUuid(options.workspaceId))
    throw new Error("--workspace must be a workspace id");
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const chunkSize = options.chunkSize ?? 100_000;
  const started = performance.now();
  const { db } = connection;
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  const finalName = options.name ?? benchmarkWorkspaceName(n);
  const workspace = options.workspaceId
    ? await findWorkspace(db, options.workspaceId)
    : await createBenchWorkspace(db, `${finalName} (seeding)`);
  const benchUsers = await ensureBenchUsers(db, workspace.id);
  log(`[seed] workspace ${workspace.id}: ${n} contacts and their records`);

  const plan: SeedPlan = {
    workspaceId: workspace.id,
    salt: randomBytes(6).toString("hex"),
    nowMs: Date.now(),
    counts: {
      companies: Math.floor(n / 5),
      contacts: n,
      leads: Math.floor(n / 2),
      deals: Math.floor((n * 3) / 10),
      activities: 3 * n,
      tasks: Math.floor(n / 2),
    },
    offsets: {
      companies: await countRows(db, companies, workspace.id),
      contacts: await countRows(db, contacts, workspace.id),
    },
    owners: await ownerIds(db, workspace.id),
    baseCurrency: workspace.baseCurrency,
    ...(await defaultPipeline(db, workspace.id)),
  };
  const statements = seedStatements(plan);
  const order = ["companies", "contacts", "leads", "deals", "activities", "tasks"] as const;
  // Chunks of one table are independent: on PostgreSQL two run at once (one per core here).
  const parallel = connection.kind === "postgres" ? (options.parallel ?? 2) : 1;
  for (const table of order) {
    const total = plan.counts[table];
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < total) {
        const lo = next;
        const hi = Math.min(total, lo + chunkSize);
        next = hi;
        // Local to the chunk's (implicit) transaction: memory for its CTEs, no JIT for huge
        // expressions, and activities leave their records' last activity to lastActivityOf below.
        const deferred = table === "activities" ? "SET LOCAL keel.defer_last_activity = 'on'; " : "";
        await connection.exec(
          `SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; ${deferred}\n${statements[table](lo, hi)}`,
        );
        done += hi - lo;
        log(`[seed] ${table} ${done}/${total} (${elapsed()})`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }
  for (const link of ["contact", "company", "lead", "deal"] as const) {
    await connection.exec(lastActivityOf(link, plan.workspaceId));
  }
  log(`[seed] last activity set (${elapsed()})`);

  const tables = [
    "companies",
    "contacts",
    "leads",
    "lead_contacts",
    "lead_status_changes",
    "deals",
    "activities",
    "tasks",
    "task_dependencies",
  ];
  for (const table of tables) {
    // VACUUM also sets the visibility map (index-only scans for counts); PGlite just analyzes.
    await connection.exec(connection.kind === "postgres" ? `VACUUM (ANALYZE) ${table}` : `ANALYZE ${table}`);
  }
  log(`[seed] analyzed (${elapsed()})`);

  let name = workspace.name;
  if (!options.workspaceId) {
    await db
      .update(workspaces)
      .set({ name: finalName, updatedAt: sql`now()` })
      .where(eq(workspaces.id, workspace.id));
    name = finalName;
  }
  const counts = await workspaceCounts(db, workspace.id);
  log(`[seed] done in ${elapsed()}`);
  return {
    workspaceId: workspace.id,
    name,
    counts,
    users: benchUsers,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/**
 * Sets the last activity of the workspace's records of one link from their live activities, in
 * one grouped pass: what the activities' trigger does per statement, deferred by the seed's chunks.
 */
function lastActivityOf(link: "contact" | "company" | "lead" | "deal", workspaceId: string): string {
  const table = { contact: "contacts", company: "companies", lead: "leads", deal: "deals" }[link];
  const workspace = `'${workspaceId.replace(/'/g, "''")}'::uuid`;
  return `UPDATE ${table} AS r SET last_activity_at = latest.at
FROM (SELECT ${link}_id AS id, max(occurred_at) AS at FROM activities
      WHERE workspace_id = ${workspace} AND ${link}_id IS NOT NULL AND deleted_at IS NULL GROUP BY ${link}_id) AS latest
WHERE r.workspace_id = ${workspace} AND r.id = latest.id AND r.last_activity_at IS DISTINCT FROM latest.at`;
}

type WorkspaceRow = { id: string; name: string; baseCurrency: string };

async function findWorkspace(db: Database, id: string): Promise<WorkspaceRow> {
  const [row] = await db
    .select({ id: workspaces.id, name: workspaces.name, baseCurrency: workspaces.baseCurrency })
    .from(workspaces)
    .where(eq(workspaces.id, id));
  if (!row) throw new Error(`No workspace ${id}.`);
  return row;
}

/** A new workspace administered by a new bench user (whose e-mail needs the workspace id). */
async function createBenchWorkspace(db: Database, name: string): Promise<WorkspaceRow> {
  const adminId = newId();
  await db.insert(users).values({
    id: adminId,
    email: `bench-1@pending-${adminId}.keel.test`,
    name: benchUserName(1),
    passwordHash: await hashPassword(benchPassword),
  });
  const workspace = await createWorkspace(db, { name, adminUserId: adminId });
  await db
    .update(users)
    .set({ email: benchUserEmail(workspace.id, 1) })
    .where(eq(users.id, adminId));
  return { id: workspace.id, name: workspace.name, baseCurrency: workspace.baseCurrency };
}

function benchUserName(index: number): string {
  return `${firstNames[(index * 7) % firstNames.length]} ${lastNames[(index * 13) % lastNames.length]}`;
}

/** Makes sure the workspace has its 20 bench members; returns their credentials. */
async function ensureBenchUsers(db: Database, workspaceId: string): Promise<LargeSeedResult["users"]> {
  const emails = benchRoles.map((_, i) => benchUserEmail(workspaceId, i + 1));
  const existing = await db
    .select({ id: users.id, email: users.email, role: memberships.role })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
    .where(inArray(users.email, emails));
  const byEmail = new Map(existing.map((row) => [row.email, row]));
  const missingUsers = emails.flatMap((email, i) => (byEmail.has(email) ? [] : [{ email, index: i + 1 }]));
  if (missingUsers.length > 0) {
    const passwordHash = await hashPassword(benchPassword);
    const inserted = await db
      .insert(users)
      .values(
        missingUsers.map(({ email, index }) => ({ id: newId(), email, name: benchUserName(index), passwordHash })),
      )
      .returning({ id: users.id, email: users.email });
    for (const row of inserted) byEmail.set(row.email, { ...row, role: null });
  }
  const missingMembers = emails.flatMap((email, i) => {
    const row = byEmail.get(email);
    return row && !row.role ? [{ workspaceId, id: newId(), userId: row.id, role: benchRoles[i] ?? "agent" }] : [];
  });
  if (missingMembers.length > 0) await db.insert(memberships).values(missingMembers);
  return emails.map((email, i) => ({
    email,
    password: benchPassword,
    role: byEmail.get(email)?.role ?? benchRoles[i] ?? "agent",
  }));
}

/** Members who can own records: admins, managers and agents. */
async function ownerIds(db: Database, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.role, ["admin", "manager", "agent"])))
    .orderBy(asc(memberships.createdAt), asc(memberships.id));
  return rows.map((row) => row.userId);
}

async function defaultPipeline(db: Database, workspaceId: string): Promise<Pick<SeedPlan, "pipelineId" | "stages">> {
  const [pipeline] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.isDefault, true), isNull(pipelines.deletedAt)));
  if (!pipeline) throw new Error(`Workspace ${workspaceId} has no default pipeline.`);
  const stages = await db
    .select({
      id: pipelineStages.id,
      probability: pipelineStages.probability,
      isWon: pipelineStages.isWon,
      isLost: pipelineStages.isLost,
    })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.pipelineId, pipeline.id)))
    .orderBy(asc(pipelineStages.position));
  if (stages.length === 0) throw new Error(`The default pipeline of workspace ${workspaceId} has no stages.`);
  return { pipelineId: pipeline.id, stages };
}

type CountedTable =
  | typeof companies
  | typeof contacts
  | typeof leads
  | typeof leadContacts
  | typeof leadStatusChanges
  | typeof deals
  | typeof activities
  | typeof tasks
  | typeof taskDependencies
  | typeof memberships;

async function countRows(db: Database, table: CountedTable, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(table)
    .where(eq(table.workspaceId, workspaceId));
  return row?.count ?? 0;
}

/** Every table's rows in a workspace. */
export async function workspaceCounts(db: Database, workspaceId: string): Promise<LargeSeedCounts> {
  return {
    users: await countRows(db, memberships, workspaceId),
    companies: await countRows(db, companies, workspaceId),
    contacts: await countRows(db, contacts, workspaceId),
    leads: await countRows(db, leads, workspaceId),
    leadContacts: await countRows(db, leadContacts, workspaceId),
    leadStatusChanges: await countRows(db, leadStatusChanges, workspaceId),
    deals: await countRows(db, deals, workspaceId),
    activities: await countRows(db, activities, workspaceId),
    tasks: await countRows(db, tasks, workspaceId),
    taskDependencies: await countRows(db, taskDependencies, workspaceId),
  };
}

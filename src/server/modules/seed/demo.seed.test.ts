import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../app.ts";
import { parseConfig } from "../../config.ts";
import { openPglite, type DatabaseConnection } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import type { LeadPriority, LeadStatus } from "../../../shared/schemas/lead.ts";
import { computeLeadScore } from "../leads/leads.score.ts";
import { defaultStages } from "../pipelines/pipelines.defaults.ts";
import { demoAccounts, demoPassword, seedDemoIfEmpty, seedLargeWorkspace } from "./index.ts";

// Not the shared test database: the demo seed only runs on an empty one.
let connection: DatabaseConnection;
let app: FastifyInstance;

beforeAll(async () => {
  connection = await openPglite("memory://");
  await migrate(connection);
});
afterAll(async () => {
  await app?.close();
  await connection?.close();
});

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await connection.db.execute(query)) as unknown as { rows: T[] }).rows;
}

describe("seedDemoIfEmpty", () => {
  it("fills an empty database once, and does nothing the second time", async () => {
    const started = performance.now();
    expect(await seedDemoIfEmpty(connection.db)).toBe(true);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(await seedDemoIfEmpty(connection.db)).toBe(false);
    const [users] = await rows<{ count: number }>(sql`select count(*)::int as count from users`);
    expect(users?.count).toBe(demoAccounts.length);
  });

  it("lets every demo account sign in with its role and see the demo contacts", async () => {
    app = await buildApp(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }), { db: connection.db });
    for (const account of demoAccounts) {
      const signIn = await app.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        payload: { email: account.email, password: demoPassword },
      });
      expect(signIn.statusCode).toBe(200);
      const cookie = signIn.cookies.find((c) => c.name === "keel_session");
      expect(cookie).toBeDefined();
      const headers = { cookie: `keel_session=${cookie?.value}` };
      const me = await app.inject({ method: "GET", url: "/api/v1/me", headers });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ user: { email: account.email }, role: account.role });
      expect(me.json().workspaces.map((w: { name: string }) => w.name)).toEqual(["Demo"]);
      const count = await app.inject({ method: "GET", url: "/api/v1/contacts/count", headers });
      expect(count.statusCode).toBe(200);
      expect(count.json().count).toBeGreaterThan(50);
    }
  });

  it("has leads in every status, with contacts and a status history", async () => {
    const statuses = await rows<{ status: string; count: number; lost: number; deals: number }>(sql`
      select status, count(*)::int as count, count(lost_reason)::int as lost, count(deal_id)::int as deals
      from leads group by status`);
    expect(statuses.map((s) => s.status).sort()).toEqual(["contacted", "converted", "lost", "new", "qualified"]);
    const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s]));
    expect(byStatus.lost?.lost).toBe(byStatus.lost?.count);
    expect(byStatus.converted?.deals).toBe(byStatus.converted?.count);
    const [check] = await rows<{ without_primary: number; without_history: number; wrong_last: number }>(sql`
      select
        (select count(*)::int from leads l where (select count(*) from lead_contacts lc where lc.lead_id = l.id and lc.is_primary) <> 1) as without_primary,
        (select count(*)::int from leads l where not exists (select 1 from lead_status_changes c where c.lead_id = l.id)) as without_history,
        (select count(*)::int from leads l where l.status <> (select c.to_status from lead_status_changes c where c.lead_id = l.id order by c.changed_at desc, c.from_status is null limit 1)) as wrong_last`);
    expect(check).toEqual({
      without_primary: 0,
      without_history: 0,
      wrong_last: 0,
    });
  });

  it("obeys the product's own rules: lead scores as the write path computes them, won deals' contacts are customers", async () => {
    const leads = await rows<{
      priority: LeadPriority;
      estimated_value: string | null;
      status: LeadStatus;
      score: number;
    }>(sql`select priority, estimated_value, status, score from leads`);
    expect(leads.length).toBeGreaterThan(0);
    for (const lead of leads) {
      const { priority, status } = lead;
      expect(lead.score).toBe(
        computeLeadScore({ priority, status, estimatedValue: lead.estimated_value, hasPrimaryContact: true }),
      );
    }
    const [lifecycles] = await rows<{ won: number; not_customers: number }>(sql`
      select count(distinct c.id)::int as won,
        count(distinct c.id) filter (where c.lifecycle <> 'customer')::int as not_customers
      from deals d join contacts c on c.id = d.contact_id where d.status = 'won'`);
    expect(lifecycles!.won).toBeGreaterThan(0);
    expect(lifecycles!.not_customers).toBe(0);
  });

  it("has deals in every stage of the default pipeline, their status following the stage", async () => {
    const stages = await rows<{ name: string; deals: number; inconsistent: number }>(sql`
      select s.name, count(d.id)::int as deals,
        count(*) filter (where d.status <> case when s.is_won then 'won' when s.is_lost then 'lost' else 'open' end
          or d.probability <> s.probability
          or (d.actual_close_date is null) = (s.is_won or s.is_lost))::int as inconsistent
      from pipeline_stages s left join deals d on d.workspace_id = s.workspace_id and d.stage_id = s.id
      group by s.name, s.position order by s.position`);
    expect(stages.map((s) => s.name)).toEqual(defaultStages.map((s) => s.name));
    for (const stage of stages) {
      expect(stage.deals).toBeGreaterThan(0);
      expect(stage.inconsistent).toBe(0);
    }
  });

  it("has activities of every type in the last 90 days and tasks done, overdue, due today and upcoming", async () => {
    const types = await rows<{ type: string; outside: number }>(sql`
      select type, count(*) filter (where occurred_at < now() - interval '91 days' or occurred_at > now())::int as outside
      from activities group by type order by type`);
    expect(types).toEqual(["call", "email", "meeting", "note"].map((type) => ({ type, outside: 0 })));
    const [tasks] = await rows<Record<string, number>>(sql`
      select
        count(*) filter (where status = 'completed' and completed_at is not null)::int as done,
        count(*) filter (where status <> 'completed' and due_at < now())::int as overdue,
        count(*) filter (where status <> 'completed' and due_at::date = current_date)::int as today,
        count(*) filter (where status <> 'completed' and due_at > now())::int as upcoming,
        count(*) filter (where remind_at is not null)::int as reminders,
        count(*) filter (where remind_at < now() and reminded_at is null)::int as unsent_past_reminders,
        count(distinct assignee_id)::int as assignees,
        (select count(*)::int from task_dependencies) as dependencies,
        (select count(*)::int from task_dependencies d join tasks a on a.id = d.task_id join tasks b on b.id = d.depends_on_id
          where a.status = 'completed' and b.status <> 'completed') as broken_dependencies
      from tasks`);
    expect(tasks).toMatchObject({ unsent_past_reminders: 0, assignees: 3, broken_dependencies: 0 });
    for (const key of ["done", "overdue", "today", "upcoming", "reminders", "dependencies"])
      expect(tasks?.[key]).toBeGreaterThan(0);
  });
});

describe("seedLargeWorkspace", () => {
  let large: DatabaseConnection;
  beforeAll(async () => {
    large = await openPglite("memory://");
    await migrate(large);
  });
  afterAll(() => large?.close());

  it("generates a workspace in the proportions of PRODUCT.md §10, and adds to it when given its id", async () => {
    const quiet = { log: () => undefined };
    const first = await seedLargeWorkspace(large, { contacts: 2000, ...quiet });
    expect(first.name).toBe("Benchmark (2000 contacts)");
    expect(first.counts).toMatchObject({
      users: 20,
      companies: 400,
      contacts: 2000,
      leads: 1000,
      deals: 600,
      activities: 6000,
      tasks: 1000,
    });
    expect(first.counts.leadContacts).toBeGreaterThanOrEqual(1000);
    expect(first.counts.leadStatusChanges).toBeGreaterThanOrEqual(1000);
    expect(first.counts.taskDependencies).toBeGreaterThan(0);
    expect(first.users).toHaveLength(20);
    expect(first.users.filter((u) => u.role === "admin")).toHaveLength(1);
    expect(first.users.filter((u) => u.role === "manager")).toHaveLength(3);
    expect(first.users[0]).toEqual({
      email: `bench-1@${first.workspaceId}.keel.test`,
      password: "bench-password-1",
      role: "admin",
    });

    const again = await seedLargeWorkspace(large, { contacts: 2000, workspaceId: first.workspaceId, ...quiet });
    expect(again.workspaceId).toBe(first.workspaceId);
    expect(again.counts).toMatchObject({
      users: 20,
      companies: 800,
      contacts: 4000,
      leads: 2000,
      deals: 1200,
      activities: 12000,
      tasks: 2000,
    });
  });

  it("defers an insert's last-activity refresh only where the transaction asks (keel.defer_last_activity)", async () => {
    const lastActivityAfterInsert = (defer: boolean) =>
      large.db
        .transaction(async (tx) => {
          if (defer) await tx.execute(sql`set local keel.defer_last_activity = 'on'`);
          const [contact] = (
            (await tx.execute(
              sql`select workspace_id, id from contacts where last_activity_at is not null limit 1`,
            )) as unknown as { rows: { workspace_id: string; id: string }[] }
          ).rows;
          await tx.execute(sql`insert into activities (workspace_id, id, type, subject, occurred_at, contact_id)
            values (${contact!.workspace_id}, gen_random_uuid(), 'note', 'Later', now() + interval '1 day', ${contact!.id})`);
          const [after] = (
            (await tx.execute(
              sql`select last_activity_at > now() as raised from contacts where id = ${contact!.id}`,
            )) as unknown as { rows: { raised: boolean }[] }
          ).rows;
          throw new Rollback(after!.raised);
        })
        .catch((error: unknown) => {
          if (error instanceof Rollback) return error.raised;
          throw error;
        });
    expect(await lastActivityAfterInsert(false)).toBe(true);
    expect(await lastActivityAfterInsert(true)).toBe(false);
  });

  it("keeps the generated records consistent", async () => {
    const [check] = (
      (await large.db.execute(sql`
      select
        (select count(*)::int from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
          where d.status <> case when s.is_won then 'won' when s.is_lost then 'lost' else 'open' end
            or d.probability <> s.probability or (d.actual_close_date is null) = (s.is_won or s.is_lost)) as bad_deals,
        (select count(*)::int from leads l where (select count(*) from lead_contacts lc where lc.workspace_id = l.workspace_id
          and lc.lead_id = l.id and lc.is_primary) <> 1) as leads_without_primary,
        (select count(*)::int from leads where status = 'converted' and (deal_id is null or converted_at is null)) as bad_conversions,
        (select count(*)::int from leads where (status = 'lost') <> (lost_reason is not null)) as bad_lost,
        (select count(*)::int from task_dependencies d join tasks a on a.workspace_id = d.workspace_id and a.id = d.task_id
          join tasks b on b.workspace_id = d.workspace_id and b.id = d.depends_on_id
          where a.status = 'completed' and b.status <> 'completed') as broken_dependencies,
        (select count(*)::int from tasks where (status = 'completed') <> (completed_at is not null)) as bad_tasks,
        (select count(*)::int from tasks where remind_at < now() and reminded_at is null) as unsent_past_reminders,
        (select count(*)::int from contacts where phone !~ '^\\+[1-9][0-9]{6,14}$') as bad_phones,
        (select count(*)::int from contacts where created_at <> date_trunc('milliseconds', created_at)) as sub_millisecond,
        (select count(*)::int from contacts where substr(id::text, 15, 1) <> '7') as not_v7,
        (select count(*)::int from contacts r where last_activity_at is distinct from (select max(occurred_at)
          from activities a where a.workspace_id = r.workspace_id and a.contact_id = r.id and a.deleted_at is null))
          + (select count(*)::int from companies r where last_activity_at is distinct from (select max(occurred_at)
          from activities a where a.workspace_id = r.workspace_id and a.company_id = r.id and a.deleted_at is null))
          + (select count(*)::int from leads r where last_activity_at is distinct from (select max(occurred_at)
          from activities a where a.workspace_id = r.workspace_id and a.lead_id = r.id and a.deleted_at is null))
          + (select count(*)::int from deals r where last_activity_at is distinct from (select max(occurred_at)
          from activities a where a.workspace_id = r.workspace_id and a.deal_id = r.id and a.deleted_at is null))
          as wrong_last_activity,
        (select count(*)::int from contacts where last_activity_at is not null) as contacts_with_activity`)) as unknown as {
        rows: Record<string, number>[];
      }
    ).rows;
    expect(check!.contacts_with_activity).toBeGreaterThan(1000);
    expect(check).toEqual({
      contacts_with_activity: check!.contacts_with_activity,
      wrong_last_activity: 0,
      bad_deals: 0,
      leads_without_primary: 0,
      bad_conversions: 0,
      bad_lost: 0,
      broken_dependencies: 0,
      bad_tasks: 0,
      unsent_past_reminders: 0,
      bad_phones: 0,
      sub_millisecond: 0,
      not_v7: 0,
    });
  });
});

/** Ends a test's transaction without keeping anything, carrying what it saw. */
class Rollback extends Error {
  constructor(readonly raised: boolean) {
    super("rollback");
  }
}

import { sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../lib/ids.ts";
import { companies } from "../modules/companies/companies.table.ts";
import { contacts } from "../modules/contacts/contacts.table.ts";
import { deals } from "../modules/deals/deals.table.ts";
import { leadContacts, leads } from "../modules/leads/leads.table.ts";
import { pipelineStages } from "../modules/pipelines/pipelines.table.ts";
import { savedViews } from "../modules/saved-views/saved-views.table.ts";
import { taskDependencies, tasks } from "../modules/tasks/tasks.table.ts";
import { createWorkspace } from "../modules/workspaces/index.ts";
import { createUser, testDatabase } from "../test/create-test-app.ts";
import type { Database, Transaction } from "./client.ts";
import { findDatabaseError } from "./constraints.ts";
import { withWorkspaceTransaction } from "./transaction.ts";

/**
 * Row-level security, checked in the database itself, on whichever database the suite uses
 * (PGlite, or the PostgreSQL server of TEST_DATABASE_URL).
 */

type Fixture = {
  workspaceId: string;
  userId: string;
  companyId: string;
  contactId: string;
  leadId: string;
  pipelineId: string;
  stageId: string;
  taskId: string;
};

let db: Database;
let a: Fixture;
let b: Fixture;

/** A workspace with one row of each kind, written as the connecting (system) role. */
async function fixture(name: string): Promise<Fixture> {
  const user = await createUser(`${name} admin`);
  const workspace = await createWorkspace(db, { name, adminUserId: user.id });
  const workspaceId = workspace.id;
  const companyId = newId();
  const contactId = newId();
  const leadId = newId();
  const taskId = newId();
  await db.insert(companies).values({ workspaceId, id: companyId, name: `${name} Inc`, ownerId: user.id });
  await db.insert(contacts).values({ workspaceId, id: contactId, firstName: name, companyId, ownerId: user.id });
  await db.insert(leads).values({ workspaceId, id: leadId, title: `${name} lead`, ownerId: user.id });
  await db.insert(leadContacts).values({ workspaceId, leadId, contactId, isPrimary: true });
  await db.insert(tasks).values({ workspaceId, id: taskId, title: `${name} task`, assigneeId: user.id });
  await db
    .insert(savedViews)
    .values({ workspaceId, id: newId(), name: `${name} view`, resource: "contacts", ownerId: user.id });
  const [stage] = await db
    .select({ id: pipelineStages.id, pipelineId: pipelineStages.pipelineId })
    .from(pipelineStages)
    .where(sql`${pipelineStages.workspaceId} = ${workspaceId}`)
    .orderBy(pipelineStages.position)
    .limit(1);
  if (!stage) throw new Error("no default pipeline");
  return {
    workspaceId,
    userId: user.id,
    companyId,
    contactId,
    leadId,
    pipelineId: stage.pipelineId,
    stageId: stage.id,
    taskId,
  };
}

beforeAll(async () => {
  db = (await testDatabase()).db;
  a = await fixture("Rls A");
  b = await fixture("Rls B");
});

const rowsOf = <T = Record<string, unknown>>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** Runs `work` as keel_app in a transaction; `workspaceId` null leaves app.workspace_id unset. */
function asKeelApp<T>(workspaceId: string | null, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'keel_app', true)`);
    if (workspaceId !== null) await tx.execute(sql`select set_config('app.workspace_id', ${workspaceId}, true)`);
    return work(tx);
  });
}

async function count(runner: { execute: (query: SQL) => Promise<unknown> }, query: SQL): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(await runner.execute(query));
  return Number(row?.n);
}

/** The SQLSTATE a promise rejects with. */
async function sqlStateOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return findDatabaseError(error)?.code ?? `not a database error: ${String(error)}`;
  }
  return undefined;
}

describe("row-level security catalog", () => {
  it("enables, forces and scopes RLS with a restrictive keel_app policy on every table with workspace_id", async () => {
    const tables = rowsOf<{
      name: string;
      rls: boolean;
      forced: boolean;
      restrictive: number;
      policy: string | null;
    }>(
      await db.execute(sql`
        select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
          (select count(*)::int from pg_policies p
            where p.schemaname = 'public' and p.tablename = c.relname and p.permissive = 'RESTRICTIVE'
              and 'keel_app' = any(p.roles) and p.cmd = 'ALL') as restrictive,
          (select string_agg(coalesce(p.qual, '') || ' / ' || coalesce(p.with_check, ''), ' | ') from pg_policies p
            where p.schemaname = 'public' and p.tablename = c.relname and p.permissive = 'RESTRICTIVE'
              and 'keel_app' = any(p.roles)) as policy
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
          and exists (select 1 from pg_attribute a
            where a.attrelid = c.oid and a.attname = 'workspace_id' and not a.attisdropped)
        order by c.relname`),
    );
    const names = tables.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "activities",
        "companies",
        "contacts",
        "deals",
        "leads",
        "memberships",
        "pipelines",
        "saved_views",
        "tasks",
      ]),
    );
    const unsecured = tables.filter((t) => !t.rls || !t.forced || t.restrictive < 1).map((t) => t.name);
    expect(unsecured).toEqual([]);
    for (const table of tables) {
      // Both USING and WITH CHECK compare workspace_id with the transaction's app.workspace_id.
      expect(table.policy?.split(" / ").filter((part) => part.includes("app.workspace_id"))).toHaveLength(2);
    }
  });

  it("makes keel_app a plain role that cannot bypass row-level security or own the tables", async () => {
    const [role] = rowsOf<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
      await db.execute(sql`select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'keel_app'`),
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    const owned = rowsOf(
      await db.execute(sql`
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and pg_get_userbyid(c.relowner) = 'keel_app'`),
    );
    expect(owned).toEqual([]);
  });
});

describe("keel_app in a workspace transaction", () => {
  it("sees only its workspace's rows", async () => {
    await asKeelApp(a.workspaceId, async (tx) => {
      for (const table of [
        "companies",
        "contacts",
        "leads",
        "lead_contacts",
        "pipelines",
        "pipeline_stages",
        "tasks",
        "memberships",
        "saved_views",
      ]) {
        const foreign = await count(
          tx,
          sql`select count(*) as n from ${sql.identifier(table)} where workspace_id <> ${a.workspaceId}`,
        );
        expect(foreign, table).toBe(0);
        const own = await count(tx, sql`select count(*) as n from ${sql.identifier(table)}`);
        expect(own, table).toBeGreaterThan(0);
      }
      expect(await count(tx, sql`select count(*) as n from contacts where id = ${b.contactId}`)).toBe(0);
      expect(await count(tx, sql`select count(*) as n from contacts where id = ${a.contactId}`)).toBe(1);
    });
  });

  it("sees another workspace's rows only when that workspace is the one set", async () => {
    await asKeelApp(b.workspaceId, async (tx) => {
      expect(await count(tx, sql`select count(*) as n from contacts where id = ${b.contactId}`)).toBe(1);
      expect(await count(tx, sql`select count(*) as n from contacts where id = ${a.contactId}`)).toBe(0);
    });
  });

  it("sees no rows at all without app.workspace_id, or with an empty one", async () => {
    for (const setting of [null, ""]) {
      await asKeelApp(setting, async (tx) => {
        for (const table of [
          "companies",
          "contacts",
          "leads",
          "pipelines",
          "tasks",
          "memberships",
          "outbox_events",
          "saved_views",
        ]) {
          expect(
            await count(tx, sql`select count(*) as n from ${sql.identifier(table)}`),
            `${table} with ${String(setting)}`,
          ).toBe(0);
        }
      });
    }
  });

  it("cannot insert a row into another workspace", async () => {
    const id = newId();
    const state = await sqlStateOf(
      asKeelApp(a.workspaceId, (tx) =>
        tx.execute(
          sql`insert into contacts (workspace_id, id, first_name) values (${b.workspaceId}, ${id}, 'Intruder')`,
        ),
      ),
    );
    expect(state).toBe("42501"); // insufficient_privilege: new row violates row-level security policy
    expect(await count(db, sql`select count(*) as n from contacts where id = ${id}`)).toBe(0);
  });

  it("cannot write another workspace's audit entry or events through keel_record_fact", async () => {
    const entryId = newId();
    const eventId = newId();
    const entry = { workspace_id: b.workspaceId, id: entryId, actor_type: "user", action: "contact.updated" };
    const event = {
      workspace_id: b.workspaceId,
      id: eventId,
      type: "contact.updated",
      version: 1,
      resource_type: "contact",
      resource_id: b.contactId,
      payload: {},
    };
    const call = (entryOf: object, events: object[]) =>
      asKeelApp(a.workspaceId, (tx) =>
        tx.execute(sql`select keel_record_fact(${JSON.stringify(entryOf)}::jsonb, ${JSON.stringify(events)}::jsonb)`),
      );
    expect(await sqlStateOf(call(entry, []))).toBe("42501");
    expect(await sqlStateOf(call({ ...entry, workspace_id: a.workspaceId }, [event]))).toBe("42501");
    expect(await count(db, sql`select count(*) as n from audit_logs where id = ${entryId}`)).toBe(0);
    expect(await count(db, sql`select count(*) as n from outbox_events where id = ${eventId}`)).toBe(0);
  });
  it("cannot insert a row without app.workspace_id", async () => {
    const state = await sqlStateOf(
      asKeelApp(null, (tx) =>
        tx.execute(
          sql`insert into companies (workspace_id, id, name) values (${a.workspaceId}, ${newId()}, 'Nowhere')`,
        ),
      ),
    );
    expect(state).toBe("42501");
  });

  it("updates and deletes nothing of another workspace", async () => {
    await asKeelApp(a.workspaceId, async (tx) => {
      const updated = await tx.execute(
        sql`update contacts set first_name = 'Hijacked' where workspace_id = ${b.workspaceId} returning id`,
      );
      expect(rowsOf(updated)).toEqual([]);
      const deleted = await tx.execute(sql`delete from tasks where id = ${b.taskId} returning id`);
      expect(rowsOf(deleted)).toEqual([]);
    });
    const [contact] = rowsOf<{ first_name: string }>(
      await db.execute(sql`select first_name from contacts where id = ${b.contactId}`),
    );
    expect(contact?.first_name).toBe("Rls B");
    expect(await count(db, sql`select count(*) as n from tasks where id = ${b.taskId}`)).toBe(1);
  });

  it("cannot move its own row into another workspace", async () => {
    const state = await sqlStateOf(
      asKeelApp(a.workspaceId, (tx) =>
        tx.execute(sql`update leads set workspace_id = ${b.workspaceId}, owner_id = null where id = ${a.leadId}`),
      ),
    );
    expect(state).toBe("42501");
    expect(
      await count(db, sql`select count(*) as n from leads where id = ${a.leadId} and workspace_id = ${a.workspaceId}`),
    ).toBe(1);
  });

  it("cannot read sessions at all", async () => {
    expect(await sqlStateOf(asKeelApp(a.workspaceId, (tx) => tx.execute(sql`select count(*) from sessions`)))).toBe(
      "42501",
    );
    expect(
      await sqlStateOf(asKeelApp(a.workspaceId, (tx) => tx.execute(sql`select token_hash from sessions limit 1`))),
    ).toBe("42501");
  });

  it("cannot read account tokens or the mail outbox", async () => {
    for (const table of ["account_tokens", "mail_outbox"]) {
      expect(
        await sqlStateOf(
          asKeelApp(a.workspaceId, (tx) => tx.execute(sql`select count(*) from ${sql.identifier(table)}`)),
        ),
      ).toBe("42501");
    }
  });

  it("cannot read or change password hashes, but can read users' names and e-mails", async () => {
    expect(
      await sqlStateOf(asKeelApp(a.workspaceId, (tx) => tx.execute(sql`select password_hash from users limit 1`))),
    ).toBe("42501");
    expect(await sqlStateOf(asKeelApp(a.workspaceId, (tx) => tx.execute(sql`select * from users limit 1`)))).toBe(
      "42501",
    );
    expect(
      await sqlStateOf(
        asKeelApp(a.workspaceId, (tx) => tx.execute(sql`update users set password_hash = 'x' where id = ${b.userId}`)),
      ),
    ).toBe("42501");
    const [user] = await asKeelApp(a.workspaceId, async (tx) =>
      rowsOf<{ id: string }>(await tx.execute(sql`select id, email, name from users where id = ${a.userId}`)),
    );
    expect(user?.id).toBe(a.userId);
  });

  it("cannot create workspaces or change memberships' workspace", async () => {
    expect(
      await sqlStateOf(
        asKeelApp(a.workspaceId, (tx) =>
          tx.execute(sql`insert into workspaces (id, name) values (${newId()}, 'Rogue')`),
        ),
      ),
    ).toBe("42501");
    expect(
      await sqlStateOf(
        asKeelApp(a.workspaceId, (tx) =>
          tx.execute(
            sql`insert into memberships (workspace_id, id, user_id, role) values (${b.workspaceId}, ${newId()}, ${a.userId}, 'admin')`,
          ),
        ),
      ),
    ).toBe("42501");
  });

  it("marks the search operators leakproof, so row-level security lets them use the search indexes", async () => {
    // Without LEAKPROOF, RLS forbids these operators as index conditions and every `q` walks the
    // whole workspace (seconds at a million contacts). Superusers run the test suites here.
    const result = await db.execute(
      sql`select p.proname as name, p.proleakproof as leakproof from pg_proc p
          where p.proname in ('ts_match_vq', 'textlike', 'word_similarity_op') and p.pronargs = 2
            and p.proargtypes[0] in ('tsvector'::regtype, 'text'::regtype) order by 1`,
    );
    expect(rowsOf(result)).toEqual([
      { name: "textlike", leakproof: true },
      { name: "ts_match_vq", leakproof: true },
      { name: "word_similarity_op", leakproof: true },
    ]);
  });

  it("is what withWorkspaceTransaction runs as, and the role ends with the transaction", async () => {
    const inside = await withWorkspaceTransaction(db, a.workspaceId, async (tx) =>
      rowsOf<{ role: string; ws: string }>(
        await tx.execute(sql`select current_user as role, current_setting('app.workspace_id') as ws`),
      ),
    );
    expect(inside).toEqual([{ role: "keel_app", ws: a.workspaceId }]);
    const [after] = rowsOf<{ role: string; ws: string | null }>(
      await db.execute(sql`select current_user as role, nullif(current_setting('app.workspace_id', true), '') as ws`),
    );
    expect(after?.role).not.toBe("keel_app");
    expect(after?.ws).toBeNull();
  });
});

describe("composite foreign keys", () => {
  // These hold even for the connecting role, which row-level security does not restrict.
  const references: [string, () => SQL][] = [
    [
      "a contact in A with B's company",
      () =>
        sql`insert into ${contacts} (workspace_id, id, first_name, company_id) values (${a.workspaceId}, ${newId()}, 'X', ${b.companyId})`,
    ],
    [
      "a contact in A owned by B's admin",
      () =>
        sql`insert into ${contacts} (workspace_id, id, first_name, owner_id) values (${a.workspaceId}, ${newId()}, 'X', ${b.userId})`,
    ],
    [
      "a lead in A linked to B's contact",
      () =>
        sql`insert into ${leadContacts} (workspace_id, lead_id, contact_id) values (${a.workspaceId}, ${a.leadId}, ${b.contactId})`,
    ],
    [
      "a deal in A in B's pipeline",
      () => sql`insert into ${deals} (workspace_id, id, name, currency, pipeline_id, stage_id)
        values (${a.workspaceId}, ${newId()}, 'X', 'USD', ${b.pipelineId}, ${b.stageId})`,
    ],
    [
      "a deal in A's pipeline at B's stage",
      () => sql`insert into ${deals} (workspace_id, id, name, currency, pipeline_id, stage_id)
        values (${a.workspaceId}, ${newId()}, 'X', 'USD', ${a.pipelineId}, ${b.stageId})`,
    ],
    [
      "a task in A depending on B's task",
      () =>
        sql`insert into ${taskDependencies} (workspace_id, task_id, depends_on_id) values (${a.workspaceId}, ${a.taskId}, ${b.taskId})`,
    ],
    [
      "a task in A assigned to B's admin",
      () =>
        sql`insert into ${tasks} (workspace_id, id, title, assignee_id) values (${a.workspaceId}, ${newId()}, 'X', ${b.userId})`,
    ],
    [
      "an activity in A about B's lead",
      () => sql`insert into activities (workspace_id, id, type, subject, occurred_at, lead_id)
        values (${a.workspaceId}, ${newId()}, 'note', 'X', now(), ${b.leadId})`,
    ],
  ];

  it.each(references)("refuse %s, even for the system role", async (_name, statement) => {
    expect(await sqlStateOf(db.execute(statement()))).toBe("23503"); // foreign_key_violation
  });

  it("refuse moving a row to another workspace while it references its own", async () => {
    const state = await sqlStateOf(
      db.execute(sql`update ${contacts} set workspace_id = ${b.workspaceId} where id = ${a.contactId}`),
    );
    expect(state).toBe("23503");
  });

  it("accept the same references within one workspace", async () => {
    await db.execute(
      sql`insert into ${contacts} (workspace_id, id, first_name, company_id, owner_id) values (${a.workspaceId}, ${newId()}, 'Fine', ${a.companyId}, ${a.userId})`,
    );
    await db.execute(
      sql`insert into ${deals} (workspace_id, id, name, currency, pipeline_id, stage_id) values (${a.workspaceId}, ${newId()}, 'Fine', 'USD', ${a.pipelineId}, ${a.stageId})`,
    );
  });

  it("key every tenant table's primary key by workspace first", async () => {
    const keys = rowsOf<{ table: string; first: string }>(
      await db.execute(sql`
        select c.relname as "table", a.attname as first
        from pg_constraint k
        join pg_class c on c.oid = k.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
        where n.nspname = 'public' and k.contype = 'p'
          and exists (select 1 from pg_attribute w where w.attrelid = c.oid and w.attname = 'workspace_id' and not w.attisdropped)`),
    );
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((k) => k.first !== "workspace_id")).toEqual([]);
  });

  it("include workspace_id in every foreign key between tenant tables", async () => {
    const foreignKeys = rowsOf<{ name: string; columns: string[] }>(
      await db.execute(sql`
        select k.conname as name,
          array(select a.attname::text from unnest(k.conkey) as u(attnum)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum) as columns
        from pg_constraint k
        join pg_class source on source.oid = k.conrelid
        join pg_class target on target.oid = k.confrelid
        join pg_namespace n on n.oid = source.relnamespace
        where n.nspname = 'public' and k.contype = 'f'
          and exists (select 1 from pg_attribute w where w.attrelid = source.oid and w.attname = 'workspace_id' and not w.attisdropped)
          and exists (select 1 from pg_attribute w where w.attrelid = target.oid and w.attname = 'workspace_id' and not w.attisdropped)`),
    );
    expect(foreignKeys.length).toBeGreaterThan(10);
    expect(foreignKeys.filter((fk) => !fk.columns.includes("workspace_id")).map((fk) => fk.name)).toEqual([]);
  });
});

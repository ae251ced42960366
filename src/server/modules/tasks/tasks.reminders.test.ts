import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { openPostgres } from "../../db/client.ts";
import { createLogger } from "../../http/logging.ts";
import { createTestApp, createTestWorkspace, testDatabase, type TestWorkspace } from "../../test/create-test-app.ts";
import { mailOutbox } from "../mail/mail.table.ts";
import { notifications } from "../notifications/index.ts";
import { outboxEvents } from "../outbox/outbox.table.ts";
import { notifyOverdueTasks, sendDueReminders } from "./tasks.reminders.ts";
import { tasks } from "./tasks.table.ts";

// eslint-disable-next-line n/no-process-env -- the PostgreSQL-only test needs the server's URL
const postgresUrl = process.env.TEST_DATABASE_URL;

const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", PUBLIC_URL: "https://crm.example.com" });
const log = createLogger(config);

let app: FastifyInstance;
let ws: TestWorkspace;

beforeAll(async () => {
  app = await createTestApp();
  ws = await createTestWorkspace(app, "Reminders");
});
afterAll(() => app.close());

type Task = { id: string; version: number; remindAt: string | null };

const past = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function createTask(body: Record<string, unknown>): Promise<Task> {
  const response = await ws.manager.client.post("/api/v1/tasks", { title: "Call Ada", ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** One runner's pass over this file's workspace: what a worker's loop runs, until nothing is due. */
async function runUntilDone(db = app.db, workspaceIds: readonly string[] = [ws.id]) {
  while ((await sendDueReminders({ db, config, log }, { batchSize: 7, workspaceIds })) > 0);
}

async function notificationsOf(taskId: string) {
  const { db } = await testDatabase();
  return db.select().from(notifications).where(eq(notifications.resourceId, taskId));
}

async function eventsOf(taskId: string, type: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.resourceId, taskId), eq(outboxEvents.type, type)));
}

async function mailsTo(email: string, subject: string) {
  const { db } = await testDatabase();
  return db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.subject, subject)));
}

describe("task reminders", () => {
  it("notify the assignee once, emit task.reminder_due, e-mail them, and leave the task's version alone", async () => {
    const task = await createTask({ title: "Send the offer", remindAt: past(1), assigneeId: ws.agent.userId });
    await runUntilDone();
    await runUntilDone();

    const [notification, ...more] = await notificationsOf(task.id);
    expect(more).toEqual([]);
    expect(notification).toMatchObject({
      userId: ws.agent.userId,
      type: "task.reminder",
      title: "Reminder: Send the offer",
      resourceType: "task",
      dedupeKey: `task-reminder:${task.id}:${task.remindAt}`,
      readAt: null,
    });
    const [due] = await eventsOf(task.id, "task.reminder_due");
    expect(due).toMatchObject({ actorId: null, resourceType: "task" });
    expect((due?.payload as { record: Task }).record).toMatchObject({ id: task.id, version: 1 });
    const [created] = await eventsOf(notification?.id ?? "", "notification.created");
    expect(created?.payload).toMatchObject({
      userId: ws.agent.userId,
      notification: { title: "Reminder: Send the offer" },
    });

    const mails = await mailsTo(ws.agent.email, "Reminder: Send the offer");
    expect(mails).toHaveLength(1);
    expect(mails[0]?.textBody).toContain("https://crm.example.com/tasks?filters=");
    expect(mails[0]?.textBody).toContain("Reminders");

    const stored = await ws.manager.client.get(`/api/v1/tasks/${task.id}`);
    expect(stored.json()).toMatchObject({ version: 1 });
    const { db } = await testDatabase();
    const [row] = await db.select({ remindedAt: tasks.remindedAt }).from(tasks).where(eq(tasks.id, task.id));
    expect(row?.remindedAt).toBeInstanceOf(Date);
  });

  it("leave alone tasks not due yet, completed, deleted or without a reminder", async () => {
    const future = await createTask({ remindAt: new Date(Date.now() + 3_600_000).toISOString() });
    const completed = await createTask({ remindAt: past(1), status: "completed" });
    const deleted = await createTask({ remindAt: past(1) });
    expect((await ws.manager.client.delete(`/api/v1/tasks/${deleted.id}`)).statusCode).toBe(204);
    const none = await createTask({});
    await runUntilDone();
    for (const task of [future, completed, deleted, none]) {
      expect(await notificationsOf(task.id)).toEqual([]);
      expect(await eventsOf(task.id, "task.reminder_due")).toEqual([]);
    }
  });

  it("remind again when the reminder is moved, and never notify a task without an active assignee", async () => {
    const task = await createTask({ title: "Renew the lease", remindAt: past(10), assigneeId: ws.agent.userId });
    await runUntilDone();
    const moved = past(5);
    const patched = await ws.manager.client.patch(`/api/v1/tasks/${task.id}`, { remindAt: moved });
    expect(patched.statusCode, patched.body).toBe(200);
    await runUntilDone();
    expect((await notificationsOf(task.id)).map((n) => n.dedupeKey).sort()).toEqual(
      [`task-reminder:${task.id}:${task.remindAt}`, `task-reminder:${task.id}:${moved}`].sort(),
    );
    expect(await mailsTo(ws.agent.email, "Reminder: Renew the lease")).toHaveLength(2);

    const unassigned = await createTask({ remindAt: past(1), assigneeId: null });
    await runUntilDone();
    expect(await eventsOf(unassigned.id, "task.reminder_due")).toHaveLength(1);
    expect(await notificationsOf(unassigned.id)).toEqual([]);
  });

  it("send each of many reminders exactly once while two runners work at the same time", async () => {
    const other = await createTestWorkspace(app, "Reminders, concurrently");
    const created: Task[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await other.admin.client.post("/api/v1/tasks", {
        title: `Concurrent ${i}`,
        remindAt: past(1),
        assigneeId: i % 2 ? other.agent.userId : other.manager.userId,
      });
      created.push(response.json());
    }
    await Promise.all([runUntilDone(app.db, [other.id]), runUntilDone(app.db, [other.id])]);

    const { db } = await testDatabase();
    const notified = await db.select().from(notifications).where(eq(notifications.workspaceId, other.id));
    expect(notified).toHaveLength(30);
    expect(new Set(notified.map((n) => n.resourceId)).size).toBe(30);
    const due = await db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.workspaceId, other.id), eq(outboxEvents.type, "task.reminder_due")));
    expect(due).toHaveLength(30);
    const mails = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(mailOutbox)
      .where(
        sql`${mailOutbox.subject} like 'Reminder: Concurrent %' and ${mailOutbox.toAddress} in (${other.agent.email}, ${other.manager.email})`,
      );
    expect(mails[0]?.count).toBe(30);
  });

  it.skipIf(!postgresUrl)(
    "leave the reminder of a worker killed in its transaction to the next run, which sends it once",
    async () => {
      const task = await createTask({ title: "Killed mid-way", remindAt: past(1), assigneeId: ws.viewer.userId });
      const url = new URL(postgresUrl ?? "");
      url.searchParams.set("application_name", "keel-reminder-killed");
      const doomed = await openPostgres(url.toString(), 2);
      // Inserts into notifications wait while this lock is held: the doomed worker stops inside its transaction.
      const blocker = new pg.Client({ connectionString: postgresUrl });
      await blocker.connect();
      try {
        await blocker.query("begin");
        await blocker.query("lock table notifications in share mode");
        const run = sendDueReminders({ db: doomed.db, config, log }, { batchSize: 10, workspaceIds: [ws.id] });
        const settled = run.then(
          () => "finished",
          () => "failed",
        );
        // Asked outside the blocker's transaction, which would keep one snapshot of the statistics.
        const waiting = sql`select count(*)::int as n from pg_stat_activity
          where application_name = 'keel-reminder-killed' and wait_event_type = 'Lock'`;
        const waitingCount = async () => (await app.db.execute(waiting)) as unknown as { rows: { n: number }[] };
        for (let waited = 0; (await waitingCount()).rows[0]?.n === 0; waited += 50) {
          if (waited > 10_000) throw new Error("the worker never reached its notification");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await app.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'keel-reminder-killed'`,
        );
        expect(await settled).toBe("failed");
        await blocker.query("commit");
      } finally {
        await blocker.end();
        await doomed.close().catch(() => undefined);
      }
      expect(await notificationsOf(task.id)).toEqual([]);

      await runUntilDone();
      expect(await notificationsOf(task.id)).toHaveLength(1);
      expect(await eventsOf(task.id, "task.reminder_due")).toHaveLength(1);
      expect(await mailsTo(ws.viewer.email, "Reminder: Killed mid-way")).toHaveLength(1);
    },
  );
});

describe("overdue task notices", () => {
  it("notify the assignees of overdue open tasks once a UTC day", async () => {
    const other = await createTestWorkspace(app, "Overdue");
    const make = async (body: Record<string, unknown>) =>
      (await other.manager.client.post("/api/v1/tasks", { title: "Late", dueAt: past(60), ...body })).json() as Task;
    const late = await make({ title: "File the report", assigneeId: other.agent.userId });
    const inProgress = await make({ status: "in_progress", assigneeId: other.manager.userId });
    const done = await make({ status: "completed", assigneeId: other.agent.userId });
    const notDue = await make({
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      assigneeId: other.agent.userId,
    });
    const nobody = await make({ assigneeId: null });

    const now = new Date();
    // A run whose process is shutting down makes none; the next run makes them.
    expect(await notifyOverdueTasks(app.db, now, [other.id], AbortSignal.abort())).toBe(0);
    expect(await notificationsOf(late.id)).toEqual([]);
    expect(await notifyOverdueTasks(app.db, now, [other.id])).toBe(2);
    expect(await notifyOverdueTasks(app.db, new Date(now.getTime() + 1000), [other.id])).toBe(0);
    const [notice] = await notificationsOf(late.id);
    expect(notice).toMatchObject({
      userId: other.agent.userId,
      type: "task.overdue",
      title: "Overdue: File the report",
      dedupeKey: `task-overdue:${late.id}:${now.toISOString().slice(0, 10)}`,
    });
    expect(notice?.body).toMatch(/^Was due \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(await notificationsOf(inProgress.id)).toHaveLength(1);
    for (const task of [done, notDue, nobody]) expect(await notificationsOf(task.id)).toEqual([]);

    const tomorrow = new Date(now.getTime() + 24 * 3_600_000);
    expect(await notifyOverdueTasks(app.db, tomorrow, [other.id])).toBe(3);
    expect(await notificationsOf(late.id)).toHaveLength(2);
  });
});

import { and, eq, inArray, isNull, lt, lte, ne, sql } from "drizzle-orm";
import type { Config } from "../../config.ts";
import type { Database, Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import type { SystemActor } from "../../lib/context.ts";
import { sendMail, type Mail, type MailDeps } from "../mail/index.ts";
import { notifications, notifyMembers, type NewNotification } from "../notifications/index.ts";
import { enqueueEvent } from "../outbox/index.ts";
import { memberships, users } from "../users/users.table.ts";
import { workspaces } from "../workspaces/workspaces.table.ts";
import { withDependsOnOne, type TaskRow } from "./tasks.repository.ts";
import { tasks } from "./tasks.table.ts";

/** Reminders and overdue notices are Keel's own doing: their events name no actor. */
const system: SystemActor = { kind: "system" };

/** How much one run does: at most `batchSize`, of these workspaces only when named (tests share a database). */
type Scope = { batchSize: number; workspaceIds?: readonly string[] | undefined };

/** A reminder that is due: a live, unfinished task whose `remindAt` has come and that was not reminded yet. */
type DueReminder = { workspaceId: string; id: string };

/**
 * The due reminders of every workspace, the oldest first. Read as the connecting role (across
 * workspaces, like the relay), by the partial index `tasks_remind_at_idx`, whose predicate this
 * repeats; each one is then handled in a transaction of its own workspace.
 */
async function findDueReminders(db: Database, scope: Scope): Promise<DueReminder[]> {
  return db
    .select({ workspaceId: tasks.workspaceId, id: tasks.id })
    .from(tasks)
    .where(
      and(
        scope.workspaceIds ? inArray(tasks.workspaceId, scope.workspaceIds) : undefined,
        lte(tasks.remindAt, sql`now()`),
        isNull(tasks.remindedAt),
        isNull(tasks.deletedAt),
        ne(tasks.status, "completed"),
      ),
    )
    .orderBy(tasks.remindAt)
    .limit(scope.batchSize);
}

/** The assignee as a notice needs them: an active member of the workspace with an enabled account. */
async function activeMember(tx: Transaction, workspaceId: string, userId: string | null) {
  if (!userId) return null;
  const [member] = await tx
    .select({ userId: users.id, email: users.email, name: users.name, workspaceName: workspaces.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.userId, userId),
        isNull(memberships.deactivatedAt),
        isNull(memberships.removedAt),
        isNull(users.disabledAt),
      ),
    );
  return member ?? null;
}

/** "2026-03-20 10:00 UTC": a time in e-mails and notices, which know nothing of the reader's zone. */
export function formatUtc(value: Date): string {
  return `${value.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * Handles one due reminder in one transaction of its workspace: claims it (the row is locked with
 * SKIP LOCKED, then `reminded_at` set where it is still null, without bumping the task's version:
 * it is bookkeeping, not an edit), notifies the assignee (dedupe key: the task and its reminder
 * time) and emits `task.reminder_due`. Two workers never both win: the second skips the locked
 * row or finds it reminded. A worker killed before its commit leaves the task due, for the next
 * run. Answers the e-mail to send after the commit, or null (lost the race, no assignee, or that
 * reminder time was already notified).
 */
async function remindTask(db: Database, config: Pick<Config, "publicUrl">, due: DueReminder): Promise<Mail | null> {
  return withWorkspaceTransaction(db, due.workspaceId, async (tx) => {
    const isLive = and(
      eq(tasks.workspaceId, due.workspaceId),
      eq(tasks.id, due.id),
      isNull(tasks.remindedAt),
      lte(tasks.remindAt, sql`now()`),
      isNull(tasks.deletedAt),
      ne(tasks.status, "completed"),
    );
    const [locked] = await tx.select({ id: tasks.id }).from(tasks).where(isLive).for("update", { skipLocked: true });
    if (!locked) return null;
    const [row] = await tx
      .update(tasks)
      .set({ remindedAt: sql`now()` })
      .where(isLive)
      .returning();
    if (!row?.remindAt) return null;

    const task = await withDependsOnOne(tx, due.workspaceId, row);
    const ctx = { workspaceId: due.workspaceId, actor: system };
    await enqueueEvent(tx, ctx, { type: "task.reminder_due", resourceId: task.id, payload: { record: task } });
    const assignee = await activeMember(tx, due.workspaceId, row.assigneeId);
    if (!assignee) return null;
    const [notification] = await notifyMembers(tx, ctx, [
      {
        userId: assignee.userId,
        type: "task.reminder",
        title: `Reminder: ${row.title}`,
        body: row.dueAt ? `Due ${formatUtc(row.dueAt)}` : null,
        resourceType: "task",
        resourceId: row.id,
        dedupeKey: `task-reminder:${row.id}:${row.remindAt.toISOString()}`,
      },
    ]);
    return notification ? reminderMail(row, assignee, config.publicUrl) : null;
  });
}

/** The reminder e-mail: the task, its due time, and a link to it when PUBLIC_URL says where Keel is. */
function reminderMail(
  task: TaskRow,
  assignee: { email: string; name: string; workspaceName: string },
  publicUrl: string | undefined,
): Mail {
  const title = task.title.replace(/\s+/g, " ");
  const filters = JSON.stringify([{ field: "id", op: "eq", value: task.id }]);
  const link = publicUrl ? `${publicUrl}/tasks?filters=${encodeURIComponent(filters)}` : null;
  return {
    to: assignee.email,
    subject: `Reminder: ${title}`,
    text:
      `Hello ${assignee.name},\n\nHere is the reminder of your task in ${assignee.workspaceName}:\n\n  ${title}\n` +
      (task.dueAt ? `  Due ${formatUtc(task.dueAt)}\n` : "") +
      (link ? `\nOpen it: ${link}\n` : "\nYou find it under Tasks in Keel.\n") +
      "\nYou get this e-mail because the task is assigned to you.\n",
  };
}

/**
 * Sends the reminders that are due, up to `batchSize` of them, each exactly once however many
 * workers run this at the same time: the notification and the event commit with the claim, and
 * only the worker whose claim committed sends the e-mail, after the commit. So a reminder's
 * e-mail goes out at most once (a worker killed between its commit and the send loses it; the
 * notification stays). Answers how many were due (a full batch: run again at once).
 */
export async function sendDueReminders(
  deps: MailDeps & { config: Pick<Config, "publicUrl"> },
  scope: Scope,
): Promise<number> {
  const due = await findDueReminders(deps.db, scope);
  for (const reminder of due) {
    const mail = await remindTask(deps.db, deps.config, reminder);
    if (mail) await sendMail(deps, mail);
  }
  return due.length;
}

const overdueBatchSize = 500;

/**
 * Notifies the assignees of overdue tasks (due before `now`, open or in progress, live), once a
 * day: the dedupe key holds the task and the UTC date of `now`, so running this every few minutes,
 * in several processes at once, still makes one notice per task and day. Workspace by workspace,
 * so that the index (workspace_id, status, due_at) serves each query. Answers how many were made.
 * Stops between batches once `signal` is aborted (the process shutting down): the next run makes
 * the notices left.
 */
export async function notifyOverdueTasks(
  db: Database,
  now: Date,
  workspaceIds?: readonly string[],
  signal?: AbortSignal,
): Promise<number> {
  const day = now.toISOString().slice(0, 10);
  const ids = workspaceIds ?? (await db.select({ id: workspaces.id }).from(workspaces)).map((row) => row.id);
  let made = 0;
  for (const workspaceId of ids) {
    for (;;) {
      if (signal?.aborted) return made;
      const created = await withWorkspaceTransaction(db, workspaceId, async (tx) => {
        const notices = await overdueNotices(tx, workspaceId, now, day);
        return {
          count: (await notifyMembers(tx, { workspaceId, actor: system }, notices)).length,
          more: notices.length,
        };
      });
      made += created.count;
      if (created.more < overdueBatchSize) break;
    }
  }
  return made;
}

/** The notices of a workspace's overdue tasks whose assignee has not had today's yet. */
async function overdueNotices(
  tx: Transaction,
  workspaceId: string,
  now: Date,
  day: string,
): Promise<NewNotification[]> {
  const dedupeKey = sql<string>`'task-overdue:' || ${tasks.id} || ':' || ${day}::text`;
  const rows = await tx
    .select({ id: tasks.id, title: tasks.title, dueAt: tasks.dueAt, userId: memberships.userId, dedupeKey })
    .from(tasks)
    .innerJoin(
      memberships,
      and(
        eq(memberships.workspaceId, tasks.workspaceId),
        eq(memberships.userId, tasks.assigneeId),
        isNull(memberships.deactivatedAt),
        isNull(memberships.removedAt),
      ),
    )
    .innerJoin(users, and(eq(users.id, memberships.userId), isNull(users.disabledAt)))
    .where(
      and(
        eq(tasks.workspaceId, workspaceId),
        inArray(tasks.status, ["open", "in_progress"]),
        lt(tasks.dueAt, now),
        isNull(tasks.deletedAt),
        sql`not exists (select 1 from ${notifications} where ${notifications.workspaceId} = ${tasks.workspaceId}
          and ${notifications.userId} = ${tasks.assigneeId} and ${notifications.dedupeKey} = ${dedupeKey})`,
      ),
    )
    .limit(overdueBatchSize);
  return rows.map((row) => ({
    userId: row.userId,
    type: "task.overdue" as const,
    title: `Overdue: ${row.title}`,
    body: row.dueAt ? `Was due ${formatUtc(row.dueAt)}` : null,
    resourceType: "task",
    resourceId: row.id,
    dedupeKey: row.dedupeKey,
  }));
}

import type { UpdateWorkspaceSettings, WorkspaceSettings } from "../../../shared/schemas/workspace-settings.ts";
import type { Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { assertAllowed } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { fieldChanges, recordFact } from "../audit/index.ts";
import { findSettings, lockSettings, writeSettings } from "./workspaces.repository.ts";

/**
 * A workspace's own settings: everyone in it reads them (the web app formats and checks with
 * them), admins change them (`workspace` in permissions.ts). Other modules read them in their own
 * transaction with `readWorkspaceSettings` to check activity types and lost reasons.
 */

/** The workspace's settings in the caller's transaction. */
export async function readWorkspaceSettings(tx: Transaction, workspaceId: string): Promise<WorkspaceSettings> {
  const settings = await findSettings(tx, workspaceId);
  if (!settings) throw notFound("workspace");
  return settings;
}

/** The request's workspace and its settings. */
export async function getWorkspaceSettings(ctx: RequestContext): Promise<WorkspaceSettings> {
  assertAllowed(ctx, "read", "workspace");
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, (tx) => readWorkspaceSettings(tx, ctx.workspaceId));
}

/**
 * Changes the given settings (admins), checking If-Match against the settings' version. A change
 * is audited as `workspace.updated` with its field changes and emits the `workspace.updated`
 * event; a request that changes nothing writes nothing and keeps the version.
 */
export async function updateWorkspaceSettings(
  ctx: RequestContext,
  input: UpdateWorkspaceSettings,
  expectedVersion?: number,
): Promise<WorkspaceSettings> {
  assertAllowed(ctx, "update", "workspace");
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const before = await lockSettings(tx, ctx.workspaceId);
    if (!before) throw notFound("workspace");
    if (expectedVersion !== undefined && before.version !== expectedVersion) {
      throw new AppError(
        "stale-version",
        `The workspace's settings changed since the version you sent (now ${before.version}).`,
      );
    }
    if (Object.keys(fieldChanges(before, { ...before, ...input })).length === 0) return before;
    const after = await writeSettings(tx, ctx.workspaceId, input);
    const changes = fieldChanges(before, after);
    await recordFact(
      tx,
      ctx,
      { action: "workspace.updated", resourceType: "workspace", resourceId: ctx.workspaceId, changes },
      [{ type: "workspace.updated", resourceId: ctx.workspaceId, payload: { record: after, changes } }],
    );
    return after;
  });
}

import { eq, sql } from "drizzle-orm";
import {
  defaultWorkspaceSettings,
  type UpdateWorkspaceSettings,
  type WorkspaceSettings,
} from "../../../shared/schemas/workspace-settings.ts";
import type { Transaction } from "../../db/client.ts";
import { workspaceSettings, workspaces } from "./workspaces.table.ts";

/**
 * Queries of a workspace's settings, in the workspace's transaction (keel_app): its name and
 * currency in `workspaces`, the rest in `workspace_settings` (row-level secured).
 */

const columns = {
  id: workspaces.id,
  name: workspaces.name,
  baseCurrency: workspaces.baseCurrency,
  workspaceUpdatedAt: workspaces.updatedAt,
  version: workspaceSettings.version,
  timeZone: workspaceSettings.timeZone,
  dateFormat: workspaceSettings.dateFormat,
  numberFormat: workspaceSettings.numberFormat,
  fiscalYearStartMonth: workspaceSettings.fiscalYearStartMonth,
  leadLostReasons: workspaceSettings.leadLostReasons,
  dealLostReasons: workspaceSettings.dealLostReasons,
  requireDealLostReason: workspaceSettings.requireDealLostReason,
  customerOnWonDeal: workspaceSettings.customerOnWonDeal,
  agentsSeeOwnRecordsOnly: workspaceSettings.agentsSeeOwnRecordsOnly,
  activityTypes: workspaceSettings.activityTypes,
  defaultPhoneCountry: workspaceSettings.defaultPhoneCountry,
  updatedAt: workspaceSettings.updatedAt,
};

/** A workspace joined with its settings row, whose columns are null when it has none yet. */
type Row = Pick<WorkspaceSettings, "id" | "name" | "baseCurrency"> & {
  workspaceUpdatedAt: Date;
} & { [K in Exclude<keyof WorkspaceSettings, "id" | "name" | "baseCurrency">]: WorkspaceSettings[K] | null };

/** A joined row as the API shows it; a workspace without a settings row has the defaults. */
function toSettings(row: Row): WorkspaceSettings {
  return {
    id: row.id,
    name: row.name,
    baseCurrency: row.baseCurrency,
    timeZone: row.timeZone ?? defaultWorkspaceSettings.timeZone,
    dateFormat: row.dateFormat ?? defaultWorkspaceSettings.dateFormat,
    numberFormat: row.numberFormat ?? defaultWorkspaceSettings.numberFormat,
    fiscalYearStartMonth: row.fiscalYearStartMonth ?? defaultWorkspaceSettings.fiscalYearStartMonth,
    leadLostReasons: row.leadLostReasons ?? defaultWorkspaceSettings.leadLostReasons,
    dealLostReasons: row.dealLostReasons ?? defaultWorkspaceSettings.dealLostReasons,
    requireDealLostReason: row.requireDealLostReason ?? defaultWorkspaceSettings.requireDealLostReason,
    customerOnWonDeal: row.customerOnWonDeal ?? defaultWorkspaceSettings.customerOnWonDeal,
    agentsSeeOwnRecordsOnly: row.agentsSeeOwnRecordsOnly ?? defaultWorkspaceSettings.agentsSeeOwnRecordsOnly,
    activityTypes: row.activityTypes ?? [...defaultWorkspaceSettings.activityTypes],
    defaultPhoneCountry: row.defaultPhoneCountry ?? defaultWorkspaceSettings.defaultPhoneCountry,
    version: row.version ?? 1,
    updatedAt: row.updatedAt ?? row.workspaceUpdatedAt,
  };
}

/** The workspace and its settings; null when there is no such workspace. */
export async function findSettings(tx: Transaction, workspaceId: string): Promise<WorkspaceSettings | null> {
  const [row] = await tx
    .select(columns)
    .from(workspaces)
    .leftJoin(workspaceSettings, eq(workspaceSettings.workspaceId, workspaces.id))
    .where(eq(workspaces.id, workspaceId));
  return row ? toSettings(row) : null;
}

/**
 * The settings locked for a change: their row is written with the defaults first when the
 * workspace has none yet, so two admins saving at once change them one after the other.
 */
export async function lockSettings(tx: Transaction, workspaceId: string): Promise<WorkspaceSettings | null> {
  await tx.insert(workspaceSettings).values({ workspaceId }).onConflictDoNothing();
  const [row] = await tx
    .select(columns)
    .from(workspaces)
    .innerJoin(workspaceSettings, eq(workspaceSettings.workspaceId, workspaces.id))
    .where(eq(workspaces.id, workspaceId))
    .for("update", { of: workspaceSettings });
  return row ? toSettings(row) : null;
}

/** Writes the given settings and bumps the version; answers them as stored now. */
export async function writeSettings(
  tx: Transaction,
  workspaceId: string,
  input: UpdateWorkspaceSettings,
): Promise<WorkspaceSettings> {
  const { name, baseCurrency, ...settings } = input;
  if (name !== undefined || baseCurrency !== undefined) {
    await tx
      .update(workspaces)
      .set({ name, baseCurrency, updatedAt: sql`now()` })
      .where(eq(workspaces.id, workspaceId));
  }
  await tx
    .update(workspaceSettings)
    .set({ ...settings, version: sql`${workspaceSettings.version} + 1`, updatedAt: sql`now()` })
    .where(eq(workspaceSettings.workspaceId, workspaceId));
  const stored = await findSettings(tx, workspaceId);
  if (!stored) throw new Error("workspace vanished while changing its settings");
  return stored;
}

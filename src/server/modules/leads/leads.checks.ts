import type { LeadContactsInput } from "../../../shared/schemas/lead.ts";
import type { Transaction } from "../../db/client.ts";
import { translateDatabaseError } from "../../db/constraints.ts";
import { AppError, invalidField } from "../../lib/errors.ts";
import { findLiveContactIds, isLiveCompany } from "./leads.repository.ts";

/**
 * Checks of a lead write against what is stored: referenced records must be live records of the
 * same workspace (another workspace's ids look exactly like unknown ones), and If-Match must hold.
 */

/** Throws 400 on `path` unless the company is a live company of the workspace. */
export async function assertCompanyUsable(tx: Transaction, workspaceId: string, companyId: string, path = "companyId") {
  if (!(await isLiveCompany(tx, workspaceId, companyId))) throw invalidField(path, "No such company");
}

/** Throws 400 naming `<path>.<index><suffix>` for each id that is not a live contact of the workspace. */
export async function assertContactsUsable(
  tx: Transaction,
  workspaceId: string,
  contactIds: string[],
  path: string,
  suffix = "",
): Promise<void> {
  const live = await findLiveContactIds(tx, workspaceId, contactIds);
  const errors = contactIds.flatMap((id, index) =>
    live.has(id) ? [] : [{ path: `${path}.${index}${suffix}`, message: "No such contact" }],
  );
  if (errors.length > 0) throw new AppError("validation", "Some contacts do not exist.", errors);
}

/** The links to store: when none is primary, the first one becomes primary. */
export function withPrimaryContact(links: LeadContactsInput): { contactId: string; isPrimary: boolean }[] {
  if (links.length === 0 || links.some((link) => link.isPrimary)) return links;
  return links.map((link, index) => ({ ...link, isPrimary: index === 0 }));
}

/** Runs `work`, reporting its field errors (database ones included) under `prefix`, e.g. `company.name`. */
export async function withPathPrefix<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const known = error instanceof AppError ? error : translateDatabaseError(error);
    if (!known?.errors) throw error;
    throw new AppError(
      known.type,
      known.message,
      known.errors.map((e) => ({ ...e, path: `${prefix}.${e.path}` })),
    );
  }
}

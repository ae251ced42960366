import { scopeOf } from "../../../shared/permissions.ts";
import { useMe } from "../auth/session.ts";

/** Who a record belongs to, as the server decides "own": its owner, assignee or creator. */
export type Ownership = { ownerId?: string | null; assigneeId?: string | null; createdBy?: string | null };

/** Whether the signed-in user may read a record's history, and if not, why. */
export type HistoryAccess = "allowed" | "role" | "not-owner";

/**
 * Whether the History tab may ask for a record's history. `useCan` answers every role's reads of
 * records with yes, but history is narrower (agents and viewers see none):
 * this reads the permissions table's scope and, for "own", checks the record as the server does,
 * so a refused request (and its "access denied" audit entry) is not even made.
 */
export function useHistoryAccess(record?: Ownership): HistoryAccess {
  const me = useMe();
  if (!me?.role) return "role";
  const scope = scopeOf(me.role, "read", "history");
  if (scope === "none") return "role";
  if (scope === "all" || !record) return "allowed";
  const userId = me.user.id;
  return record.ownerId === userId || record.assigneeId === userId || record.createdBy === userId
    ? "allowed"
    : "not-owner";
}

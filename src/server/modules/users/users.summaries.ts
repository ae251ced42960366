import type { Transaction } from "../../db/client.ts";
import { inIds } from "../../db/id-lists.ts";
import { users } from "./users.table.ts";

/** What a record embeds of a user it points at (owner, assignee). */
export type UserSummary = { id: string; name: string; email: string };

/**
 * Embeds the user each item points at (`include=owner`, `include=assignee`): one query for all
 * items, whatever their number. `userIdOf` reads the id; `attach` stores the summary (or null).
 */
export async function attachUserSummaries<T>(
  tx: Transaction,
  items: T[],
  userIdOf: (item: T) => string | null,
  attach: (item: T, user: UserSummary | null) => void,
): Promise<void> {
  const ids = [...new Set(items.flatMap((item) => userIdOf(item) ?? []))];
  const rows = ids.length
    ? await tx.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inIds(users.id, ids))
    : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const item of items) {
    const id = userIdOf(item);
    attach(item, id ? (byId.get(id) ?? null) : null);
  }
}

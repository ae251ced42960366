import { sql, type SQL } from "drizzle-orm";
import {
  confidenceOf,
  nameSimilarityThreshold,
  type CompanyDuplicateCheckQuery,
  type ContactDuplicateCheckQuery,
  type DuplicateGroup,
  type DuplicateGroupPage,
  type DuplicateReason,
  type DuplicateRecord,
  type PossibleDuplicate,
} from "../../../shared/schemas/merge.ts";
import type { Transaction } from "../../db/client.ts";
import { withWorkspaceTransaction } from "../../db/transaction.ts";
import { andVisible, assertAllowed, readerOf } from "../../lib/access.ts";
import type { RequestContext } from "../../lib/context.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { invalidField } from "../../lib/errors.ts";
import { isUuid } from "../../lib/ids.ts";
import { attachUserSummaries } from "../users/index.ts";
import {
  exactGroups,
  nameWindow,
  reasonsOf,
  similarNameGroups,
  blockOf,
  nameOf,
  type DetectedResource,
} from "./duplicates.queries.ts";

/** Records the name phase reads per window, and at most per page (the rest waits for the next page). */
const nameWindowSize = 500;
const nameRecordsPerPage = 1000;

type Position = { reason: DuplicateReason; after: string | null };
type FoundGroup = { reason: DuplicateReason; ids: string[] };

/**
 * A page of groups of likely duplicates among live records, reason by reason (exact values first,
 * similar names last). Everyone who may read the records may see them, among the records they may
 * read (as the lists: an agent limited to their own records, among theirs). A page may
 * hold fewer groups than `limit` while `nextCursor` is not null: the name phase reads at most
 * `nameRecordsPerPage` records a page, so a page costs the same on any workspace.
 */
export async function listDuplicateGroups(
  ctx: RequestContext,
  resource: DetectedResource,
  page: { limit: number; cursor?: string },
): Promise<DuplicateGroupPage> {
  assertAllowed(ctx, "read", resource);
  const reasons = reasonsOf(resource);
  let position: Position | null = page.cursor ? positionOf(page.cursor, reasons) : { reason: reasons[0]!, after: null };
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const reader = await readerOf(tx, ctx);
    const found: FoundGroup[] = [];
    let nameRecordsRead = 0;
    while (position && found.length < page.limit) {
      const need = page.limit - found.length;
      if (position.reason !== "name") {
        const groups = await exactGroups(tx, resource, position.reason, position.after, need + 1, reader);
        found.push(...groups.slice(0, need).map((g) => ({ reason: position!.reason, ids: g.ids })));
        position =
          groups.length > need
            ? { reason: position.reason, after: groups[need - 1]!.key }
            : nextReason(reasons, position);
        continue;
      }
      if (nameRecordsRead >= nameRecordsPerPage) break;
      const window = await nameWindow(tx, resource, position.after, nameWindowSize, reader);
      nameRecordsRead += window.length;
      const groups = await similarNameGroups(tx, resource, window, reader);
      found.push(...groups.slice(0, need).map((g) => ({ reason: "name" as const, ids: g.ids })));
      if (groups.length > need) position = { reason: "name", after: groups[need - 1]!.anchor };
      else position = window.length < nameWindowSize ? null : { reason: "name", after: window.at(-1)! };
    }
    return {
      data: await presentGroups(tx, resource, found),
      nextCursor: position ? encodeCursor({ sort: `duplicates:${position.reason}`, values: [position.after] }) : null,
    };
  });
}

function nextReason(reasons: DuplicateReason[], position: Position): Position | null {
  const next = reasons[reasons.indexOf(position.reason) + 1];
  return next ? { reason: next, after: null } : null;
}

function positionOf(cursor: string, reasons: DuplicateReason[]): Position {
  const decoded = decodeCursor(cursor);
  const reason = decoded?.sort.startsWith("duplicates:") ? decoded.sort.slice("duplicates:".length) : "";
  const after = decoded?.values[0] ?? null;
  const valid = reasons.includes(reason as DuplicateReason) && (reason !== "name" || after === null || isUuid(after));
  if (!valid || decoded?.values.length !== 1) throw invalidField("cursor", "Not a cursor of this list");
  return { reason: reason as DuplicateReason, after };
}

async function presentGroups(
  tx: Transaction,
  resource: DetectedResource,
  found: FoundGroup[],
): Promise<DuplicateGroup[]> {
  const records = await recordsByIds(tx, resource, [...new Set(found.flatMap((g) => g.ids))]);
  return found.map((group) => {
    const members = group.ids.flatMap((id) => records.get(id) ?? []);
    members.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    return {
      key: `${group.reason}:${members[0]?.id ?? group.ids[0]}`,
      reason: group.reason,
      confidence: confidenceOf[group.reason],
      records: members,
    };
  });
}

const idList = (ids: readonly string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** The records as the duplicates page shows them, with their owners (one query each, whatever the number). */
async function recordsByIds(
  tx: Transaction,
  resource: DetectedResource,
  ids: string[],
): Promise<Map<string, DuplicateRecord>> {
  if (ids.length === 0) return new Map();
  const query =
    resource === "contact"
      ? sql`select id, trim(first_name || ' ' || last_name) as name, email, null::text as domain, phone,
          owner_id as "ownerId", created_at as "createdAt" from contacts where id in (${idList(ids)})`
      : sql`select id, name, null::text as email, domain, phone, owner_id as "ownerId", created_at as "createdAt"
          from companies where id in (${idList(ids)})`;
  const rows = ((await tx.execute(query)) as unknown as { rows: DuplicateRecord[] }).rows.map((row) => ({
    ...row,
    createdAt: new Date(row.createdAt),
    owner: null as DuplicateRecord["owner"],
  }));
  await attachUserSummaries(
    tx,
    rows,
    (r) => r.ownerId,
    (r, owner) => (r.owner = owner),
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/** Most matches the draft check answers. */
const maxPossible = 5;

/**
 * Live records a draft (the create or edit form, as the user types) would likely duplicate: the
 * same e-mail, domain or phone, or a similar name, among the records the caller may read. At most
 * five, the most certain first.
 */
export async function findPossibleDuplicates(
  ctx: RequestContext,
  resource: DetectedResource,
  draft: ContactDuplicateCheckQuery | CompanyDuplicateCheckQuery,
): Promise<PossibleDuplicate[]> {
  assertAllowed(ctx, "read", resource);
  const probes = probesOf(resource, draft);
  if (probes.length === 0) return [];
  return withWorkspaceTransaction(ctx.db, ctx.workspaceId, async (tx) => {
    const visible = andVisible(resource, await readerOf(tx, ctx));
    const reasonById = new Map<string, DuplicateReason>();
    for (const probe of probes) {
      const table = sql.raw(resource === "contact" ? "contacts" : "companies");
      const exclude = draft.excludeId ? sql`and id <> ${draft.excludeId}::uuid` : sql``;
      const rows = (
        (await tx.execute(
          sql`select id from ${table} where deleted_at is null and ${probe.condition} ${exclude}${visible}
          order by ${probe.order ?? sql`id`} limit ${maxPossible}`,
        )) as unknown as { rows: { id: string }[] }
      ).rows;
      for (const row of rows) if (!reasonById.has(row.id)) reasonById.set(row.id, probe.reason);
    }
    const ids = [...reasonById.keys()].slice(0, maxPossible);
    const records = await recordsByIds(tx, resource, ids);
    return ids.flatMap((id) => {
      const record = records.get(id);
      const reason = reasonById.get(id)!;
      return record ? [{ ...record, reason, confidence: confidenceOf[reason] }] : [];
    });
  });
}

type Probe = { reason: DuplicateReason; condition: SQL; order?: SQL };

/** The checks a draft allows, most certain first; too short a name or a partial address checks nothing. */
function probesOf(resource: DetectedResource, draft: ContactDuplicateCheckQuery | CompanyDuplicateCheckQuery): Probe[] {
  const probes: Probe[] = [];
  const digits = draft.phone?.replace(/\D/g, "") ?? "";
  if (resource === "contact") {
    const contact = draft as ContactDuplicateCheckQuery;
    if (contact.email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact.email)) {
      probes.push({ reason: "email", condition: sql`lower(email) = ${contact.email.toLowerCase()}` });
    }
    if (digits.length >= 7) probes.push({ reason: "phone", condition: sql`phone = ${`+${digits}`}` });
    // Built as the stored name is (first, space, last), blocked as the stored one is.
    const name = `${contact.firstName ?? ""} ${contact.lastName ?? ""}`.toLowerCase();
    const blockSource = contact.lastName?.trim() ? contact.lastName : (contact.firstName ?? "");
    if (name.trim().length >= 3) probes.push(nameProbe(resource, name, blockSource));
    return probes;
  }
  const company = draft as CompanyDuplicateCheckQuery;
  const domain = domainOf(company.domain ?? "");
  if (domain.includes(".")) probes.push({ reason: "domain", condition: sql`lower(domain) = ${domain}` });
  if (digits.length >= 7) probes.push({ reason: "phone", condition: sql`phone = ${`+${digits}`}` });
  const name = (company.name ?? "").trim().toLowerCase();
  if (name.length >= 3) probes.push(nameProbe(resource, name, name));
  return probes;
}

/** Similar names in the draft's block (the block index serves it), the most similar first. */
function nameProbe(resource: DetectedResource, name: string, blockSource: string): Probe {
  const expression = nameOf(resource, null);
  return {
    reason: "name",
    condition: sql`${blockOf(resource, null)} = ${blockSource.toLowerCase().slice(0, 3)}
      and similarity(${expression}, ${name}) >= ${nameSimilarityThreshold}`,
    order: sql`similarity(${expression}, ${name}) desc, id`,
  };
}

/** "https://www.Example.com/about" → "example.com": what a domain typed in a form most likely means. */
export function domainOf(typed: string): string {
  return typed
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[/?#].*$/, "");
}

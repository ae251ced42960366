import { and, eq, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "../../db/client.ts";
import { equalsAny } from "../../db/id-lists.ts";
import { companies } from "../companies/index.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { leads } from "../leads/index.ts";
import { pipelineStages, pipelines } from "../pipelines/pipelines.table.ts";
import { memberships, users } from "../users/users.table.ts";
import type { ImportResource } from "../../../shared/schemas/import.ts";

/** A company named by a row: by domain when it looks like one, else by name. */
export const looksLikeDomain = (key: string) => /^[^\s@/]+\.[a-z]{2,63}$/i.test(key.trim());

/** What every batch of a run looks up: members by e-mail, pipelines and their stages by name. */
export type RunLookups = {
  members: Map<string, string>;
  pipelines: Map<string, { id: string; stages: Map<string, string> }>;
  defaultPipeline: string | null;
};

export async function loadRunLookups(tx: Transaction, workspaceId: string): Promise<RunLookups> {
  const memberRows = await tx
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), isNull(memberships.removedAt)));
  const stageRows = await tx
    .select({
      pipelineId: pipelines.id,
      pipelineName: pipelines.name,
      isDefault: pipelines.isDefault,
      stageId: pipelineStages.id,
      stageName: pipelineStages.name,
    })
    .from(pipelines)
    .leftJoin(
      pipelineStages,
      and(
        eq(pipelineStages.workspaceId, pipelines.workspaceId),
        eq(pipelineStages.pipelineId, pipelines.id),
        isNull(pipelineStages.archivedAt),
      ),
    )
    .where(and(eq(pipelines.workspaceId, workspaceId), isNull(pipelines.deletedAt)));
  const byName: RunLookups["pipelines"] = new Map();
  let defaultPipeline: string | null = null;
  for (const row of stageRows) {
    const key = row.pipelineName.trim().toLowerCase();
    const pipeline = byName.get(key) ?? { id: row.pipelineId, stages: new Map<string, string>() };
    byName.set(key, pipeline);
    if (row.isDefault) defaultPipeline = row.pipelineId;
    if (row.stageId && row.stageName) pipeline.stages.set(row.stageName.trim().toLowerCase(), row.stageId);
  }
  return {
    members: new Map(memberRows.map((row) => [row.email.toLowerCase(), row.userId])),
    pipelines: byName,
    defaultPipeline,
  };
}

/** Live companies named by a batch's rows, by lower-cased domain and name, in one query. */
export async function findCompanies(
  tx: Transaction,
  workspaceId: string,
  domains: string[],
  names: string[],
): Promise<{ byDomain: Map<string, string>; byName: Map<string, string> }> {
  const byDomain = new Map<string, string>();
  const byName = new Map<string, string>();
  if (domains.length === 0 && names.length === 0) return { byDomain, byName };
  const lowerDomain = sql<string>`lower(${companies.domain})`;
  const lowerName = sql<string>`lower(${companies.name})`;
  const rows = await tx
    .select({ id: companies.id, domain: lowerDomain, name: lowerName })
    .from(companies)
    .where(
      and(
        eq(companies.workspaceId, workspaceId),
        isNull(companies.deletedAt),
        or(
          domains.length > 0 ? equalsAny(lowerDomain, domains, "text") : undefined,
          names.length > 0 ? equalsAny(lowerName, names, "text") : undefined,
        ),
      ),
    );
  for (const row of rows) {
    if (row.domain && !byDomain.has(row.domain)) byDomain.set(row.domain, row.id);
    if (!byName.has(row.name)) byName.set(row.name, row.id);
  }
  return { byDomain, byName };
}

/** Live contacts by lower-cased e-mail, in one query. */
export async function findContactsByEmail(tx: Transaction, workspaceId: string, emails: string[]) {
  const found = new Map<string, string>();
  if (emails.length === 0) return found;
  const lowerEmail = sql<string>`lower(${contacts.email})`;
  const rows = await tx
    .select({ id: contacts.id, email: lowerEmail })
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, workspaceId),
        isNull(contacts.deletedAt),
        // What the unique e-mail index covers, so the query may read it.
        isNotNull(contacts.email),
        equalsAny(lowerEmail, emails, "text"),
      ),
    );
  for (const row of rows) found.set(row.email, row.id);
  return found;
}

/** The identities duplicates are recognised by, per resource, in the order they are tried. */
export type DuplicateKey = { by: "email" | "phone" | "domain" | "name" | "title"; value: string };

export function duplicateKeysOf(resource: ImportResource, input: Record<string, unknown>): DuplicateKey[] {
  const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);
  const keys: (DuplicateKey | null)[] = [];
  const lower = (value: string | null) => value?.toLowerCase() ?? null;
  const key = (by: DuplicateKey["by"], value: string | null) => (value ? { by, value } : null);
  if (resource === "contacts") keys.push(key("email", lower(text(input.email))), key("phone", text(input.phone)));
  if (resource === "companies")
    keys.push(key("domain", lower(text(input.domain))), key("name", lower(text(input.name))));
  if (resource === "leads") keys.push(key("title", text(input.title)));
  return keys.filter((k): k is DuplicateKey => k !== null);
}

/**
 * The live records a batch's rows duplicate, keyed `<by>:<value>`, in one query per resource:
 * contacts by e-mail then phone, companies by domain then name, leads by title.
 */
export async function findDuplicates(
  tx: Transaction,
  workspaceId: string,
  resource: ImportResource,
  keys: DuplicateKey[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const values = (by: DuplicateKey["by"]) => [...new Set(keys.filter((k) => k.by === by).map((k) => k.value))];
  const remember = (rows: { id: string; [key: string]: string | null }[], by: DuplicateKey["by"][]) => {
    for (const row of rows) for (const b of by) if (row[b]) found.set(`${b}:${row[b]}`, row.id);
  };
  if (resource === "contacts") {
    const [emails, phones] = [values("email"), values("phone")];
    if (emails.length + phones.length === 0) return found;
    const email = sql<string | null>`lower(${contacts.email})`;
    const live = (condition: SQL) =>
      tx
        .select({ id: contacts.id, email, phone: contacts.phone })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), isNull(contacts.deletedAt), condition));
    // One query per kind of key, each saying what its unique index covers (a live e-mail, a live phone):
    // with the table's statistics, each reads its index for the batch's keys, where one query
    // with `or` reads every contact of the workspace, for each batch of a large import.
    const byEmail = emails.length ? live(and(isNotNull(contacts.email), equalsAny(email, emails, "text"))!) : null;
    const byPhone = phones.length
      ? live(and(isNotNull(contacts.phone), equalsAny(contacts.phone, phones, "text"))!)
      : null;
    const rows = await (byEmail && byPhone ? byEmail.unionAll(byPhone) : (byEmail ?? byPhone)!);
    remember(rows, ["email", "phone"]);
  } else if (resource === "companies") {
    const { byDomain, byName } = await findCompanies(tx, workspaceId, values("domain"), values("name"));
    for (const [domain, id] of byDomain) found.set(`domain:${domain}`, id);
    for (const [name, id] of byName) found.set(`name:${name}`, id);
  } else if (resource === "leads") {
    const titles = values("title");
    if (titles.length === 0) return found;
    const rows = await tx
      .select({ id: leads.id, title: leads.title })
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), isNull(leads.deletedAt), equalsAny(leads.title, titles, "text")));
    remember(rows, ["title"]);
  }
  return found;
}

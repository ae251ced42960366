import {
  activityBodies,
  activitySubjects,
  callOutcomes,
  cities,
  companyPrefixes,
  companyQualifiers,
  companySuffixes,
  companyTags,
  companyTrades,
  contactSources,
  contactTags,
  dealProducts,
  firstNames,
  jobTitles,
  lastNames,
  leadInterests,
  lostReasons,
  meetingOutcomes,
  taskTitles,
} from "./seed.vocabulary.ts";

/**
 * The SQL of the large seed: one `INSERT … SELECT … FROM generate_series(lo, hi)` per chunk and
 * table, computed entirely by the server (PostgreSQL 15 and PGlite alike).
 *
 * Every value is a pure function of the row's number `k`: `hashint8(k * 1024 + purpose)` gives
 * independent pseudo-random numbers, and the ids of companies, contacts, leads, deals and tasks
 * are UUIDv7s derived from (run salt, kind, k, created_at). So a contact can name the company
 * it works for by computing that company's id: no lookup table, no join, no correlated subquery,
 * and chunks are independent statements. Rows nobody references (activities, status changes)
 * take `keel_uuid_v7(created_at)`. A referenced row is always one created earlier.
 */

export type StageForSeed = { id: string; probability: number; isWon: boolean; isLost: boolean };

export type SeedPlan = {
  workspaceId: string;
  /** Random per run: makes derived ids unique across runs into one workspace. */
  salt: string;
  /** The seed's clock, in ms since the epoch; created_at spreads over the 3 years before it. */
  nowMs: number;
  counts: { companies: number; contacts: number; leads: number; deals: number; activities: number; tasks: number };
  /** Rows already in the workspace, so names, e-mails and phones stay unique when adding rows. */
  offsets: { companies: number; contacts: number };
  /** User ids that own and are assigned records (the workspace's members). */
  owners: string[];
  baseCurrency: string;
  pipelineId: string;
  stages: StageForSeed[];
};

const threeYearsMs = 3 * 365 * 86_400_000;
const dayMs = 86_400_000;
const hourMs = 3_600_000;
const companyNameSpace =
  companyPrefixes.length * companyQualifiers.length * companyTrades.length * companySuffixes.length;

// Hash purposes: each (table, attribute) has its own, so attributes are independent.
const P = {
  companyTs: 1,
  companyOwner: 2,
  companyCity: 3,
  companyStreet: 4,
  companyPhone: 5,
  companyEmployees: 6,
  companyRevenue: 7,
  companyTags: 8,
  companyUpdated: 9,
  contactTs: 20,
  contactFirst: 21,
  contactLast: 22,
  contactHasCompany: 23,
  contactCompany: 24,
  contactOwner: 25,
  contactPhonePrefix: 26,
  contactJob: 27,
  contactLifecycle: 28,
  contactSource: 29,
  contactTags: 30,
  contactTag2: 31,
  contactUpdated: 32,
  contactMail: 33,
  leadTs: 40,
  leadOwner: 41,
  leadContact: 42,
  leadHasSecond: 43,
  leadSecond: 44,
  leadLostFrom: 45,
  leadInterest: 46,
  leadPriority: 47,
  leadValue: 48,
  leadCurrency: 49,
  leadScore: 50,
  leadSource: 51,
  leadGap: 52,
  leadLostReason: 53,
  dealTs: 60,
  dealContact: 61,
  dealStage: 62,
  dealOwner: 63,
  dealProduct: 64,
  dealValue: 65,
  dealCurrency: 66,
  dealExpected: 67,
  dealClosed: 68,
  activityTs: 80,
  activityType: 81,
  activityLink: 82,
  activityTarget: 83,
  activitySubject: 84,
  activityBody: 85,
  activityHasBody: 86,
  activityDirection: 87,
  activityDuration: 88,
  activityOutcome: 89,
  activityOwner: 90,
  taskTs: 100,
  taskDue: 101,
  taskDueHour: 102,
  taskStatus: 103,
  taskCompleted: 104,
  taskPriority: 105,
  taskLink: 106,
  taskTarget: 107,
  taskTitle: 108,
  taskDescription: 109,
  taskAssignee: 110,
  taskCreator: 111,
  taskRemind: 112,
} as const;

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const textArray = (values: readonly string[]) => `(ARRAY[${values.map(literal).join(",")}]::text[])`;
const uuidArray = (values: readonly string[]) => `(ARRAY[${values.map(literal).join(",")}]::uuid[])`;
const intArray = (values: readonly number[]) => `(ARRAY[${values.join(",")}]::int[])`;
const boolArray = (values: readonly boolean[]) => `(ARRAY[${values.join(",")}]::boolean[])`;

/** A pseudo-random integer in [0, 2^31) for row `k` and a purpose. */
const hash = (k: string, purpose: number) => `(hashint8((${k})::bigint * 1024 + ${purpose}) & 2147483647)`;
/** A pseudo-random integer in [0, n). */
const pick = (k: string, purpose: number, n: number) => `(${hash(k, purpose)} % ${n})`;
/** A pseudo-random number in [0, 1). */
const unit = (k: string, purpose: number) => `(${hash(k, purpose)}::float8 / 2147483648.0)`;
/** The element of a SQL array at a pseudo-random position. */
const choose = (array: string, length: number, k: string, purpose: number) =>
  `${array}[1 + ${pick(k, purpose, length)}]`;
/** Index of a row among `targetCount`, chosen among those created before row k of `count`. */
const pickBefore = (k: string, count: number, purpose: number, targetCount: number) =>
  `least(floor(${unit(k, purpose)} * ((${k}) + 1) * ${targetCount / count})::bigint, ${targetCount - 1})`;

/** SQL for a timestamp (exact milliseconds) from an expression in ms since the epoch. */
const timestamp = (ms: string) => `(timestamptz 'epoch' + (${ms}) * interval '1 millisecond')`;

type Kind = "company" | "contact" | "lead" | "deal" | "task";
const kindLetter: Record<Kind, string> = { company: "o", contact: "p", lead: "l", deal: "d", task: "t" };

/** Builds the statements of one plan. */
export function seedStatements(plan: SeedPlan) {
  const { counts, offsets, workspaceId } = plan;
  const ws = literal(workspaceId);
  const startMs = plan.nowMs - threeYearsMs;
  const now = timestamp(String(plan.nowMs));
  const owners = uuidArray(plan.owners);
  const ownerOf = (k: string, purpose: number) => choose(owners, plan.owners.length, k, purpose);

  const countOf: Record<Kind, number> = {
    company: counts.companies,
    contact: counts.contacts,
    lead: counts.leads,
    deal: counts.deals,
    task: counts.tasks,
  };
  const tsPurpose: Record<Kind | "activity", number> = {
    company: P.companyTs,
    contact: P.contactTs,
    lead: P.leadTs,
    deal: P.dealTs,
    task: P.taskTs,
    activity: P.activityTs,
  };
  /** created_at (ms) of row k of a kind: evenly spread over 3 years, in k order, with jitter. */
  const createdMs = (kind: Kind | "activity", k: string) => {
    const count = kind === "activity" ? counts.activities : countOf[kind];
    return `(${startMs}::bigint + floor(((${k}) + ${unit(k, tsPurpose[kind])}) * ${(threeYearsMs - hourMs) / count}::float8)::bigint)`;
  };
  /** The UUIDv7 of row k of a kind: its created_at in the first 48 bits, then md5 bits. */
  const idOf = (kind: Kind, k: string) =>
    `overlay(overlay(md5(${literal(plan.salt + kindLetter[kind])} || (${k})) placing (lpad(to_hex(${createdMs(kind, k)}), 12, '0') || '7') from 1 for 13) placing '8' from 17 for 1)::uuid`;

  // Companies: a scrambled number gives prefix, qualifier, trade and legal form.
  const companyNumber = (j: string) => `((${j}) + ${offsets.companies})`;
  const scrambled = (j: string) => `((${companyNumber(j)} * 7919) % ${companyNameSpace})`;
  const prefixes = textArray(companyPrefixes);
  const qualifiers = textArray(companyQualifiers);
  const trades = textArray(companyTrades.map(([trade]) => trade));
  const industries = textArray(companyTrades.map(([, industry]) => industry));
  const suffixes = textArray(companySuffixes.map(([suffix]) => suffix));
  const tlds = textArray(companySuffixes.map(([, tld]) => tld));
  const prefixOf = (j: string) => `${prefixes}[1 + ${scrambled(j)} % ${companyPrefixes.length}]`;
  const tradeIndex = (j: string) =>
    `(1 + (${scrambled(j)} / ${companyPrefixes.length * companyQualifiers.length}) % ${companyTrades.length})`;
  const suffixIndex = (j: string) =>
    `(1 + ${scrambled(j)} / ${companyPrefixes.length * companyQualifiers.length * companyTrades.length})`;
  const companyName = (j: string) =>
    `(${prefixOf(j)} || ' ' || ${qualifiers}[1 + (${scrambled(j)} / ${companyPrefixes.length}) % ${companyQualifiers.length}]` +
    ` || ' ' || ${trades}[${tradeIndex(j)}] || ' ' || ${suffixes}[${suffixIndex(j)}]` +
    ` || CASE WHEN ${companyNumber(j)} >= ${companyNameSpace} THEN ' ' || (${companyNumber(j)} / ${companyNameSpace} + 1) ELSE '' END)`;
  const companyShortName = (j: string) => `(${prefixOf(j)} || ' ' || ${trades}[${tradeIndex(j)}])`;
  const companyDomain = (j: string) =>
    `lower(replace(${prefixOf(j)}, ' ', '') || ${trades}[${tradeIndex(j)}] || '.' || ${tlds}[${suffixIndex(j)}])`;

  // Contacts: who they are is a function of their number, so others can name them.
  const firsts = textArray(firstNames);
  const lasts = textArray(lastNames);
  const firstOf = (c: string) => choose(firsts, firstNames.length, c, P.contactFirst);
  const lastOf = (c: string) => choose(lasts, lastNames.length, c, P.contactLast);
  /** The company (number) a contact works for, or NULL for one in ten. */
  const companyOfContact = (c: string) =>
    `(CASE WHEN ${pick(c, P.contactHasCompany, 10)} < 9 THEN ${pickBefore(c, counts.contacts, P.contactCompany, counts.companies)} END)`;

  // Leads: status by k mod 20 — 30% new, 25% contacted, 20% qualified, 10% converted, 15% lost.
  // Converted lead number j (the j-th with bucket 15 or 16) became deal 6j + shift: every sixth
  // deal, created about three weeks after its lead. A lead whose deal would not exist stays qualified.
  const conversionShift = 6 * Math.floor(((21 * dayMs) / threeYearsMs) * (counts.deals / 6));
  const statusBucket = (k: string) => `((${k}) % 20)`;
  const dealOfLead = (k: string) => {
    const deal = `(6 * (((${k}) / 20) * 2 + ${statusBucket(k)} - 15) + ${conversionShift})`;
    return `(CASE WHEN ${statusBucket(k)} IN (15, 16) AND ${deal} < ${counts.deals} THEN ${deal} END)`;
  };
  const leadStatus = (k: string) =>
    `(CASE WHEN ${statusBucket(k)} < 6 THEN 'new' WHEN ${statusBucket(k)} < 11 THEN 'contacted' WHEN ${statusBucket(k)} < 15 THEN 'qualified' WHEN ${statusBucket(k)} < 17 THEN CASE WHEN ${dealOfLead(k)} IS NULL THEN 'qualified' ELSE 'converted' END ELSE 'lost' END)`;
  const primaryContactOfLead = (k: string) => pickBefore(k, counts.leads, P.leadContact, counts.contacts);
  /** The converted lead deal d came from (inverse of dealOfLead), if any. */
  const leadOfDeal = (d: string) => {
    const j = `(((${d}) - ${conversionShift}) / 6)`;
    const lead = `((${j} / 2) * 20 + 15 + ${j} % 2)`;
    return `(CASE WHEN (${d}) >= ${conversionShift} AND ((${d}) - ${conversionShift}) % 6 = 0 AND ${lead} < ${counts.leads} THEN ${lead} END)`;
  };
  const contactOfDeal = (d: string) =>
    `(CASE WHEN ${leadOfDeal(d)} IS NOT NULL THEN ${primaryContactOfLead(leadOfDeal(d))} ELSE ${pickBefore(d, counts.deals, P.dealContact, counts.contacts)} END)`;

  /** An activity or task concerns a contact (50%), a deal (25%) or a lead (25%), created before it. */
  const linksOf = (kind: "activity" | "task", k: string, count: number) => {
    const link = pick(k, kind === "activity" ? P.activityLink : P.taskLink, 100);
    const target = kind === "activity" ? P.activityTarget : P.taskTarget;
    const deal = pickBefore(k, count, target, counts.deals);
    const lead = pickBefore(k, count, target, counts.leads);
    const contact = `(CASE WHEN ${link} < 50 THEN ${pickBefore(k, count, target, counts.contacts)} WHEN ${link} < 75 THEN ${contactOfDeal(deal)} ELSE ${primaryContactOfLead(lead)} END)`;
    return {
      contact,
      deal: `(CASE WHEN ${link} >= 50 AND ${link} < 75 THEN ${deal} END)`,
      lead: `(CASE WHEN ${link} >= 75 THEN ${lead} END)`,
    };
  };

  const range = (lo: number, hi: number) => `generate_series(${lo}, ${hi - 1}) AS g(k)`;

  const cityField = (field: "city" | "region" | "postalCode" | "country" | "street" | "phonePrefix") =>
    `${textArray(cities.map((c) => c[field]))}[city]`;
  const companies = (lo: number, hi: number) => `
INSERT INTO companies (workspace_id, id, created_at, updated_at, created_by, name, domain, industry, phone, address,
  employee_count, annual_revenue, owner_id, tags)
SELECT ${ws}, ${idOf("company", "k")}, ${timestamp("ms")},
  least(${timestamp("ms")} + ${pick("k", P.companyUpdated, 120)} * interval '1 day', ${now}),
  owner, ${companyName("k")}, ${companyDomain("k")}, ${industries}[${tradeIndex("k")}],
  ${cityField("phonePrefix")} || lpad(${pick("k", P.companyPhone, 10000)}::text, 4, '0'),
  jsonb_build_object('line1', (1 + ${pick("k", P.companyStreet, 400)}) || ' ' || ${cityField("street")},
    'city', ${cityField("city")}, 'region', ${cityField("region")}, 'postalCode', ${cityField("postalCode")},
    'country', ${cityField("country")}),
  employees, (employees * (60 + ${pick("k", P.companyRevenue, 140)}))::numeric * 1000, owner,
  CASE WHEN ${pick("k", P.companyTags, 3)} = 0
    THEN ARRAY[${choose(textArray(companyTags), companyTags.length, "k", P.companyTags + 100)}] ELSE '{}'::text[] END
FROM (
  SELECT k, ${createdMs("company", "k")} AS ms, ${ownerOf("k", P.companyOwner)} AS owner,
    1 + ${pick("k", P.companyCity, cities.length)} AS city,
    greatest(1, floor(exp(${unit("k", P.companyEmployees)} * ln(20000)))::int) AS employees
  FROM ${range(lo, hi)}
  OFFSET 0
) s`;

  const contacts = (lo: number, hi: number) => `
INSERT INTO contacts (workspace_id, id, created_at, updated_at, created_by, first_name, last_name, email, phone, job_title,
  company_id, owner_id, lifecycle, source, tags)
SELECT ${ws}, ${idOf("contact", "k")}, ${timestamp("ms")}, least(${timestamp("ms")} + ${pick("k", P.contactUpdated, 90)} * interval '1 day', ${now}),
  owner, first_name, last_name,
  lower(first_name || '.' || last_name || (k + ${offsets.contacts}) || '@' ||
    CASE WHEN company IS NULL THEN ${choose(textArray(["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com"]), 5, "k", P.contactMail)} ELSE ${companyDomain("company")} END),
  ${choose(textArray(["+4915", "+4916", "+4917", "+447"]), 4, "k", P.contactPhonePrefix)} || lpad((((k + ${offsets.contacts})::bigint * 982451653 + 123456789) % 1000000000)::text, 9, '0'),
  ${choose(textArray(jobTitles), jobTitles.length, "k", P.contactJob)},
  ${idOf("company", "company")}, owner,
  CASE WHEN ${pick("k", P.contactLifecycle, 100)} < 35 THEN 'customer' ELSE 'lead' END,
  ${choose(textArray(contactSources), contactSources.length, "k", P.contactSource)},
  CASE ${pick("k", P.contactTags, 4)}
    WHEN 0 THEN ARRAY[${textArray(contactTags)}[1 + tag1]]
    WHEN 1 THEN ARRAY[${textArray(contactTags)}[1 + tag1], ${textArray(contactTags)}[1 + (tag1 + 1 + ${pick("k", P.contactTag2, contactTags.length - 1)}) % ${contactTags.length}]]
    ELSE '{}'::text[] END
FROM (
  SELECT k, ${createdMs("contact", "k")} AS ms, ${firstOf("k")} AS first_name, ${lastOf("k")} AS last_name,
    ${companyOfContact("k")} AS company, ${ownerOf("k", P.contactOwner)} AS owner,
    ${pick("k", P.contactTags + 100, contactTags.length)} AS tag1
  FROM ${range(lo, hi)}
  OFFSET 0
) s`;

  const leads = (lo: number, hi: number) => `
WITH src AS MATERIALIZED (
  SELECT s.*, ${timestamp("ms")} AS created_at,
    CASE WHEN status = 'converted' THEN converted_at
      ELSE least(${timestamp("ms")} + (depth - 1) * gap_days * interval '1 day', ${now}) END AS last_change
  FROM (
    SELECT k, ms, status, owner, contact1, contact2, company, deal,
      CASE WHEN deal IS NOT NULL THEN greatest(${timestamp("ms")}, ${timestamp(createdMs("deal", "deal"))}) END AS converted_at,
      CASE status WHEN 'new' THEN 1 WHEN 'contacted' THEN 2 WHEN 'qualified' THEN 3 WHEN 'converted' THEN 4 ELSE lost_from + 1 END AS depth,
      1 + ${pick("k", P.leadGap, 10)} AS gap_days, lost_from
    FROM (
      SELECT k, ${createdMs("lead", "k")} AS ms, ${leadStatus("k")} AS status, ${ownerOf("k", P.leadOwner)} AS owner,
        ${primaryContactOfLead("k")} AS contact1,
        CASE WHEN ${pick("k", P.leadHasSecond, 3)} = 0 THEN
          (${primaryContactOfLead("k")} + 1 + ${pick("k", P.leadSecond, Math.max(1, counts.contacts - 1))}) % ${counts.contacts} END AS contact2,
        ${companyOfContact(primaryContactOfLead("k"))} AS company, ${dealOfLead("k")} AS deal,
        1 + ${pick("k", P.leadLostFrom, 3)} AS lost_from
      FROM ${range(lo, hi)}
  OFFSET 0
    ) a
    OFFSET 0
  ) s
), inserted_leads AS (
  INSERT INTO leads (workspace_id, id, created_at, updated_at, created_by, title, status, priority, estimated_value, currency,
    source, score, owner_id, lost_reason, company_id, deal_id, converted_at)
  SELECT ${ws}, ${idOf("lead", "k")}, created_at, last_change, owner,
    ${choose(textArray(leadInterests), leadInterests.length, "k", P.leadInterest)} || ' – ' ||
      CASE WHEN company IS NULL THEN ${firstOf("contact1")} || ' ' || ${lastOf("contact1")} ELSE ${companyShortName("company")} END,
    status, ${choose(textArray(["low", "low", "low", "medium", "medium", "medium", "medium", "medium", "high", "high"]), 10, "k", P.leadPriority)},
    ((5 + ${pick("k", P.leadValue, 400)}) * 500)::numeric,
    CASE WHEN ${pick("k", P.leadCurrency, 100)} < 85 THEN ${literal(plan.baseCurrency)} ELSE ${choose(textArray(otherCurrencies(plan.baseCurrency)), 2, "k", P.leadCurrency + 100)} END,
    ${choose(textArray(contactSources), contactSources.length, "k", P.leadSource)},
    CASE status WHEN 'new' THEN 5 WHEN 'contacted' THEN 20 WHEN 'qualified' THEN 50 WHEN 'converted' THEN 70 ELSE 0 END + ${pick("k", P.leadScore, 31)},
    owner, CASE WHEN status = 'lost' THEN ${choose(textArray(lostReasons), lostReasons.length, "k", P.leadLostReason)} END,
    ${idOf("company", "company")}, ${idOf("deal", "deal")}, converted_at
  FROM src
), inserted_contacts AS (
  INSERT INTO lead_contacts (workspace_id, lead_id, contact_id, is_primary)
  SELECT ${ws}, ${idOf("lead", "k")}, ${idOf("contact", "CASE WHEN n = 1 THEN contact1 ELSE contact2 END")}, n = 1
  FROM src CROSS JOIN LATERAL (VALUES (1), (2)) v(n)
  WHERE n = 1 OR contact2 IS NOT NULL
)
INSERT INTO lead_status_changes (workspace_id, id, lead_id, from_status, to_status, reason, changed_by, changed_at)
SELECT ${ws}, keel_uuid_v7(at), ${idOf("lead", "k")},
  CASE WHEN step > 1 THEN (ARRAY['new', 'contacted', 'qualified'])[step - 1] END,
  CASE WHEN status = 'lost' AND step = depth THEN 'lost' ELSE (ARRAY['new', 'contacted', 'qualified', 'converted'])[step] END,
  CASE WHEN status = 'lost' AND step = depth THEN ${choose(textArray(lostReasons), lostReasons.length, "k", P.leadLostReason)} END,
  owner, at
FROM src CROSS JOIN LATERAL generate_series(1, depth) AS steps(step)
  CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', created_at + (last_change - created_at) * ((step - 1)::float8 / greatest(depth - 1, 1))) AS at) t`;

  const stageWeights = plan.stages.map((stage) =>
    stage.isWon
      ? 20 / plan.stages.filter((s) => s.isWon).length
      : stage.isLost
        ? 15 / plan.stages.filter((s) => s.isLost).length
        : 65 / Math.max(1, plan.stages.filter((s) => !s.isWon && !s.isLost).length),
  );
  const total = stageWeights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  const stageCase = `(CASE ${plan.stages
    .map((_, i) => {
      cumulative += ((stageWeights[i] ?? 0) / total) * 1000;
      return i === plan.stages.length - 1
        ? `ELSE ${i + 1}`
        : `WHEN ${pick("k", P.dealStage, 1000)} < ${Math.round(cumulative)} THEN ${i + 1}`;
    })
    .join(" ")} END)`;

  const deals = (lo: number, hi: number) => `
INSERT INTO deals (workspace_id, id, created_at, updated_at, created_by, name, value, currency, pipeline_id, stage_id, status,
  probability, expected_close_date, actual_close_date, contact_id, company_id, lead_id, owner_id)
SELECT ${ws}, ${idOf("deal", "k")}, ${timestamp("ms")}, coalesce(closed_at, least(${timestamp("ms")} + ${pick("k", P.dealClosed + 100, 30)} * interval '1 day', ${now})),
  owner,
  ${choose(textArray(dealProducts), dealProducts.length, "k", P.dealProduct)} || ' – ' ||
    CASE WHEN company IS NULL THEN ${firstOf("contact")} || ' ' || ${lastOf("contact")} ELSE ${companyShortName("company")} END,
  ((1 + ${pick("k", P.dealValue, 500)}) * 250)::numeric,
  CASE WHEN ${pick("k", P.dealCurrency, 100)} < 85 THEN ${literal(plan.baseCurrency)} ELSE ${choose(textArray(otherCurrencies(plan.baseCurrency)), 2, "k", P.dealCurrency + 100)} END,
  ${literal(plan.pipelineId)}, ${uuidArray(plan.stages.map((s) => s.id))}[stage],
  CASE WHEN ${boolArray(plan.stages.map((s) => s.isWon))}[stage] THEN 'won' WHEN ${boolArray(plan.stages.map((s) => s.isLost))}[stage] THEN 'lost' ELSE 'open' END,
  ${intArray(plan.stages.map((s) => s.probability))}[stage],
  (${timestamp("ms")} + (14 + ${pick("k", P.dealExpected, 120)}) * interval '1 day')::date,
  closed_at::date,
  ${idOf("contact", "contact")}, ${idOf("company", "company")}, ${idOf("lead", "lead")}, owner
FROM (
  SELECT k, ms, stage, contact, lead, owner, ${companyOfContact("contact")} AS company,
    CASE WHEN ${boolArray(plan.stages.map((s) => s.isWon || s.isLost))}[stage]
      THEN least(${timestamp("ms")} + (7 + ${pick("k", P.dealClosed, 90)}) * interval '1 day', ${now}) END AS closed_at
  FROM (
    SELECT k, ${createdMs("deal", "k")} AS ms, ${stageCase} AS stage, ${contactOfDeal("k")} AS contact, ${leadOfDeal("k")} AS lead,
      ${ownerOf("k", P.dealOwner)} AS owner
    FROM ${range(lo, hi)}
  OFFSET 0
  ) a
  OFFSET 0
) s`;

  const activityLinks = linksOf("activity", "k", counts.activities);
  const activities = (lo: number, hi: number) => `
INSERT INTO activities (workspace_id, id, created_at, updated_at, created_by, type, subject, body, direction, occurred_at,
  duration_minutes, outcome, contact_id, lead_id, deal_id, company_id)
SELECT ${ws}, keel_uuid_v7(at), at, at, owner, (ARRAY['call', 'email', 'meeting', 'note'])[type], 
  ${textArray(activitySubjects)}[(type - 1) * 5 + 1 + ${pick("k", P.activitySubject, 5)}],
  CASE WHEN type = 4 OR ${pick("k", P.activityHasBody, 10)} < 7 THEN ${choose(textArray(activityBodies), activityBodies.length, "k", P.activityBody)} END,
  CASE WHEN type <= 2 THEN CASE WHEN ${pick("k", P.activityDirection, 10)} < 4 THEN 'inbound' ELSE 'outbound' END END,
  at,
  CASE type WHEN 1 THEN 2 + ${pick("k", P.activityDuration, 44)} WHEN 3 THEN 15 * (1 + ${pick("k", P.activityDuration, 6)}) END,
  CASE type WHEN 1 THEN ${choose(textArray(callOutcomes), callOutcomes.length, "k", P.activityOutcome)}
    WHEN 3 THEN ${choose(textArray(meetingOutcomes), meetingOutcomes.length, "k", P.activityOutcome)} END,
  ${idOf("contact", "contact")}, ${idOf("lead", "lead")}, ${idOf("deal", "deal")}, ${idOf("company", "company")}
FROM (
  SELECT *, ${companyOfContact("contact")} AS company FROM (
  SELECT k, ${timestamp(createdMs("activity", "k"))} AS at, ${ownerOf("k", P.activityOwner)} AS owner,
    CASE WHEN ${pick("k", P.activityType, 100)} < 30 THEN 1 WHEN ${pick("k", P.activityType, 100)} < 65 THEN 2
      WHEN ${pick("k", P.activityType, 100)} < 80 THEN 3 ELSE 4 END AS type,
    ${activityLinks.contact} AS contact, ${activityLinks.lead} AS lead, ${activityLinks.deal} AS deal
  FROM ${range(lo, hi)}
  OFFSET 0
  ) a
  OFFSET 0
) s`;

  const taskLinks = linksOf("task", "k", counts.tasks);
  const weekMs = 7 * dayMs;
  const tasks = (lo: number, hi: number) => `
WITH src AS MATERIALIZED (
  SELECT s.*, CASE WHEN status = 'completed'
      THEN greatest(ms + ${hourMs}, least(due_ms - ${pick("k", P.taskCompleted, 48)}::bigint * ${hourMs}, ${plan.nowMs})) END AS completed_ms,
    CASE WHEN ${pick("k", P.taskRemind, 10)} < 3 THEN due_ms - ${hourMs} END AS remind_ms
  FROM (
    SELECT a.*, CASE
        WHEN due_ms < ${plan.nowMs - weekMs} THEN CASE WHEN roll < 93 THEN 'completed' WHEN roll < 98 THEN 'open' ELSE 'in_progress' END
        WHEN due_ms < ${plan.nowMs} THEN CASE WHEN roll < 40 THEN 'completed' WHEN roll < 90 THEN 'open' ELSE 'in_progress' END
        ELSE CASE WHEN roll < 80 THEN 'open' ELSE 'in_progress' END END AS status
    FROM (
      SELECT k, ms, ms + (1 + ${pick("k", P.taskDue, 21)})::bigint * ${dayMs} + (${pick("k", P.taskDueHour, 9)} - 4)::bigint * ${hourMs} AS due_ms,
        ${pick("k", P.taskStatus, 100)} AS roll, contact, lead, deal, company
      FROM (
        SELECT *, ${companyOfContact("contact")} AS company FROM (
        SELECT k, ${createdMs("task", "k")} AS ms, ${taskLinks.contact} AS contact, ${taskLinks.lead} AS lead, ${taskLinks.deal} AS deal
        FROM ${range(lo, hi)}
        OFFSET 0
        ) c
        OFFSET 0
      ) b
    ) a
    OFFSET 0
  ) s
), inserted AS (
  INSERT INTO tasks (workspace_id, id, created_at, updated_at, created_by, title, description, due_at, priority, status,
    completed_at, assignee_id, remind_at, reminded_at, contact_id, lead_id, deal_id, company_id)
  SELECT ${ws}, ${idOf("task", "k")}, ${timestamp("ms")}, ${timestamp("coalesce(completed_ms, ms)")}, ${ownerOf("k", P.taskCreator)},
    ${choose(textArray(taskTitles), taskTitles.length, "k", P.taskTitle)} || ' – ' || ${firstOf("contact")} || ' ' || ${lastOf("contact")},
    CASE WHEN ${pick("k", P.taskDescription, 2)} = 0 THEN ${choose(textArray(activityBodies), activityBodies.length, "k", P.taskDescription + 100)} END,
    ${timestamp("due_ms")}, ${choose(textArray(["low", "medium", "medium", "high"]), 4, "k", P.taskPriority)}, status,
    ${timestamp("completed_ms")}, ${ownerOf("k", P.taskAssignee)}, ${timestamp("remind_ms")},
    CASE WHEN remind_ms < ${plan.nowMs} THEN ${timestamp("remind_ms")} END,
    ${idOf("contact", "contact")}, ${idOf("lead", "lead")}, ${idOf("deal", "deal")}, ${idOf("company", "company")}
  FROM src
)
INSERT INTO task_dependencies (workspace_id, task_id, depends_on_id)
SELECT ${ws}, ${idOf("task", "a.k")}, ${idOf("task", "b.k")}
FROM src a JOIN src b ON b.k = a.k - 1
WHERE a.k % 10 = 5 AND NOT (a.status = 'completed' AND b.status <> 'completed')`;

  return { companies, contacts, leads, deals, activities, tasks };
}

function otherCurrencies(base: string): [string, string] {
  const others = ["USD", "EUR", "GBP"].filter((c) => c !== base);
  return [others[0] ?? "EUR", others[1] ?? "GBP"];
}

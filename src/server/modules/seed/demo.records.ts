import { newId } from "../../lib/ids.ts";
import type { activities } from "../activities/activities.table.ts";
import type { companies } from "../companies/companies.table.ts";
import type { contacts } from "../contacts/contacts.table.ts";
import type { deals } from "../deals/deals.table.ts";
import { computeLeadScore } from "../leads/leads.score.ts";
import type { leadContacts, leadStatusChanges, leads } from "../leads/leads.table.ts";
import type { taskDependencies, tasks } from "../tasks/tasks.table.ts";
import { seededRandom, type Random } from "./seeded-random.ts";
import {
  activityBodies,
  activitySubjects,
  activityTypes,
  callOutcomes,
  cities,
  companyPrefixes,
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

export type DemoUsers = { admin: string; manager: string; agent: string };
export type DemoStage = { id: string; probability: number; isWon: boolean; isLost: boolean };
export type DemoRecords = {
  companies: (typeof companies.$inferInsert)[];
  contacts: (typeof contacts.$inferInsert)[];
  leads: (typeof leads.$inferInsert)[];
  leadContacts: (typeof leadContacts.$inferInsert)[];
  leadStatusChanges: (typeof leadStatusChanges.$inferInsert)[];
  deals: (typeof deals.$inferInsert)[];
  activities: (typeof activities.$inferInsert)[];
  tasks: (typeof tasks.$inferInsert)[];
  taskDependencies: (typeof taskDependencies.$inferInsert)[];
};

const dayMs = 86_400_000;
const hourMs = 3_600_000;
const leadStatusPlan = [
  ...Array<"new">(7).fill("new"),
  ...Array<"contacted">(6).fill("contacted"),
  ...Array<"qualified">(6).fill("qualified"),
  ...Array<"converted">(4).fill("converted"),
  ...Array<"lost">(7).fill("lost"),
];

/**
 * The demo workspace's records: 40 companies, 120 contacts, 30 leads in every status, 30 deals in
 * every stage, about 240 activities over the last 90 days and 45 tasks (done, overdue, due today,
 * upcoming). Deterministic: the same seed gives the same records, with dates relative to `now`.
 */
export function buildDemoRecords(input: {
  workspaceId: string;
  users: DemoUsers;
  pipelineId: string;
  stages: DemoStage[];
  baseCurrency: string;
  now: Date;
}): DemoRecords {
  const random = seededRandom(20_261_121);
  const { workspaceId, users } = input;
  const now = input.now.getTime();
  const ago = (ms: number) => new Date(now - ms);
  const owner = () => pickOwner(random, users);
  const money = (min: number, max: number, step: number) => `${random.int(min / step, max / step) * step}.00`;
  const currency = () =>
    random.chance(0.85)
      ? input.baseCurrency
      : random.pick(["USD", "EUR", "GBP"].filter((c) => c !== input.baseCurrency));
  const record = (createdAt: Date, createdBy: string) => ({
    workspaceId,
    id: newId(),
    createdAt,
    updatedAt: new Date(Math.min(now, createdAt.getTime() + random.int(0, 20) * dayMs)),
    createdBy,
  });

  // Companies: distinct prefixes make distinct names.
  const companyRows = random
    .shuffle(companyPrefixes)
    .slice(0, 40)
    .map((prefix, i) => {
      const [trade, industry] = random.pick(companyTrades);
      const [suffix, tld] = random.pick(companySuffixes);
      const city = random.pick(cities);
      const employeeCount = Math.max(3, Math.round(Math.exp(random.next() * Math.log(8000))));
      const ownerId = owner();
      return {
        ...record(ago(random.int(120, 540) * dayMs), ownerId),
        name: `${prefix} ${trade} ${suffix}`,
        domain: `${prefix.replace(/ /g, "").toLowerCase()}${trade.toLowerCase()}.${tld}`,
        industry,
        phone: `${city.phonePrefix}${String(100 + i).padStart(4, "0")}`,
        address: {
          line1: `${random.int(1, 400)} ${city.street}`,
          city: city.city,
          region: city.region,
          postalCode: city.postalCode,
          country: city.country,
        },
        employeeCount,
        annualRevenue: `${employeeCount * random.int(80, 250) * 1000}.00`,
        ownerId,
        tags: random.chance(0.4) ? [random.pick(companyTags)] : [],
        short: `${prefix} ${trade}`,
        city,
      };
    });

  // Contacts: 100 work at the companies (2–3 each), 20 use personal addresses.
  const names = new Set<string>();
  const contactRows = Array.from({ length: 120 }, (_, i) => {
    let first: string;
    let last: string;
    do {
      first = random.pick(firstNames);
      last = random.pick(lastNames);
    } while (names.has(`${first} ${last}`));
    names.add(`${first} ${last}`);
    const company = i < 100 ? companyRows[i % companyRows.length] : undefined;
    const city = company?.city ?? random.pick(cities);
    const domain = company?.domain ?? random.pick(["gmail.com", "outlook.com", "proton.me", "icloud.com"]);
    const ownerId = company && random.chance(0.7) ? company.ownerId : owner();
    const tagCount = random.int(0, 2);
    return {
      ...record(ago(random.int(100, 500) * dayMs), ownerId),
      firstName: first,
      lastName: last,
      email: `${first}.${last}@${domain}`.toLowerCase(),
      phone: `${city.phonePrefix}${String(140 + i).padStart(4, "0")}`,
      jobTitle: random.pick(jobTitles),
      companyId: company?.id ?? null,
      ownerId,
      lifecycle: random.chance(0.4) ? ("customer" as const) : ("lead" as const),
      source: random.pick(contactSources),
      tags: random.shuffle(contactTags).slice(0, tagCount),
      company,
    };
  });
  const companyContacts = contactRows.filter((c) => c.company);

  // Leads in every status, each with a primary contact (and sometimes a colleague).
  const leadRows: DemoRecords["leads"] = [];
  const leadContactRows: DemoRecords["leadContacts"] = [];
  const statusChangeRows: DemoRecords["leadStatusChanges"] = [];
  const conversions: { leadIndex: number; at: Date; contact: (typeof contactRows)[number] }[] = [];
  leadStatusPlan.forEach((status, i) => {
    const contact = random.pick(companyContacts);
    const company = contact.company;
    const createdAt = ago(random.int(25, 120) * dayMs);
    const ownerId = contact.ownerId;
    const chain = statusChain(status, random);
    const stepMs = Math.min(random.int(2, 8) * dayMs, (now - createdAt.getTime()) / chain.length);
    const times = chain.map((_, step) => new Date(createdAt.getTime() + step * stepMs));
    const lastChange = times.at(-1) ?? createdAt;
    const lostReason = status === "lost" ? random.pick(lostReasons) : null;
    const lead = {
      workspaceId,
      id: newId(),
      createdAt,
      updatedAt: lastChange,
      createdBy: ownerId,
      title: `${random.pick(leadInterests)} – ${company?.short ?? `${contact.firstName} ${contact.lastName}`}`,
      status,
      priority: random.pick(["low", "medium", "medium", "high"] as const),
      estimatedValue: money(2_000, 150_000, 500),
      currency: currency(),
      source: random.pick(contactSources),
      score: 0,
      ownerId,
      lostReason,
      companyId: company?.id ?? null,
    };
    leadRows.push(lead);
    leadContactRows.push({ workspaceId, leadId: lead.id, contactId: contact.id, isPrimary: true });
    const colleague = companyContacts.find((c) => c.company === company && c.id !== contact.id);
    if (colleague && random.chance(0.5))
      leadContactRows.push({ workspaceId, leadId: lead.id, contactId: colleague.id, isPrimary: false });
    chain.forEach((toStatus, step) => {
      statusChangeRows.push({
        workspaceId,
        id: newId(),
        leadId: lead.id,
        fromStatus: step === 0 ? null : (chain[step - 1] ?? null),
        toStatus,
        reason: toStatus === "lost" ? lostReason : null,
        changedBy: ownerId,
        changedAt: times[step] ?? createdAt,
      });
    });
    if (status === "converted") conversions.push({ leadIndex: i, at: lastChange, contact });
  });

  // Deals: five per stage; converted leads' deals are created at conversion.
  const stagePlan = input.stages.flatMap((stage) => Array<DemoStage>(5).fill(stage));
  const dealRows: DemoRecords["deals"] = stagePlan.map((stage, i) => {
    // The four converted leads became the second deal of stages 2–5 (qualified … won).
    const stageIndex = Math.floor(i / 5);
    const conversion = i % 5 === 1 && stageIndex >= 1 ? conversions[stageIndex - 1] : undefined;
    const contact = conversion?.contact ?? random.pick(companyContacts);
    const createdAt = conversion?.at ?? ago(random.int(15, 150) * dayMs);
    const isClosed = stage.isWon || stage.isLost;
    const closedAt = isClosed ? new Date(Math.min(now, createdAt.getTime() + random.int(7, 60) * dayMs)) : null;
    const lead = conversion ? leadRows[conversion.leadIndex] : undefined;
    const deal = {
      workspaceId,
      id: newId(),
      createdAt,
      updatedAt: closedAt ?? new Date(Math.min(now, createdAt.getTime() + random.int(1, 14) * dayMs)),
      createdBy: contact.ownerId,
      name: `${random.pick(dealProducts)} – ${contact.company?.short ?? contact.lastName}`,
      value: money(1_000, 120_000, 250),
      currency: currency(),
      pipelineId: input.pipelineId,
      stageId: stage.id,
      status: stage.isWon ? ("won" as const) : stage.isLost ? ("lost" as const) : ("open" as const),
      probability: stage.probability,
      expectedCloseDate: isoDate(new Date(createdAt.getTime() + random.int(30, 90) * dayMs)),
      actualCloseDate: closedAt ? isoDate(closedAt) : null,
      contactId: contact.id,
      companyId: contact.companyId,
      leadId: lead?.id ?? null,
      ownerId: contact.ownerId,
      tags: random.chance(0.2) ? ["priority"] : [],
    };
    if (lead) Object.assign(lead, { dealId: deal.id, convertedAt: createdAt, companyId: contact.companyId });
    return deal;
  });

  applyProductRules(leadRows, contactRows, dealRows);

  // Activities over the last 90 days: one per deal and lead, two per contact on average.
  const activityRows: DemoRecords["activities"] = [];
  const addActivity = (
    links: { contactId: string | null; companyId: string | null; dealId?: string; leadId?: string },
    ownerId: string,
  ) => {
    const typeIndex = activityRows.length % activityTypes.length;
    const type = activityTypes[typeIndex] ?? "note";
    const occurredAt = ago(random.int(0, 90 * 24) * hourMs + random.int(0, 59) * 60_000);
    activityRows.push({
      workspaceId,
      id: newId(),
      createdAt: occurredAt,
      updatedAt: occurredAt,
      createdBy: ownerId,
      type,
      subject: activitySubjects[typeIndex * 5 + random.int(0, 4)] ?? "Note",
      body: type === "note" || random.chance(0.7) ? random.pick(activityBodies) : null,
      direction: type === "call" || type === "email" ? random.pick(["inbound", "outbound", "outbound"] as const) : null,
      occurredAt,
      durationMinutes: type === "call" ? random.int(2, 45) : type === "meeting" ? 15 * random.int(2, 6) : null,
      outcome: type === "call" ? random.pick(callOutcomes) : type === "meeting" ? random.pick(meetingOutcomes) : null,
      contactId: links.contactId,
      leadId: links.leadId ?? null,
      dealId: links.dealId ?? null,
      companyId: links.companyId,
    });
  };
  for (const deal of dealRows)
    addActivity(
      { contactId: deal.contactId ?? null, companyId: deal.companyId ?? null, dealId: deal.id },
      deal.ownerId ?? users.admin,
    );
  leadRows.forEach((lead) => {
    const primary = leadContactRows.find((lc) => lc.leadId === lead.id && lc.isPrimary);
    addActivity(
      { contactId: primary?.contactId ?? null, companyId: lead.companyId ?? null, leadId: lead.id },
      lead.ownerId ?? users.admin,
    );
  });
  for (let i = 0; i < 180; i++) {
    const contact = random.pick(contactRows);
    addActivity({ contactId: contact.id, companyId: contact.companyId }, contact.ownerId);
  }

  const { taskRows, dependencyRows } = buildTasks(random, {
    workspaceId,
    users,
    now,
    contacts: contactRows,
    deals: dealRows,
    leads: leadRows,
  });
  return {
    companies: companyRows.map(({ short: _short, city: _city, ...row }) => row),
    contacts: contactRows.map(({ company: _company, ...row }) => row),
    leads: leadRows,
    leadContacts: leadContactRows,
    leadStatusChanges: statusChangeRows,
    deals: dealRows,
    activities: activityRows,
    tasks: taskRows,
    taskDependencies: dependencyRows,
  };
}

/** Tasks: 10 done, 8 overdue, 6 due today, 21 upcoming (some with reminders), a few dependencies. */
function buildTasks(
  random: Random,
  input: {
    workspaceId: string;
    users: DemoUsers;
    now: number;
    contacts: { id: string; firstName: string; lastName: string; companyId: string | null }[];
    deals: DemoRecords["deals"];
    leads: DemoRecords["leads"];
  },
) {
  const { workspaceId, users, now } = input;
  const assignees = [users.agent, users.manager, users.admin];
  const endOfToday = new Date(now).setUTCHours(23, 59, 0, 0);
  const plan = [
    ...Array.from({ length: 10 }, () => ({ kind: "done" as const, due: now - random.int(1, 60) * dayMs })),
    ...Array.from({ length: 8 }, () => ({
      kind: "overdue" as const,
      due: now - random.int(1, 14) * dayMs - random.int(1, 8) * hourMs,
    })),
    ...Array.from({ length: 6 }, (_, i) => ({
      kind: "today" as const,
      due: Math.min(endOfToday, now + (i + 1) * 30 * 60_000),
    })),
    ...Array.from({ length: 21 }, () => ({
      kind: "upcoming" as const,
      due: now + random.int(1, 30) * dayMs + random.int(0, 8) * hourMs,
    })),
  ];
  const taskRows: DemoRecords["tasks"] = plan.map(({ kind, due }, i) => {
    const assigneeId = assignees[i % assignees.length] ?? users.admin;
    const createdAt = new Date(Math.min(due, now) - random.int(3, 20) * dayMs);
    const link = i % 3;
    const deal = link === 1 ? random.pick(input.deals) : undefined;
    const lead = link === 2 ? random.pick(input.leads) : undefined;
    const contact = input.contacts.find((c) => c.id === deal?.contactId) ?? random.pick(input.contacts);
    const completedAt =
      kind === "done" ? new Date(Math.max(createdAt.getTime() + hourMs, due - random.int(0, 36) * hourMs)) : null;
    const remindAt =
      kind === "upcoming" && random.chance(0.5)
        ? new Date(due - hourMs)
        : kind === "overdue" && i % 2 === 0
          ? new Date(due - dayMs)
          : null;
    return {
      workspaceId,
      id: newId(),
      createdAt,
      updatedAt: completedAt ?? createdAt,
      createdBy: i % 2 === 0 ? users.manager : assigneeId,
      title: `${random.pick(taskTitles)} – ${deal?.name ?? lead?.title ?? `${contact.firstName} ${contact.lastName}`}`,
      description: random.chance(0.5) ? random.pick(activityBodies) : null,
      dueAt: new Date(due),
      priority: random.pick(["low", "medium", "medium", "high"] as const),
      status:
        kind === "done"
          ? ("completed" as const)
          : kind === "overdue" && i % 3 === 0
            ? ("in_progress" as const)
            : ("open" as const),
      completedAt,
      assigneeId,
      remindAt,
      // A reminder already due counts as sent, so starting the demo does not fire a burst of them.
      remindedAt: remindAt && remindAt.getTime() < now ? remindAt : null,
      contactId: contact.id,
      leadId: lead?.id ?? null,
      dealId: deal?.id ?? null,
      companyId: deal?.companyId ?? lead?.companyId ?? contact.companyId,
    };
  });
  // A task waits for earlier ones: never completed before them.
  const byKind = (kind: string) => taskRows.filter((_, i) => plan[i]?.kind === kind);
  const [done1, done2] = byKind("done");
  const [today1] = byKind("today");
  const [up1, up2, up3, up4] = byKind("upcoming");
  const pairs = [
    [today1, done1],
    [up1, done2],
    [up2, up1],
    [up3, up2],
    [up4, today1],
  ] as const;
  const dependencyRows: DemoRecords["taskDependencies"] = pairs.flatMap(([task, dependsOn]) =>
    task && dependsOn ? [{ workspaceId, taskId: task.id, dependsOnId: dependsOn.id }] : [],
  );
  return { taskRows, dependencyRows };
}

/**
 * What the write path would have made of these records, had they been entered one by one: a lead's
 * score computed from its fields (every demo lead has a primary contact), and the contact of a won
 * deal a customer (the workspace's `customerOnWonDeal`, on by default).
 */
function applyProductRules(
  leadRows: DemoRecords["leads"],
  contactRows: { id: string; lifecycle: "lead" | "customer" }[],
  dealRows: DemoRecords["deals"],
): void {
  for (const lead of leadRows) {
    lead.score = computeLeadScore({
      priority: lead.priority ?? "medium",
      estimatedValue: lead.estimatedValue ?? null,
      hasPrimaryContact: true,
      status: lead.status ?? "new",
    });
  }
  const customers = new Set(dealRows.filter((deal) => deal.status === "won").map((deal) => deal.contactId));
  for (const contact of contactRows) if (customers.has(contact.id)) contact.lifecycle = "customer";
}

function pickOwner(random: Random, users: DemoUsers): string {
  const roll = random.next();
  return roll < 0.25 ? users.admin : roll < 0.6 ? users.manager : users.agent;
}

/** The statuses a lead went through to reach `status`; a lost lead dropped out at some point. */
function statusChain(status: (typeof leadStatusPlan)[number], random: Random) {
  const path = ["new", "contacted", "qualified", "converted"] as const;
  if (status !== "lost") return path.slice(0, path.indexOf(status) + 1);
  return [...path.slice(0, random.int(1, 3)), "lost" as const];
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

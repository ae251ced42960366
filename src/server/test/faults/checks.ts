/**
 * What a fault run must show: answers that are 2xx, 4xx or a well-formed 503 (never 500, never a
 * stack trace or SQL), and every acknowledged write present once afterwards. Each check returns
 * the list of what is wrong, so a failing assertion prints it.
 */
import type { Client, Load, Outcome, Write } from "./load.ts";

const leakPattern = /at .*\.ts:|select |insert into/i;

function describeOutcome(outcome: Outcome): string {
  const body = outcome.error ? ` ${outcome.error.slice(0, 300)}` : "";
  return `${outcome.method} ${outcome.path} → ${outcome.status || "no answer"}${body}`;
}

/** One line per kind of bad answer (with how many and the first example). */
export function badAnswers(outcomes: Outcome[], options: { allowNoAnswer?: boolean } = {}): string[] {
  const problems = new Map<string, { count: number; example: string }>();
  const note = (rule: string, outcome: Outcome) => {
    const entry = problems.get(rule) ?? { count: 0, example: describeOutcome(outcome) };
    entry.count++;
    problems.set(rule, entry);
  };
  for (const outcome of outcomes) {
    const { status } = outcome;
    if (status === 0 && !options.allowNoAnswer) note("no HTTP answer", outcome);
    if (status >= 500 && status !== 503) note(`status ${status}`, outcome);
    if (status === 503 && !outcome.retryAfter) note("503 without Retry-After", outcome);
    if (status >= 400 && !outcome.contentType.startsWith("application/problem+json")) {
      note(`${status} not application/problem+json (${outcome.contentType || "no content-type"})`, outcome);
    }
    if (status >= 300 && outcome.error && leakPattern.test(outcome.error)) note("stack trace or SQL in body", outcome);
  }
  return [...problems].map(([rule, { count, example }]) => `${rule}: ${count}× e.g. ${example}`);
}

/** "201: 1234, 503: 12, …" per kind, for the log. */
export function statusSummary(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(`${o.kind} ${o.status}`, (counts.get(`${o.kind} ${o.status}`) ?? 0) + 1);
  return [...counts]
    .sort()
    .map(([key, count]) => `${key}: ${count}`)
    .join(", ");
}

async function getJson(client: Client, path: string): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(`${client.baseUrl}${path}`, {
    headers: { cookie: client.cookie, accept: "application/json" },
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, json: response.ok ? (JSON.parse(text) as unknown) : null, text };
}

/** Acknowledged writes that cannot be read back (GET by id is not 200 with the e-mail written). */
export async function missingWrites(client: Client, acknowledged: Write[]): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < acknowledged.length; i += 16) {
    const batch = acknowledged.slice(i, i + 16);
    const answers = await Promise.all(batch.map((w) => getJson(client, `/api/v1/contacts/${w.id}`)));
    answers.forEach((answer, j) => {
      const write = batch[j] as Write;
      const email = (answer.json as { email?: string } | null)?.email;
      if (answer.status !== 200 || email !== write.email) {
        missing.push(`${write.email} (${write.id}): GET → ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    });
  }
  return missing;
}

/** How many contacts each e-mail of the domain has, read through the list (every page). */
export async function contactsByEmail(client: Client, domain: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const filter = `filter[email][contains]=${encodeURIComponent(`@${domain}`)}`;
  let cursor: string | null = null;
  do {
    const page = await getJson(
      client,
      `/api/v1/contacts?limit=200&${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    if (page.status !== 200) throw new Error(`Listing ${domain} answered ${page.status}: ${page.text}`);
    const { data, nextCursor } = page.json as { data: { email: string }[]; nextCursor: string | null };
    for (const contact of data) counts.set(contact.email, (counts.get(contact.email) ?? 0) + 1);
    cursor = nextCursor;
  } while (cursor);
  return counts;
}

/** `GET /contacts/count` of the domain. */
export async function countOfDomain(client: Client, domain: string): Promise<number> {
  const answer = await getJson(
    client,
    `/api/v1/contacts/count?filter[email][contains]=${encodeURIComponent(`@${domain}`)}`,
  );
  if (answer.status !== 200) throw new Error(`Counting ${domain} answered ${answer.status}: ${answer.text}`);
  return (answer.json as { count: number }).count;
}

/** E-mails stored more than once. */
export function duplicates(byEmail: Map<string, number>): string[] {
  return [...byEmail].filter(([, count]) => count > 1).map(([email, count]) => `${email} ×${count}`);
}

/** Contacts stored although their write was never acknowledged (with the last answer it got). */
export function unacknowledgedStored(byEmail: Map<string, number>, load: Load): string[] {
  const writes = new Map(load.writes.map((w) => [w.email, w]));
  return [...byEmail.keys()]
    .filter((email) => writes.get(email)?.id == null)
    .map((email) => {
      const write = writes.get(email);
      return `${email}: last answer ${write?.lastStatus ?? "?"} after ${write?.attempts ?? "?"} attempt(s)`;
    });
}

import type { Request } from "autocannon";
import { benchPassword } from "../src/server/modules/seed/large.seed.ts";
import type { Variation } from "./pgbench.ts";
import type { ScenarioName } from "./report.ts";

/** What the benchmark sends, scenario by scenario, as a signed-in admin of the benchmark workspace. */

export const listPath = "/api/v1/contacts?filter%5Blifecycle%5D=customer&sort=-createdAt&limit=50";
const deepPages = 200;
// Surnames, a first name + surname and partial words (the exact phase of `q`)...
const searchTerms = ["Garcia", "garc", "Sofia Rossi", "Nakamura", "nakam", "schneid", "Okonkwo"];
// ...and misspellings, found only by the similarity fallback.
const typoTerms = ["Garsia", "Kowalsky", "Jonhson", "Nakamra", "Schnieder"];

export type Scenario = {
  name: ScenarioName;
  description: string;
  /** The next request of the load. */
  next: () => Request;
  /** One request of each distinct SQL shape the load sends (a search term each): what the
   * pgbench baseline replays, with `variation` saying what changes from one request to the next. */
  shapes: Request[];
  variation: Variation;
};

/** The scenarios in the order they run. `headers` are the signed-in admin's (for writes' own headers). */
export function scenariosOf(options: {
  deepPath: string;
  recordIds: string[];
  updateIds: string[];
  headers: Record<string, string>;
  runTag: string;
}): Scenario[] {
  const { deepPath, recordIds, updateIds, headers, runTag } = options;
  const get = (path: string): Request => ({ method: "GET", path });
  const json = (method: string, path: string, body: unknown): Request => ({
    method,
    path,
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const rotate = <T>(values: readonly T[], request: (value: T, index: number) => Request) => {
    let index = 0;
    return () => request(values[index % values.length] as T, index++);
  };
  const searchPath = (term: string) => `/api/v1/contacts?q=${encodeURIComponent(term)}&limit=50`;
  const recordPath = (id: string) => `/api/v1/contacts/${id}?include=company,owner`;
  const newContact = (index: number | string) => ({
    firstName: "Bench",
    lastName: `Created ${index}`,
    email: `bench-create-${runTag}-${index}@example.com`,
    jobTitle: "Load tester",
    tags: ["bench-created"],
  });
  const capturedEmail = newContact("captured").email;
  let created = 0;
  const [firstRecord = "", firstUpdate = ""] = [recordIds[0], updateIds[0]];

  const searches = (
    [
      ["search", searchTerms, "surnames, names and partial words"],
      ["search_typo", typoTerms, "misspellings: no exact match, so the similarity fallback"],
    ] as const
  ).map(([name, terms, kind]): Scenario => ({
    name,
    description: `\`GET /api/v1/contacts?q=…&limit=50\` rotating ${terms.length} terms: ${terms.map((t) => `"${t}"`).join(", ")} (${kind}).`,
    next: rotate(terms, (term) => get(searchPath(term))),
    shapes: terms.map((term) => get(searchPath(term))),
    variation: {},
  }));
  return [
    {
      name: "list",
      description: `\`GET ${decodeURIComponent(listPath)}\` (first page, customers newest first).`,
      next: () => get(listPath),
      shapes: [get(listPath)],
      variation: {},
    },
    {
      name: "deep_page",
      description: `the same list from the cursor of page ${deepPages} (rows ${(deepPages * 50).toLocaleString("en-US")}+), walked first.`,
      next: () => get(deepPath),
      shapes: [get(deepPath)],
      variation: {},
    },
    ...searches,
    {
      name: "record",
      description: `\`GET /api/v1/contacts/:id?include=company,owner\` rotating over ${recordIds.length} random contacts.`,
      next: rotate(recordIds, (id) => get(recordPath(id))),
      shapes: [get(recordPath(firstRecord))],
      variation: { rotating: { captured: firstRecord, values: recordIds } },
    },
    {
      name: "create",
      description:
        "`POST /api/v1/contacts` with a unique e-mail per request (one transaction: insert, audit entry and outbox event).",
      next: () => json("POST", "/api/v1/contacts", newContact(created++)),
      shapes: [json("POST", "/api/v1/contacts", newContact("captured"))],
      variation: {
        unique: { captured: capturedEmail, prefix: `bench-create-${runTag}-pgbench-`, suffix: "@example.com" },
      },
    },
    {
      name: "update",
      description: `\`PATCH /api/v1/contacts/:id\` (job title, no If-Match) rotating over ${updateIds.length} random contacts.`,
      next: rotate(updateIds, (id, index) =>
        json("PATCH", `/api/v1/contacts/${id}`, { jobTitle: `Buyer ${index + 1}` }),
      ),
      // A job title no earlier request set, so the captured request changes the contact.
      shapes: [json("PATCH", `/api/v1/contacts/${firstUpdate}`, { jobTitle: `Buyer ${runTag}` })],
      variation: { rotating: { captured: firstUpdate, values: updateIds } },
    },
  ];
}

export async function signIn(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: benchPassword }),
  });
  if (response.status !== 200)
    throw new Error(`Sign-in as ${email} answered ${response.status}: ${await response.text()}`);
  const session = response.headers.getSetCookie().find((c) => c.startsWith("keel_session="));
  if (!session) throw new Error("Sign-in set no keel_session cookie");
  return session.split(";")[0] ?? "";
}

/** Walks the list page by page (bounded) and returns the URL of the deepest page reached. */
export async function deepCursorPath(base: string, headers: Record<string, string>): Promise<string> {
  let path = listPath;
  for (let page = 1; page < deepPages; page++) {
    const response = await fetch(`${base}${path}`, { headers });
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    const { nextCursor } = (await response.json()) as { nextCursor: string | null };
    if (!nextCursor) break;
    path = `${listPath}&cursor=${encodeURIComponent(nextCursor)}`;
  }
  return path;
}

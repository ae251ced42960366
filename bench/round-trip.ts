import { createWriteStream, openAsBlob } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase } from "../src/server/db/client.ts";
import { sleep } from "../src/server/test/ports.ts";
import { withSection } from "./doc-sections.ts";
import { apiCaller, createAdmin, round, signInAs, startServe } from "./keel-serve.ts";

/**
 * `[DATABASE_URL=…] tsx bench/round-trip.ts [--rows 200000]`: contacts exported and imported
 * again at scale, through the API of `keel serve` as users call it. Seeds N contacts in a source
 * workspace (names with commas, quotes, accents and line breaks; missing e-mails, phones and job
 * titles; tags; companies), exports them as CSV (GET /contacts/export), imports the file into a
 * fresh workspace (duplicates created, so every row comes back), and compares the two workspaces
 * row for row in SQL: the same fields a round trip keeps (docs/import-export.md), company by
 * name. Fails unless they are identical. Writes the "round-trip" section of docs/benchmarks.md.
 */

const docFile = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const log = (line: string) => process.stderr.write(`[bench:round-trip] ${line}\n`);
const password = "bench-round-trip-password-1";

/** What a round trip keeps, per live contact, in one comparable text; company by name. */
const rowsDigest = (workspaceId: string) => sql`
  select count(*)::int as rows, md5(coalesce(string_agg(line, e'\n' order by line), '')) as digest
  from (
    select concat_ws(' | ', c.first_name, c.last_name, c.email, c.phone, c.job_title, co.name, c.lifecycle,
      c.source, array_to_string(c.tags, ';')) as line
    from contacts c left join companies co on co.workspace_id = c.workspace_id and co.id = c.company_id
    where c.workspace_id = ${workspaceId} and c.deleted_at is null) as kept`;

type Digest = { rows: number; digest: string };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: "string", default: "200000" } } });
  const rows = Number(values.rows);
  const databaseUrl = process.env.DATABASE_URL;
  const work = await mkdtemp(path.join(os.tmpdir(), "keel-bench-round-trip-"));
  const stamp = Date.now();
  const source = { email: `round-trip-source-${stamp}@bench.keel.test`, password, workspace: "Round trip source" };
  const target = { email: `round-trip-target-${stamp}@bench.keel.test`, password, workspace: "Round trip target" };
  // Before serve: on PGlite one process at a time holds the data folder.
  await createAdmin(databaseUrl, work, source);
  await createAdmin(databaseUrl, work, target);
  const seedStarted = Date.now();
  const workspaces = await seed(databaseUrl, work, source.email, target.email, rows);
  log(`seeded ${rows} contacts in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
  const keel = await startServe(databaseUrl, work);
  let before: Digest;
  let after: Digest;
  const timings = { exportSeconds: 0, uploadSeconds: 0, importSeconds: 0, megabytes: 0 };
  try {
    const base = `http://127.0.0.1:${keel.port}/api/v1`;
    const file = path.join(work, "contacts.csv");
    const sourceCookie = await signInAs(base, source.email, password);
    let started = Date.now();
    const exported = await fetch(`${base}/contacts/export?format=csv`, { headers: { cookie: sourceCookie } });
    if (exported.status !== 200 || !exported.body) throw new Error(`the export answered ${exported.status}`);
    await pipeline(Readable.fromWeb(exported.body as never), createWriteStream(file));
    timings.exportSeconds = (Date.now() - started) / 1000;
    timings.megabytes = round((await stat(file)).size / 1024 / 1024);
    log(`exported ${timings.megabytes} MB in ${timings.exportSeconds} s`);

    const cookie = await signInAs(base, target.email, password);
    const call = apiCaller(base, cookie);
    started = Date.now();
    const form = new FormData();
    form.append("resource", "contacts");
    form.append("file", await openAsBlob(file), "contacts.csv");
    const uploaded = await call<{ id: string; columns: string[] }>("POST", "/imports", form);
    timings.uploadSeconds = (Date.now() - started) / 1000;
    // Ids, owners and timestamps are the new workspace's own: the owner is the importing member.
    const kept: Record<string, string> = {
      firstName: "firstName",
      lastName: "lastName",
      email: "email",
      phone: "phone",
      jobTitle: "jobTitle",
      companyName: "company",
      lifecycle: "lifecycle",
      source: "source",
      tags: "tags",
    };
    const mapping = Object.fromEntries(uploaded.columns.map((header) => [header, kept[header] ?? null]));
    await call("PATCH", `/imports/${uploaded.id}`, { mapping, onDuplicate: "create" });
    await call("POST", `/imports/${uploaded.id}/start`);
    let state: { status: string; rowsDone: number; created: number; failed: number };
    let lastLog = 0;
    started = Date.now();
    for (;;) {
      await sleep(500);
      state = await call("GET", `/imports/${uploaded.id}`);
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`import ${state.status} ${state.rowsDone}/${rows}`);
      }
      if (state.status !== "running") break;
    }
    timings.importSeconds = (Date.now() - started) / 1000;
    if (state.status !== "completed" || state.failed > 0)
      throw new Error(`the import ended ${state.status} with ${state.failed} failed rows`);
  } finally {
    await keel.stop();
  }
  const connection = await openDatabase({ databaseUrl, dataDir: path.join(work, "data"), poolSize: 2 });
  try {
    const digest = async (workspaceId: string) =>
      ((await connection.db.execute(rowsDigest(workspaceId))) as unknown as { rows: Digest[] }).rows[0]!;
    before = await digest(workspaces.source);
    after = await digest(workspaces.target);
  } finally {
    await connection.close();
    await rm(work, { recursive: true, force: true });
  }
  const identical = before.rows === rows && after.rows === before.rows && after.digest === before.digest;
  const section = [
    "## Round trip",
    "",
    `\`${databaseUrl ? "DATABASE_URL=… " : ""}tsx bench/round-trip.ts --rows ${rows}\` on ${databaseUrl ? "PostgreSQL" : "embedded PGlite"}, ${new Date().toISOString().slice(0, 10)};`,
    `${os.cpus().length} cores, Node ${process.version}, load average ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(" / ")}.`,
    "",
    `${rows.toLocaleString("en")} contacts exported as CSV (${timings.megabytes} MB in ${round(timings.exportSeconds)} s) and imported into a`,
    `fresh workspace (upload ${round(timings.uploadSeconds)} s, import ${round(timings.importSeconds)} s), through the API of \`keel serve\`:`,
    `**${identical ? "identical" : "NOT identical"}**, ${after.rows.toLocaleString("en")} of ${before.rows.toLocaleString("en")} rows, the same digest of every kept field`,
    `(\`${before.digest}\` / \`${after.digest}\`).`,
  ].join("\n");
  const doc = await readFile(docFile, "utf8").catch(() => "# Benchmarks\n");
  await writeFile(docFile, withSection(doc, "round-trip", section));
  console.log(section);
  if (!identical) process.exitCode = 1;
}

/**
 * The source workspace's contacts, with two statements (this is the data under test, not the
 * write path), shaped like imports.round-trip.test.ts's: every third without an e-mail, every
 * fifth without a phone, names with commas, quotes, accents and line breaks, tags, both
 * lifecycles, and a company (of 1,000) for every other one. Answers both workspaces' ids.
 */
async function seed(
  databaseUrl: string | undefined,
  work: string,
  sourceEmail: string,
  targetEmail: string,
  rows: number,
) {
  const connection = await openDatabase({ databaseUrl, dataDir: path.join(work, "data"), poolSize: 2 });
  const { db } = connection;
  try {
    const adminOf = async (email: string) =>
      (
        (await db.execute(sql`select m.workspace_id::text as "workspaceId", u.id::text as "userId"
          from users u join memberships m on m.user_id = u.id where u.email = ${email}`)) as unknown as {
          rows: { workspaceId: string; userId: string }[];
        }
      ).rows[0]!;
    const source = await adminOf(sourceEmail);
    const target = await adminOf(targetEmail);
    const [ws, owner] = [source.workspaceId, source.userId];
    await db.execute(sql`insert into companies (workspace_id, id, name, owner_id, created_by)
      select ${ws}, gen_random_uuid(), 'Firma ' || i || case when i % 7 = 0 then ', "Söhne"' else '' end, ${owner}, ${owner}
      from generate_series(1, 1000) as i`);
    await db.execute(sql`insert into contacts (workspace_id, id, first_name, last_name, email, phone, job_title,
        company_id, owner_id, lifecycle, source, tags, created_by)
      select ${ws}, gen_random_uuid(), 'Zoë ' || i,
        case when i % 11 = 0 then 'O''Brien, "Jr."' when i % 13 = 0 then e'Line\\nbreak' else 'Müller ' || (i % 97) end,
        case when i % 3 = 0 then null else 'person' || i || '@round.trip' end,
        case when i % 5 = 0 then null else '+49151' || (10000000 + i) end,
        case when i % 4 = 0 then null else 'Job ' || (i % 50) end,
        case when i % 2 = 0 then companies[i % 1000 + 1] end,
        ${owner}, case when i % 6 = 0 then 'customer' else 'lead' end,
        case when i % 8 = 0 then null else 'Fair ' || (i % 9) end,
        case when i % 10 = 0 then '{}'::text[] else array['vip', 'tag ' || (i % 5)] end, ${owner}
      from generate_series(1, ${rows}) as i,
        (select array_agg(id order by id) as companies from companies where workspace_id = ${ws}) as c`);
    await db.execute(sql`analyze contacts`);
    return { source: ws, target: target.workspaceId };
  } finally {
    await connection.close();
  }
}

await main();

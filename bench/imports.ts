import { createWriteStream, openAsBlob } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sleep } from "../src/server/test/ports.ts";
import { withSection } from "./doc-sections.ts";
import { measureImportFloor } from "./imports-floor.ts";
import { allocatorEnvironment, apiCaller, createAdmin, memoryOf, round, signInAs, startServe } from "./keel-serve.ts";

/**
 * `tsx bench/imports.ts [--rows N]`, on DATABASE_URL (PostgreSQL) or, without it, on embedded
 * PGlite in a temporary folder: generates a contacts CSV of N rows (company names and domains,
 * e-mails, phones, 1 % repeating an earlier row's e-mail, 0.5 % invalid), starts `keel serve` with
 * its workers in a child process, uploads the file over HTTP, starts the import (duplicates
 * skipped) and polls it until it completes. Reports rows per second (the import's own start to
 * finish) and the Keel process's resident memory before the upload, before the start and at its
 * peak. On PostgreSQL it then measures what the database alone needs to write the same rows
 * (imports-floor.ts) and reports Keel's share of it. Writes bench/imports-results.json and the
 * "imports" section of docs/benchmarks.md.
 */

// One results file and one section of docs/benchmarks.md per kind of database.
const resultsFile = fileURLToPath(
  new URL(process.env.DATABASE_URL ? "./imports-results.json" : "./imports-pglite-results.json", import.meta.url),
);
const section = process.env.DATABASE_URL ? "imports" : "imports-pglite";
const docFile = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));
const log = (line: string) => process.stderr.write(`[bench:imports] ${line}\n`);
const password = "bench-imports-password-1";

type ImportState = {
  id: string;
  status: string;
  rowsTotal: number;
  rowsDone: number;
  created: number;
  skipped: number;
  failed: number;
  startedAt: string | null;
  finishedAt: string | null;
  rowsPerSecond: number | null;
};

type Results = {
  command: string;
  date: string;
  database: "postgresql" | "pglite";
  machine: { cpus: number; cpuModel: string; node: string; loadAverage: number[] };
  file: { rows: number; megabytes: number; duplicates: number; invalid: number; companies: number };
  upload: { seconds: number };
  run: { seconds: number; rowsPerSecond: number; created: number; skipped: number; failed: number };
  /** PostgreSQL alone writing the same rows (null on PGlite), and Keel's rows/s as a share of it. */
  floor: { rowsPerSecond: number; keelShare: number } | null;
  memory: { rssBeforeUploadMib: number; rssBeforeStartMib: number; peakRssMib: number; growthMib: number };
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: "string" } } });
  const databaseUrl = process.env.DATABASE_URL;
  const rows = Number(values.rows ?? (databaseUrl ? 1_000_000 : 100_000));
  const work = await mkdtemp(path.join(os.tmpdir(), "keel-bench-imports-"));
  const email = `imports-bench-${Date.now()}@bench.keel.test`;
  // Before serve: on PGlite one process at a time holds the data folder.
  await createAdmin(databaseUrl, work, { email, password, workspace: "Imports" });
  const keel = await startServe(databaseUrl, work);
  try {
    const file = path.join(work, "contacts.csv");
    const generated = await writeContactsCsv(file, rows);
    const megabytes = Math.round(((await stat(file)).size / 1024 / 1024) * 10) / 10;
    log(`${rows} rows, ${megabytes} MB; Keel pid ${keel.pid}`);
    const base = `http://127.0.0.1:${keel.port}/api/v1`;
    const cookie = await signInAs(base, email, password);
    const call = apiCaller(base, cookie);
    const before = await memoryOf(keel.pid);
    const uploadStarted = Date.now();
    const form = new FormData();
    form.append("resource", "contacts");
    form.append("file", await openAsBlob(file), "contacts.csv");
    const uploaded = await call<ImportState & { mapping: Record<string, string | null> }>("POST", "/imports", form);
    const uploadSeconds = (Date.now() - uploadStarted) / 1000;
    log(`uploaded in ${uploadSeconds.toFixed(1)} s; mapping ${JSON.stringify(uploaded.mapping)}`);
    await call("PATCH", `/imports/${uploaded.id}`, { onDuplicate: "skip" });
    const beforeStart = await memoryOf(keel.pid);
    await call("POST", `/imports/${uploaded.id}/start`);
    let state: ImportState;
    let lastLog = 0;
    for (;;) {
      await sleep(500);
      state = await call<ImportState>("GET", `/imports/${uploaded.id}`);
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`${state.status} ${state.rowsDone}/${state.rowsTotal}, ${state.rowsPerSecond ?? "–"} rows/s`);
      }
      if (state.status !== "running") break;
    }
    if (state.status !== "completed") throw new Error(`the import ended ${state.status}`);
    const peak = await memoryOf(keel.pid);
    const seconds = (Date.parse(state.finishedAt!) - Date.parse(state.startedAt!)) / 1000;
    const rowsPerSecond = Math.round(state.rowsDone / seconds);
    const floorRowsPerSecond = databaseUrl ? await measureImportFloor(databaseUrl, uploaded.id, rows) : null;
    const results: Results = {
      command: `${databaseUrl ? "DATABASE_URL=… " : ""}tsx bench/imports.ts --rows ${rows}`,
      date: new Date().toISOString(),
      database: databaseUrl ? "postgresql" : "pglite",
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
        node: process.version,
        loadAverage: os.loadavg().map(round),
      },
      file: { rows, megabytes, ...generated },
      upload: { seconds: round(uploadSeconds) },
      run: {
        seconds: round(seconds),
        rowsPerSecond,
        created: state.created,
        skipped: state.skipped,
        failed: state.failed,
      },
      floor: floorRowsPerSecond
        ? { rowsPerSecond: floorRowsPerSecond, keelShare: Math.round((rowsPerSecond / floorRowsPerSecond) * 100) / 100 }
        : null,
      memory: {
        rssBeforeUploadMib: before.rssMib,
        rssBeforeStartMib: beforeStart.rssMib,
        peakRssMib: peak.peakRssMib,
        growthMib: round(peak.peakRssMib - before.rssMib),
      },
    };
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    const doc = await readFile(docFile, "utf8").catch(() => "# Benchmarks\n");
    const updated = withSection(doc, section, markdown(results));
    await writeFile(docFile, updated.replace(`<!-- ${section}:start -->\n`, `<!-- ${section}:start -->\n\n`));
    console.log(markdown(results));
  } finally {
    await keel.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A contacts file as people export them: every 50th company named by its domain, the others by
 * name; every 100th row repeats an earlier row's e-mail (a duplicate, skipped); every 200th is
 * invalid (no first name, or an e-mail that is not one).
 */
async function writeContactsCsv(file: string, rows: number) {
  const out = createWriteStream(file);
  const counts = { duplicates: 0, invalid: 0, companies: Math.ceil(rows / 50) };
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  };
  await write("First Name,Last Name,Email,Phone,Company,Job Title,Tags");
  for (let i = 0; i < rows; i++) {
    const company = i % 2500 === 0 ? `co${Math.floor(i / 50)}.example` : `Company ${Math.floor(i / 50)}`;
    let first = `First${i}`;
    let email = `person${i}@example.com`;
    if (i % 100 === 99) {
      email = `person${i - 50}@example.com`;
      counts.duplicates++;
    } else if (i % 200 === 1) {
      counts.invalid++;
      if (i % 400 === 1) first = "";
      else email = `person${i} at example.com`;
    }
    const phone = i % 100 === 99 ? "" : `+49 151 ${String(10_000_000 + i).slice(-8)}`;
    await write(`${first},Last${i % 997},${email},${phone},${company},Engineer,"a;b"`);
  }
  out.end();
  await once(out, "finish");
  return counts;
}

/**
 * Why the import target (50,000 rows/s) is out of reach here, from measurements made with the
 * statement log (log_min_duration_statement = 0) and a CPU profile of `keel serve` during this
 * benchmark; kept with the figures it explains.
 */
const whyBelowTarget = `The target of 50,000 rows a second is several times what PostgreSQL itself writes for these rows
on this machine (the "PostgreSQL alone" line: no client at all). A contact row updates its
table's 17 indexes (14 B-trees for the sorts, filters and duplicate checks, three GIN for search
and tags): into a copy of the table without indexes the same 20,000 rows take 0.25 s, with them
1.6–2.3 s. Each imported row also writes its audit entry, its \`contact.created\` event and the
import's undo record (what makes it audited, delivered to webhooks and undoable), each with its
own indexes. Per 2,000 rows the statement log showed about 420 ms in PostgreSQL (the
contacts 200 ms, audit entries and events 175 ms, undo records 30 ms), and right behind the
import the audit chain sealer reads and seals the new entries and the outbox relay marks the
events published. (Until 2026-12-06 the sealer also read its whole order index for every batch of
2,000 entries, a cost that grew with the log: the same import then ran at 28 % of PostgreSQL
alone.) Keel's own CPU (CSV parsing, the API's schemas, phone numbers to E.164, building the JSON of
records, entries and events, garbage collection) comes to 200–300 µs a row and runs between the
batch's statements.`;

const allocatorSettings = Object.entries(allocatorEnvironment)
  .map(([name, value]) => `\`${name}=${value}\``)
  .join(", ");

function markdown(results: Results): string {
  const { file, run, memory, machine, floor } = results;
  return [
    results.database === "postgresql" ? "## Imports" : "## Imports on the embedded database",
    "",
    `\`${results.command}\` on ${results.database === "postgresql" ? "PostgreSQL" : "embedded PGlite"}, ${results.date.slice(0, 10)};`,
    `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.join(" / ")}.`,
    "",
    `A contacts CSV of ${file.rows.toLocaleString("en")} rows (${file.megabytes} MB; ${file.companies.toLocaleString("en")} companies`,
    `named by name or domain, ${file.duplicates.toLocaleString("en")} duplicate e-mails, ${file.invalid.toLocaleString("en")} invalid rows), uploaded over HTTP`,
    `to \`keel serve\` with its workers (run as \`npm start\` runs it: compiled, ${allocatorSettings}),`,
    "duplicates skipped, validation on.",
    "",
    "| figure | value |",
    "| --- | --- |",
    `| upload | ${results.upload.seconds} s |`,
    `| import (start to completed) | ${run.seconds} s |`,
    `| rows per second | ${run.rowsPerSecond.toLocaleString("en")} |`,
    ...(floor
      ? [
          `| PostgreSQL alone writing the same rows (one INSERT … SELECT per table) | ${floor.rowsPerSecond.toLocaleString("en")} rows/s |`,
          `| Keel ÷ PostgreSQL alone | ${Math.round(floor.keelShare * 100)} % |`,
        ]
      : []),
    `| created / skipped / failed | ${run.created.toLocaleString("en")} / ${run.skipped.toLocaleString("en")} / ${run.failed.toLocaleString("en")} |`,
    `| Keel RSS before upload / before start / peak | ${memory.rssBeforeUploadMib} / ${memory.rssBeforeStartMib} / ${memory.peakRssMib} MiB |`,
    `| RSS growth (peak − before upload) | ${memory.growthMib} MiB (target < 100 MiB: ${memory.growthMib < 100 ? "met" : "missed"}) |`,
    ...(floor ? ["", whyBelowTarget] : []),
  ].join("\n");
}

await main();

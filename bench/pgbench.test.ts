import { describe, expect, it } from "vitest";
import type { CapturedRequest } from "./capture.ts";
import { isGeneratedId, lastSeconds, parseTransactionLog, pgbenchScript, sqlLiteral } from "./pgbench.ts";

describe("pgbench's transaction log", () => {
  const log = [
    "0 1 3077 0 1796338060 808173",
    "1 7 failed 0 1796338060 810147",
    "",
    "1 8 skipped 0 1796338061 000000",
    "0 2 113 1 1796338061 500000 12",
  ].join("\n");

  it("reads each transaction's end and latency in ms, a failed one without latency, a skipped one not at all", () => {
    expect(parseTransactionLog(log)).toEqual([
      { end: 1796338060.808173, latency: 3.077 },
      { end: 1796338060.810147, latency: null },
      { end: 1796338061.5, latency: 0.113 },
    ]);
  });

  it("keeps the last seconds of a run, after its connections warmed up", () => {
    const run = [10.2, 10.9, 11.4, 12.1, 13.0, 13.05].map((end) => ({ end, latency: 1 }));
    expect(lastSeconds(run, 2).map((t) => t.end)).toEqual([11.4, 12.1, 13.0, 13.05]);
    expect(lastSeconds([], 2)).toEqual([]);
  });
});

describe("pgbench literals", () => {
  it("quotes plain text and doubles quotes", () => {
    expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
  });

  it("writes colons as \\x3a in an escape string, so pgbench sees no variable", () => {
    expect(sqlLiteral(`{"version":1,"path":"a\\b"}`)).toBe(`E'{"version"\\x3a1,"path"\\x3a"a\\\\b"}'`);
  });
});

describe("ids a request generated", () => {
  const startedAt = Date.parse("2026-12-03T22:45:28.961Z");
  const v7At = (ms: number) => {
    const hex = ms.toString(16).padStart(12, "0");
    return `${hex.slice(0, 8)}-${hex.slice(8)}-7abc-8def-0123456789ab`;
  };

  it("are UUIDv7 made no earlier than the request arrived", () => {
    expect(isGeneratedId(v7At(startedAt), startedAt)).toBe(true);
    expect(isGeneratedId(v7At(startedAt + 20), startedAt)).toBe(true);
    expect(isGeneratedId(v7At(startedAt - 1), startedAt)).toBe(false);
    expect(isGeneratedId("9b2f4c1e-5d6a-4b7c-8d9e-0f1a2b3c4d5e", startedAt)).toBe(false);
    expect(isGeneratedId("customer", startedAt)).toBe(false);
  });
});

describe("pgbench script of a captured request", () => {
  const startedAt = Date.parse("2026-12-03T22:45:28.961Z");
  const id = (ms: number, tail: string) => {
    const hex = ms.toString(16).padStart(12, "0");
    return `${hex.slice(0, 8)}-${hex.slice(8)}-7${tail}`;
  };
  const workspace = id(startedAt - 60_000, "115-ab90-06ee20a3cd70");
  const contact = id(startedAt + 3, "43b-bc07-513b896ef5e0");
  const event = id(startedAt + 4, "32e-8287-af6f9483d558");
  const create: CapturedRequest = {
    name: "create_1",
    startedAt,
    statements: [
      { text: "begin", params: [] },
      { text: "select set_config('app.workspace_id', $1, true)", params: [workspace] },
      {
        text: 'insert into "contacts" ("workspace_id", "id", "email", "phone", "tags") values ($1, $2, $3, $4, $5)',
        params: [workspace, contact, "new@example.com", null, '{"bench"}'],
      },
      {
        text: 'insert into "outbox_events" ("id", "resource_id", "payload") values ($1, $2, $3)',
        params: [event, contact, `{"record":{"id":"${contact}","version":1}}`],
      },
      { text: "commit", params: [] },
    ],
  };
  const unique = { captured: "new@example.com", prefix: "bench-", suffix: "@example.com" };

  it("replays every statement in order with its parameters written in", () => {
    const script = pgbenchScript(create, { unique }, 50);
    const statements = script.split("\n").filter((line) => line && !line.startsWith("--") && !line.startsWith("\\"));
    expect(statements.slice(0, 2)).toEqual(["begin;", `select set_config('app.workspace_id', '${workspace}', true);`]);
    expect(statements[2]).toContain(`values ('${workspace}', `);
    expect(statements[2]).toContain(`NULL, '{"bench"}')`);
    expect(statements.at(-2)).toContain(`E'{"record"\\x3a{"id"\\x3a"' || (lpad(`);
    expect(statements.at(-2)).toContain(`::uuid::text || E'","version"\\x3a1}}'`);
    expect(statements.at(-1)).toBe("commit;");
  });

  it("makes each generated id anew per transaction, the same id the same way in every statement", () => {
    const script = pgbenchScript(create, { unique }, 50);
    expect(script).toContain("\\set r random(0, 281474976710655)");
    expect(script).not.toContain(`'${contact}'`);
    expect(script).not.toContain(`'${event}'`);
    const newIds = script.match(
      /\(lpad\(to_hex\(\(extract\(epoch from now\(\)\) \* 1000\)::bigint\), 12, '0'\) \|\| '7(\d{3})8'/g,
    );
    // The contact's id three times (its row, the event's resource, inside the event's JSON
    // payload), the event's once, told apart.
    expect(newIds).toHaveLength(4);
    expect(new Set(newIds).size).toBe(2);
  });

  it("makes the unique value anew per transaction from the client and a random number", () => {
    const script = pgbenchScript(create, { unique }, 50);
    expect(script).toContain("('bench-' || :client_id || '-' || :r || '@example.com')");
    expect(script).not.toContain("new@example.com");
  });

  it("leaves pgbench no variable but its own", () => {
    const script = pgbenchScript(create, { unique }, 50);
    const variables = new Set(script.match(/(?<!:):(?!:)\w+/g));
    expect(variables).toEqual(new Set([":client_id", ":r"]));
  });

  it("drops Keel's driver markers, whose colons pgbench would read as variables", () => {
    const marked: CapturedRequest = {
      name: "list_1",
      startedAt,
      statements: [
        { text: "begin;\n/* keel:with-begin */ select set_config('role', 'keel_app', true)", params: [] },
        { text: "/* keel:prepared:record_fact */ select 1", params: [] },
      ],
    };
    const script = pgbenchScript(marked, {}, 50);
    expect(script).toContain("begin;\nselect set_config('role', 'keel_app', true);");
    expect(script).toContain("\nselect 1;");
    expect(script).not.toContain("keel:");
  });

  it("picks a rotating value per transaction from each client's own share of the values", () => {
    const read: CapturedRequest = {
      name: "record_1",
      startedAt,
      statements: [{ text: 'select * from "contacts" where "id" = $1', params: ["a1"] }],
    };
    const values = ["a1", "a2", "a3", "a4", "a5", "a6", "a7"];
    const script = pgbenchScript(read, { rotating: { captured: "a1", values } }, 3);
    expect(script).toContain("\\set n 1 + (:client_id % 3) * 2 + random(0, 1)");
    expect(script).toContain(`"id" = ('{a1,a2,a3,a4,a5,a6}'::uuid[])[:n::int];`);
    // More clients than values: they share, one value each.
    expect(pgbenchScript(read, { rotating: { captured: "a1", values: ["a1", "a2"] } }, 50)).toContain(
      "\\set n 1 + (:client_id % 2) * 1 + random(0, 0)",
    );
  });

  it("writes in at most 16 values per client, so pgbench prepares its statements quickly", () => {
    const read: CapturedRequest = {
      name: "record_1",
      startedAt,
      statements: [{ text: 'select * from "contacts" where "id" = $1', params: ["v0"] }],
    };
    const values = Array.from({ length: 5000 }, (_, i) => `v${i}`);
    const script = pgbenchScript(read, { rotating: { captured: "v0", values } }, 50);
    expect(script).toContain("\\set n 1 + (:client_id % 50) * 16 + random(0, 15)");
    expect(/'\{([^}]*)\}'::uuid\[\]/.exec(script)?.[1]?.split(",")).toEqual(values.slice(0, 800));
  });

  it("refuses a variation whose value the request never sent", () => {
    expect(() => pgbenchScript(create, { rotating: { captured: "other", values: ["other"] } }, 50)).toThrow(
      /"other" is in none of the captured statements/,
    );
  });

  it("refuses a statement pgbench would misread", () => {
    const sliced: CapturedRequest = {
      name: "list_1",
      startedAt,
      statements: [{ text: "select (tags)[1:2] from contacts", params: [] }],
    };
    expect(() => pgbenchScript(sliced, {}, 50)).toThrow(/":2"/);
  });
});

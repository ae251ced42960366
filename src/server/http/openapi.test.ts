import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConfig, lintFromString, type NormalizedProblem } from "@redocly/openapi-core";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../test/create-test-app.ts";

type Response = { description?: string; content?: Record<string, { schema?: { $ref?: string } }> };
type Operation = { operationId?: string; tags?: string[]; summary?: string; responses: Record<string, Response> };
type Document = { paths: Record<string, Record<string, Operation>>; tags?: { name: string }[] };

let source: string;
let document: Document;

beforeAll(async () => {
  const app = await createTestApp();
  try {
    source = (await app.inject({ url: "/api/openapi.json" })).body;
  } finally {
    await app.close();
  }
  document = JSON.parse(source) as Document;
});

function operationsOf(doc: Document): { route: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
  );
}

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended rules, with declared tags and RFC 9457 errors", async () => {
    const config = await createConfig({
      extends: ["recommended"],
      // Off in `recommended`; on here because Keel declares every tag and answers problem+json.
      rules: { "operation-tag-defined": "error", "operation-4xx-problem-details-rfc7807": "error" },
    });
    const problems = await lintFromString({ source, absoluteRef: "/api/openapi.json", config });
    const format = (problem: NormalizedProblem) =>
      `${problem.severity} ${problem.ruleId}: ${problem.message} (${problem.location[0]?.pointer ?? "?"})`;
    // No warning is allowed either: each one is a gap a client generator or reader would meet.
    expect(problems.map(format)).toEqual([]);
  });

  it("gives every operation a unique camelCase operationId, a declared tag and a summary", () => {
    const declaredTags = (document.tags ?? []).map((tag) => tag.name);
    const operations = operationsOf(document);
    const routesWhere = (isWrong: (operation: Operation) => boolean) =>
      operations.filter(({ operation }) => isWrong(operation)).map(({ route }) => route);
    expect(routesWhere((o) => !/^[a-z][A-Za-z0-9]+$/.test(o.operationId ?? ""))).toEqual([]);
    expect(routesWhere((o) => o.tags?.length !== 1 || !declaredTags.includes(o.tags[0] ?? ""))).toEqual([]);
    expect(routesWhere((o) => !/\w/.test(o.summary ?? ""))).toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it("documents the body a route takes by its own media type: vCards as text/vcard, not JSON", () => {
    const paths = document.paths as Record<string, Record<string, { requestBody?: { content?: object } }>>;
    const vcards = paths["/api/v1/contacts/vcards"]?.post?.requestBody?.content ?? {};
    expect(Object.keys(vcards)).toEqual(["text/vcard"]);
    const create = paths["/api/v1/contacts"]?.post?.requestBody?.content ?? {};
    expect(Object.keys(create)).toEqual(["application/json"]);
  });

  // Generated clients name their methods after these: renaming one breaks them.
  it.each([
    ["get", "/api/v1/contacts", "listContacts"],
    ["get", "/api/v1/contacts/count", "countContacts"],
    ["post", "/api/v1/contacts", "createContact"],
    ["get", "/api/v1/contacts/{id}", "getContact"],
    ["patch", "/api/v1/contacts/{id}", "updateContact"],
    ["delete", "/api/v1/contacts/{id}", "deleteContact"],
    ["post", "/api/v1/contacts/{id}/restore", "restoreContact"],
    ["post", "/api/v1/contacts/bulk", "bulkContacts"],
    ["get", "/api/v1/activities", "listActivities"],
    ["get", "/api/v1/activities/{id}", "getActivity"],
    ["post", "/api/v1/leads/{id}/convert", "convertLead"],
    ["get", "/api/v1/leads/{id}/status-history", "getLeadStatusHistory"],
    ["post", "/api/v1/tasks/{id}/complete", "completeTask"],
    ["post", "/api/v1/tasks/{id}/reopen", "reopenTask"],
    ["get", "/api/v1/views", "listSavedViews"],
    ["get", "/api/v1/users/count", "countUsers"],
    ["get", "/api/v1/dashboard", "getDashboard"],
  ])("names %s %s %s", (method, path, operationId) => {
    expect(document.paths[path]?.[method]?.operationId).toBe(operationId);
  });

  it("describes every response, and errors as problem+json of the Problem schema", () => {
    const operations = operationsOf(document);
    const withoutClientErrors = operations.filter(({ operation }) =>
      Object.keys(operation.responses).every((status) => !status.startsWith("4")),
    );
    expect(withoutClientErrors.map(({ route }) => route)).toEqual([]);
    for (const { route, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description, `${route} ${status}`).not.toMatch(/^(Default Response)?$/);
        if (Number(status) < 400) continue;
        expect(response.content, `${route} ${status}`).toEqual({
          "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
        });
      }
    }
  });
});

/** Uses the generated types as a client would; every line must type-check, and the wrong ones must not. */
const clientUsage = `
import type { components, operations, paths } from "./api";

type IsAny<T> = 0 extends 1 & T ? true : false;
type Expect<T extends true> = T;

type ListContacts = paths["/api/v1/contacts"]["get"];
type ContactPage = ListContacts["responses"][200]["content"]["application/json"];
type NewContact = paths["/api/v1/contacts"]["post"]["requestBody"]["content"]["application/json"];
type ConvertLead = operations["convertLead"];
type Problem = components["schemas"]["Problem"];

export type Checks = [
  Expect<IsAny<ContactPage> extends true ? false : true>,
  Expect<IsAny<ContactPage["data"][number]> extends true ? false : true>,
  Expect<ContactPage["nextCursor"] extends string | null ? true : false>,
  Expect<ConvertLead["responses"][422]["content"]["application/problem+json"] extends Problem ? true : false>,
];

export function firstNameOnPage(page: ContactPage): string | undefined {
  return page.data[0]?.firstName;
}

export const query: NonNullable<ListContacts["parameters"]["query"]> = { limit: 20, sort: "-createdAt" };
export const contact: NewContact = { firstName: "Ada", email: "ada@example.com" };
export const problem: Problem = { type: "/problems/rule-violation", title: "Rule violation", status: 422 };
export const conversion: ConvertLead["requestBody"]["content"]["application/json"] = { companyId: crypto.randomUUID() };

// @ts-expect-error -- a page has data and nextCursor, no items: the types are precise, not any
export const items: ContactPage["items"] = [];
// @ts-expect-error -- firstName is required to create a contact
export const nameless: NewContact = { lastName: "Lovelace" };
`;

const compilerOptions: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
  skipLibCheck: true,
};

describe("a client generated with openapi-typescript", () => {
  it("types paths and operations precisely enough to catch wrong calls", async () => {
    const directory = await mkdtemp(join(tmpdir(), "keel-openapi-client-"));
    try {
      const types = astToString(await openapiTS(JSON.parse(source) as OpenAPI3, { silent: true }));
      await writeFile(join(directory, "api.ts"), types);
      await writeFile(join(directory, "usage.ts"), clientUsage);
      const program = ts.createProgram([join(directory, "usage.ts")], compilerOptions);
      const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
        const line = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
        const where = `${diagnostic.file?.fileName.split("/").pop() ?? "?"}:${(line ?? -1) + 1}`;
        return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
      });
      expect(diagnostics).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

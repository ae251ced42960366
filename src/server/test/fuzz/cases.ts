import type { Random } from "../../modules/seed/seeded-random.ts";
import { hostileTexts, hostileUploads, RawBody } from "./bodies.ts";
import { exampleOf, validBody, validRawBody } from "./examples.ts";
import { fixtureOfPath, kindOfPath, type Fixtures } from "./fixtures.ts";
import {
  filterOperators,
  hostileBodies,
  hostileHeaders,
  hostileKeys,
  hostilePathIds,
  hostileQueryValues,
  hostileValues,
  hostileWorkspaceHeaders,
  linkKinds,
  prototypeQueries,
  withKey,
  type Hostile,
} from "./hostile.ts";
import { jsonText, resolveValue } from "./json.ts";
import { dotted, fieldsOf, schemaAt, type FieldPath, type OpenApiDocument, type Operation } from "./openapi.ts";

/** One request to send: built when it is sent, from the fixtures of that moment. */
export type Case = {
  operation: Operation;
  /** What is hostile in it, for the failure message: `body.name: NUL inside`. */
  label: string;
  /** Cases of a group attack the same input; sampling takes from every group in turn. */
  group: string;
  /** The field a 400 answer must name in `errors`, when one field is to blame. */
  field: string | null;
  /**
   * A field the fixtures can never make valid (a single-use token, a one-time code): a 400 naming
   * it is right too, whatever else the case changed.
   */
  neverValid: string | null;
  /** A valid request, which must succeed (else the mutations test something else). */
  expectSuccess: boolean;
  /** Sent in every run; the others are sampled up to the budget. */
  core: boolean;
  render: (fx: Fixtures) => { url: string; body?: string | Buffer; headers?: Record<string, string> };
};

/** The path id of a resource without fixtures (`/me/sessions/{id}`): well-formed, matching nothing. */
const unknownId = "01900000-0000-7000-8000-000000000000";

type Parts = { id?: unknown; query?: string; body?: (fx: Fixtures) => unknown; headers?: Record<string, unknown> };

/** Every case the fuzzer knows for one operation, before sampling. */
export function casesOf(operation: Operation, doc: OpenApiDocument): Case[] {
  const kind = fixtureOfPath(operation.path);
  const base = (fx: Fixtures) => validBody(operation, fx);
  const raw = operation.bodyType?.kind === "text" || operation.bodyType?.kind === "multipart";
  const neverValid = /\/invitations\/(inspect|accept)$/.test(operation.path)
    ? "token"
    : /\/(auth\/two-factor|two-factor\/(enable|disable|backup-codes))$/.test(operation.path)
      ? "code"
      : null;
  const make = (
    group: string,
    label: string,
    field: string | null,
    parts: Parts,
    options: { core?: boolean | undefined; expectSuccess?: boolean } = {},
  ): Case => ({
    operation,
    label,
    group: `${operation.method} ${operation.path} ${group}`,
    field,
    neverValid,
    expectSuccess: options.expectSuccess ?? false,
    core: options.core ?? false,
    render: (fx) => {
      const hostileId = parts.id === undefined ? undefined : String(resolveValue(parts.id, fx));
      const path = operation.path
        .replace("{id}", hostileId ?? (kind ? fx.ids[kind] : unknownId))
        .replace("{workspaceSlug}", hostileId ?? fx.workspaceSlug);
      const body = parts.body ?? (operation.body ? base : raw ? () => validRawBody(operation) : undefined);
      const value = body?.(fx);
      const headers = {
        ...(value instanceof RawBody ? { "content-type": value.contentType } : {}),
        ...(parts.headers ? (resolveValue(parts.headers, fx) as Record<string, string>) : {}),
      };
      return {
        url: parts.query ? `${path}?${parts.query}` : path,
        ...(body ? { body: value instanceof RawBody ? value.bytes : jsonText(value, fx) } : {}),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
      };
    },
  });

  const cases: Case[] = [];
  const { method } = operation;
  // A retry needs a failed job, which the fixtures do not make: jobs.routes.test.ts retries one.
  // Single-use tokens (verify-email, reset-password, invitations, a single sign-on's state) and
  // one-time codes (two-factor) have no valid value the fixtures could hold; the fuzzed
  // workspace's single sign-on is off, so nothing can start.
  const consumesRecord =
    method === "DELETE" ||
    /\/(restore|complete|reopen|sign-out|verify-email|reset-password)$/.test(operation.path) ||
    /\/jobs\/\{id\}\/retry$/.test(operation.path) ||
    // An export's file exists once a worker wrote it (exports.files.routes.test.ts downloads one).
    /\/exports\/\{id\}\/download$/.test(operation.path) ||
    /\/(auth\/two-factor|two-factor\/(enable|disable|backup-codes)|invitations\/(inspect|accept))$/.test(
      operation.path,
    ) ||
    /\/auth\/oidc\/\{workspaceSlug\}\//.test(operation.path);
  if (!consumesRecord) cases.push(make("valid", "valid request", null, {}, { core: true, expectSuccess: true }));

  for (const param of operation.pathParams) {
    for (const hostile of hostilePathIds(kind)) {
      const label = `path ${param.name}: ${hostile.label}`;
      const field = hostile.wholeUrl ? null : param.name;
      cases.push(make(`path:${param.name}`, label, field, { id: hostile.value }, { core: hostile.core }));
    }
  }

  const query = (group: string, key: string, field: string, hostile: Hostile, core = hostile.core) =>
    make(group, `query ${key}: ${hostile.label}`, field, { query: `${key}=${String(hostile.value)}` }, { core });
  for (const param of operation.queryParams) {
    for (const hostile of hostileQueryValues) cases.push(query(`query:${param.name}`, param.name, param.name, hostile));
    for (const key of [`${param.name}[]`, `${param.name}[__proto__]`, `${param.name}[constructor]`]) {
      cases.push(query(`query:${param.name}`, key, key, { label: "bracket form", value: "1", core: true }));
    }
  }
  const isList = operation.queryParams.some((param) => param.name === "limit");
  if (operation.queryParams.some((param) => param.name === "q")) {
    for (const { label, query: text, field } of prototypeQueries) {
      cases.push(make("query:prototype", `query ${label}`, field, { query: text }, { core: true }));
    }
    for (const name of operation.filterFields) {
      for (const hostile of hostileQueryValues) {
        // Counts share the list's filter engine: their filters are only sampled.
        const key = `filter[${name}]`;
        cases.push(query(`query:filter[${name}]`, key, key, hostile, isList && hostile.core));
        for (const op of filterOperators) {
          const key = `filter[${name}][${op}]`;
          const core = isList && op === "constructor" && hostile.label === "constructor";
          cases.push(query(`query:filter[${name}]`, key, key, hostile, core));
        }
      }
    }
  }

  if (operation.body) {
    const bodySchema = operation.body;
    for (const hostile of hostileBodies()) {
      cases.push(make("body:whole", hostile.label, null, { body: () => hostile.value }, { core: true }));
    }
    for (const key of hostileKeys) {
      const name = String(key.value);
      const value = name === "__proto__" ? { polluted: true } : 1;
      const body = (fx: Fixtures) => withKey({ ...base(fx) }, name, value);
      cases.push(make("body:keys", `${key.label} added`, name, { body }, { core: true }));
    }
    for (const field of fieldsOf(bodySchema, doc)) {
      const name = dotted(field.path);
      const lastKey = lastKeyOf(field.path);
      const linkKind = linkKinds[lastKey] ?? (lastKey === "ids" ? kindOfPath(operation.path) : null);
      for (const hostile of hostileValues(field.schema, linkKind)) {
        const example = (fx: Fixtures) => (path: FieldPath) =>
          exampleOf(schemaAt(bodySchema, path, doc), lastKeyOf(path), operation, fx);
        const body = (fx: Fixtures) => mutateAt(base(fx), field.path, hostile.value, example(fx));
        cases.push(make(`body:${name}`, `body ${name}: ${hostile.label}`, name, { body }, { core: hostile.core }));
      }
    }
  } else if (raw) {
    for (const hostile of operation.bodyType?.kind === "text" ? hostileTexts() : hostileUploads()) {
      const body = () => hostile.value;
      cases.push(make("body:raw", hostile.label, hostile.field, { body }, { core: hostile.core }));
    }
  } else if (method !== "GET") {
    for (const hostile of hostileBodies().filter((body) => /nested|JSON|surrogate/.test(body.label))) {
      cases.push(make("body:whole", hostile.label, null, { body: () => hostile.value }, { core: true }));
    }
    const poisoned = () => withKey({}, "__proto__", { a: 1 });
    cases.push(make("body:keys", "{__proto__} body", null, { body: poisoned }, { core: true }));
  }

  for (const header of operation.headerParams) {
    for (const hostile of hostileHeaders[header.name] ?? []) {
      const headers = { [header.name]: hostile.value };
      cases.push(make(`header:${header.name}`, `${header.name}: ${hostile.label}`, header.name, { headers }, hostile));
    }
  }
  if (operation.needsSession) {
    for (const hostile of hostileWorkspaceHeaders) {
      const headers = { "x-workspace-id": hostile.value };
      cases.push(make("header:x-workspace-id", `X-Workspace-Id: ${hostile.label}`, "x-workspace-id", { headers }));
    }
  }
  return cases;
}

/**
 * A copy of `base` with `value` at `path`; containers missing on the way are created valid
 * (`example` answers a valid value for a path), so only the last step is hostile.
 */
export function mutateAt(
  base: unknown,
  path: FieldPath,
  value: unknown,
  example: (path: FieldPath) => unknown,
): unknown {
  const root = structuredClone(base) as Record<string | number, unknown>;
  let container: Record<string | number, unknown> = root;
  path.forEach((segment, index) => {
    if (index === path.length - 1) {
      if (typeof segment === "number" && Array.isArray(container)) container[segment] = value;
      else withKey(container as Record<string, unknown>, String(segment), value);
      return;
    }
    let next = container[segment];
    if (next === undefined || next === null) next = example(path.slice(0, index + 1));
    if (Array.isArray(next) && next.length === 0) next = [example([...path.slice(0, index + 1), 0])];
    container[segment] = next;
    container = next as Record<string | number, unknown>;
  });
  return root;
}

/** The last property name of a path: `stages.0` → stages (it picks an example and a linked record). */
const lastKeyOf = (path: FieldPath) => String([...path].reverse().find((segment) => typeof segment === "string") ?? "");

/**
 * Picks the cases to send: every core case, then one other case of each group in turn (each
 * group in a seeded random order) until `budget` cases are picked, so that every input is attacked
 * before any is attacked twice. Answers them in the order they were given.
 */
export function sample(cases: Case[], budget: number, random: Random): Case[] {
  const picked = new Set(cases.filter((item) => item.core));
  const groups = new Map<string, Case[]>();
  for (const item of cases) {
    if (item.core) continue;
    const group = groups.get(item.group) ?? [];
    group.push(item);
    groups.set(item.group, group);
  }
  const queues = [...groups.values()].map((items) => random.shuffle(items));
  while (picked.size < budget && queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next && picked.size < budget) picked.add(next);
    }
  }
  return cases.filter((item) => picked.has(item));
}

import type { Fixtures, RecordKind } from "./fixtures.ts";
import type { JsonSchema } from "./openapi.ts";

/** JSON text spliced in where a value goes: nesting too deep to build as objects, or broken JSON. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A value read from the fixtures when the case is sent (a renewed fixture has a new id). */
export class FromFixtures {
  constructor(readonly pick: (fixtures: Fixtures) => unknown) {}
}

/** A hostile value; `core` ones are sent first, so even a small run sends them to every input. */
export type Hostile = { label: string; value: unknown; core?: boolean; wholeUrl?: boolean };

/** `{ [key]: value }` as an own property, even for `__proto__` (an assignment would set the prototype). */
export function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

export const nesting = 5_000;
const deepArray = new RawJson("[".repeat(nesting) + "]".repeat(nesting));
const deepObject = new RawJson('{"a":'.repeat(nesting) + "1" + "}".repeat(nesting));
const hundredKb = "a".repeat(100_000);

/** Bad strings, whatever the field: they reach any text column that has no limit. */
const strings: Hostile[] = [
  { core: true, label: "NUL inside", value: "a\u0000b" },
  { label: "only NUL", value: "\u0000" },
  { label: "control characters", value: "\u0001\u0008\u000b\u001b\u007f\u0085" },
  { core: true, label: "lone high surrogate", value: "\ud800" },
  { label: "lone low surrogate inside", value: "x\udc00y" },
  { core: true, label: "100 kB string", value: hundredKb },
  { label: "100 kB of 4-byte characters", value: "\u{1f600}".repeat(25_000) },
  { label: "empty string", value: "" },
  { label: "whitespace only", value: " \t\n " },
  { label: "zero-width and bidi characters", value: "\u200b\u202e\ufeff" },
  { label: '"constructor"', value: "constructor" },
  { label: '"__proto__"', value: "__proto__" },
  { label: '"toString"', value: "toString" },
  { label: '"hasOwnProperty"', value: "hasOwnProperty" },
];

const wrongTypes: Hostile[] = [
  { label: "null", value: null },
  { label: "number", value: 42 },
  { label: "boolean", value: true },
  { label: "empty array", value: [] },
  { label: "array of a string", value: ["x"] },
  { label: "empty object", value: {} },
  { label: "object", value: { a: 1 } },
  { label: "numeric string", value: "42" },
  { label: '"NaN" as string', value: "NaN" },
];

const prototypeObjects = (): Hostile[] => [
  { label: "{__proto__}", value: withKey({}, "__proto__", { polluted: true }) },
  { label: "{constructor: {prototype}}", value: { constructor: { prototype: { polluted: true } } } },
  { label: "{constructor: 1}", value: withKey({}, "constructor", 1) },
  { label: "{toString: 1}", value: withKey({}, "toString", 1) },
  { label: "{hasOwnProperty: 1}", value: withKey({}, "hasOwnProperty", 1) },
];

const deep: Hostile[] = [
  { label: `${nesting} nested arrays`, value: deepArray },
  { core: true, label: `${nesting} nested objects`, value: deepObject },
];

const numbers = (schema: JsonSchema): Hostile[] => [
  { label: "1e308", value: 1e308 },
  { label: "-1e308", value: -1e308 },
  { label: "-1", value: -1 },
  { core: true, label: "2^31", value: 2 ** 31 },
  { label: "-2^31 - 1", value: -(2 ** 31) - 1 },
  { label: "2^53 + 1", value: 2 ** 53 + 1 },
  { label: "1.5", value: 1.5 },
  { label: "1e-9", value: 1e-9 },
  ...(schema.maximum !== undefined ? [{ core: true, label: "maximum + 1", value: schema.maximum + 1 }] : []),
  ...(schema.minimum !== undefined ? [{ label: "minimum - 1", value: schema.minimum - 1 }] : []),
];

const dateTimes: Hostile[] = [
  { core: true, label: "year 0", value: "0000-01-01T00:00:00Z" },
  { label: "year 9999, nanoseconds", value: "9999-12-31T23:59:59.999999999Z" },
  { label: "year 275760", value: "+275760-09-13T00:00:00Z" },
  { label: "offset +23:59", value: "9999-12-31T23:59:59+23:59" },
  { label: "February 30", value: "2024-02-30T00:00:00Z" },
];
const dates: Hostile[] = [
  { core: true, label: "year 0", value: "0000-01-01" },
  { label: "year 9999", value: "9999-12-31" },
  { label: "February 30", value: "2024-02-30" },
  { label: "year 10000", value: "10000-01-01" },
];
const decimals: Hostile[] = [
  { core: true, label: "14 integer digits", value: "99999999999999.99" },
  { label: "12 integer digits", value: "999999999999.99" },
  { label: "negative zero", value: "-0.00" },
  { label: "three decimals", value: "0.001" },
  { label: "exponent", value: "1e5" },
];
const emails: Hostile[] = [
  { core: true, label: "300-character e-mail", value: `${"a".repeat(300)}@example.com` },
  { label: "e-mail with NUL", value: "a\u0000b@example.com" },
  { label: "64-character labels", value: `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.com` },
];

/** Ids that name no record of this workspace, or name one in a way the API should still refuse or find. */
const ids = (kind: RecordKind | "users" | "workspaces" | "stage" | null): Hostile[] => [
  { label: "not-a-uuid", value: "not-a-uuid" },
  { label: "250 characters", value: "0".repeat(250) },
  { label: "nil UUID", value: "00000000-0000-0000-0000-000000000000" },
  { label: "max UUID", value: "ffffffff-ffff-ffff-ffff-ffffffffffff" },
  ...(kind && kind !== "stage"
    ? [
        { core: true, label: `${kind} id of another workspace`, value: new FromFixtures((fx) => fx.foreign[kind]) },
        { label: `own ${kind} id in upper case`, value: new FromFixtures((fx) => idOf(fx, kind).toUpperCase()) },
      ]
    : []),
  { label: "stage id of another pipeline", value: new FromFixtures((fx) => fx.stageId) },
  { label: "id of a record of another type", value: new FromFixtures((fx) => fx.ids.activities) },
];

const idOf = (fx: Fixtures, kind: RecordKind | "users" | "workspaces") =>
  kind === "workspaces" ? fx.workspaceId : fx.ids[kind];

/** The kinds of record a body field names, by field name. */
export const linkKinds: Record<string, RecordKind | "users" | "workspaces" | "stage"> = {
  companyId: "companies",
  contactId: "contacts",
  contactIds: "contacts",
  leadId: "leads",
  dealId: "deals",
  pipelineId: "pipelines",
  stageId: "stage",
  ownerId: "users",
  assigneeId: "users",
  userId: "users",
  workspaceId: "workspaces",
  dependsOn: "tasks",
};

/** Hostile values for one body field: everything wrong, plus what is wrong for its type and format. */
export function hostileValues(
  schema: JsonSchema,
  kind: RecordKind | "users" | "workspaces" | "stage" | null,
): Hostile[] {
  const specific: Hostile[] = [];
  if (schema.type === "integer" || schema.type === "number") specific.push(...numbers(schema));
  if (schema.format === "uuid") specific.push(...ids(kind));
  if (schema.format === "date-time") specific.push(...dateTimes);
  if (schema.format === "date") specific.push(...dates);
  if (schema.format === "email") specific.push(...emails);
  if (schema.pattern?.includes("\\d{1,12}")) specific.push(...decimals);
  if (schema.enum) {
    const first = String(schema.enum[0]);
    specific.push({ label: "enum value in upper case", value: first.toUpperCase() });
    specific.push({ label: "enum value with NUL", value: `${first}\u0000` });
  }
  if (schema.type === "array")
    specific.push({ core: true, label: "100,000 items", value: Array.from({ length: 100_000 }, () => 1) });
  // Enum values are looked up in tables somewhere: a prototype name must not be found there.
  const texts = schema.enum
    ? strings.map((item) => (/^"(constructor|__proto__)"$/.test(item.label) ? { ...item, core: true } : item))
    : strings;
  return [...texts, ...wrongTypes, ...prototypeObjects(), ...deep, ...specific];
}

/** Whole bodies that are no valid request of any operation. */
export const hostileBodies = (): Hostile[] => [
  { label: "body null", value: null },
  { label: "body array", value: [] },
  { label: "body string", value: "body" },
  { label: "body number", value: 1e308 },
  { label: `body of ${nesting} nested arrays`, value: deepArray },
  { label: `body of ${nesting} nested objects`, value: deepObject },
  { label: "body not JSON", value: new RawJson('{"a":') },
  { label: "body with a lone surrogate escape", value: new RawJson('{"\\ud800":"\\udfff"}') },
];

/** Keys added to a valid body: each must be refused, by name. */
export const hostileKeys: Hostile[] = [
  { label: "unknown field", value: "unknownField" },
  { label: "__proto__ key", value: "__proto__" },
  { label: "constructor key", value: "constructor" },
  { label: "toString key", value: "toString" },
  { label: "hasOwnProperty key", value: "hasOwnProperty" },
  { label: "key with NUL", value: "a\u0000b" },
  { label: "100 kB key", value: hundredKb },
];

/** Query values, already URL-encoded. */
export const hostileQueryValues: Hostile[] = [
  { label: "NUL", value: "%00" },
  { core: true, label: "NUL inside", value: "a%00b" },
  { label: "control characters", value: "%01%08%1B%7F%C2%85" },
  { core: true, label: "UTF-8 of a lone surrogate", value: "%ED%A0%80" },
  { label: "truncated UTF-8", value: "%F0%9F" },
  { label: "bad percent escape", value: "%zz" },
  { core: true, label: "100 kB", value: hundredKb },
  { label: "empty", value: "" },
  { label: "whitespace only", value: "%20%09%0A" },
  { core: true, label: "constructor", value: "constructor" },
  { label: "__proto__", value: "__proto__" },
  { label: "toString", value: "toString" },
  { label: "hasOwnProperty", value: "hasOwnProperty" },
  { label: "1e308", value: "1e308" },
  { label: "-1", value: "-1" },
  { label: "2^53 + 1", value: "9007199254740993" },
  { core: true, label: "10 digits over int4", value: "9999999999" },
  { label: "NaN", value: "NaN" },
  { label: "Infinity", value: "Infinity" },
  { label: "1.5", value: "1.5" },
  { label: "true", value: "true" },
  { label: "null", value: "null" },
  { core: true, label: "year 0", value: "0000-01-01" },
  { label: "February 30", value: "2024-02-30" },
  { label: "14 integer digits", value: "99999999999999.99" },
  { label: "101 values", value: Array.from({ length: 101 }, (_, i) => i).join(",") },
  { label: "commas only", value: ",,," },
  { label: "me", value: "me" },
  { label: "now", value: "now" },
  { label: "path traversal", value: "..%2F..%2Fetc" },
];

/** Path ids, raw URL segments. */
export const hostilePathIds = (kind: RecordKind | "users" | null): Hostile[] => [
  { core: true, label: "not-a-uuid", value: "not-a-uuid" },
  { core: true, label: "250 characters", value: "0".repeat(250) },
  { core: true, label: "%00", value: "%00" },
  { core: true, label: "..%2f", value: "..%2f" },
  { label: "..%2f..%2fopenapi.json", value: "..%2f..%2fopenapi.json" },
  // The router refuses these URLs before it knows the path's parameters: no field to name.
  { label: "UTF-8 of a lone surrogate", value: "%ED%A0%80", wholeUrl: true },
  { label: "bad percent escape", value: "%zz", wholeUrl: true },
  { label: "constructor", value: "constructor" },
  { label: "__proto__", value: "__proto__" },
  { label: "nil UUID", value: "00000000-0000-0000-0000-000000000000" },
  { label: "max UUID", value: "ffffffff-ffff-ffff-ffff-ffffffffffff" },
  { label: "UUID with NUL", value: new FromFixtures((fx) => `${kind ? fx.ids[kind] : fx.ids.companies}%00`) },
  ...(kind
    ? [
        { core: true, label: `${kind} id of another workspace`, value: new FromFixtures((fx) => fx.foreign[kind]) },
        { label: `own ${kind} id in upper case`, value: new FromFixtures((fx) => fx.ids[kind].toUpperCase()) },
        {
          label: "id of a record of another type",
          value: new FromFixtures((fx) => (kind === "activities" ? fx.ids.tasks : fx.ids.activities)),
        },
      ]
    : []),
];

/** Header values, by header (HTTP forbids NUL and line breaks in them, so those are not tried). */
export const hostileHeaders: Record<string, Hostile[]> = {
  "if-match": [
    { core: true, label: "*", value: "*" },
    { label: "negative version", value: '"-1"' },
    { label: "version over 2^53", value: '"99999999999999999999"' },
    { label: "1e308", value: '"1e308"' },
    { label: "weak tag", value: 'W/"1"' },
    { label: '"constructor"', value: '"constructor"' },
    { label: "two tags", value: '"1", "2"' },
    { label: "10 kB", value: `"${"1".repeat(10_000)}"` },
  ],
  "idempotency-key": [
    { core: true, label: "10 kB", value: "k".repeat(10_000) },
    { label: "empty", value: "" },
    { label: "spaces", value: "a b" },
    { label: "non-ASCII", value: "schl\u00fcssel" },
    { label: "__proto__", value: "__proto__" },
  ],
};

/** Workspaces a member cannot act in. */
export const hostileWorkspaceHeaders: Hostile[] = [
  { label: "another workspace", value: new FromFixtures((fx) => fx.foreign.workspaces) },
  { label: "not-a-uuid", value: "not-a-uuid" },
  { label: "constructor", value: "constructor" },
  { label: "nil UUID", value: "00000000-0000-0000-0000-000000000000" },
];

/** Query parameters that name prototype properties, for list endpoints; `field` is what a 400 should name. */
export const prototypeQueries: { label: string; query: string; field: string }[] = [
  { label: "filter[constructor]", query: "filter[constructor]=x", field: "filter[constructor]" },
  { label: "filter[toString]", query: "filter[toString]=1", field: "filter[toString]" },
  { label: "filter[hasOwnProperty]", query: "filter[hasOwnProperty]=1", field: "filter[hasOwnProperty]" },
  { label: "filter[__proto__]", query: "filter[__proto__]=1", field: "filter[__proto__]" },
  { label: "filter[__proto__][eq]", query: "filter[__proto__][eq]=1", field: "filter[__proto__][eq]" },
  { label: "filter[valueOf][eq]", query: "filter[valueOf][eq]=1", field: "filter[valueOf][eq]" },
  { label: "sort=constructor", query: "sort=constructor", field: "sort" },
  { label: "sort=-__proto__", query: "sort=-__proto__", field: "sort" },
  { label: "sort=toString,valueOf", query: "sort=toString,valueOf", field: "sort" },
  { label: "include=toString", query: "include=toString", field: "include" },
  { label: "include=__proto__", query: "include=__proto__", field: "include" },
  { label: "include=constructor,hasOwnProperty", query: "include=constructor,hasOwnProperty", field: "include" },
  { label: "__proto__[polluted]", query: "__proto__[polluted]=1", field: "__proto__[polluted]" },
  { label: "constructor[prototype][polluted]", query: "constructor[prototype][polluted]=1", field: "constructor" },
  { label: "unknown parameter", query: "unknownParam=1", field: "unknownParam" },
  { label: "limit twice", query: "limit=1&limit=2", field: "limit" },
  { label: "q twice", query: "q=a&q=b", field: "q" },
];

/** For a `filter[field]` of a list: the operators to try, including prototype names. */
export const filterOperators = [
  "eq",
  "ne",
  "in",
  "gt",
  "gte",
  "lt",
  "lte",
  "contains",
  "empty",
  "constructor",
  "__proto__",
  "toString",
];

import { testPassword } from "../create-test-app.ts";
import { importUpload, RawBody, vcardOf } from "./bodies.ts";
import { fuzzSsoIssuer, fuzzWebhookUrl, kindOfPath, nextNumber, uniqueName, type Fixtures } from "./fixtures.ts";
import { linkKinds } from "./hostile.ts";
import type { JsonSchema, Operation } from "./openapi.ts";

/**
 * Valid request bodies, so that a case that mutates one field is refused (or not) for that field
 * and not for a missing one. Generated from the schema (required properties only) with real ids
 * of the fixtures, then completed by hand where a rule spans fields.
 */

/** Values for string patterns: the first one a pattern accepts is used (phone numbers are unique). */
const patternCandidates: (() => string)[] = [
  () => "1250.00",
  () => "EUR",
  () => "example.com",
  () => "name",
  () => `+4930${String(nextNumber()).padStart(8, "0")}`,
];

/** A valid value for a schema; `key` is the property name (it picks the record an id names). */
export function exampleOf(schema: JsonSchema, key: string, operation: Operation, fx: Fixtures): unknown {
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "object": {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        value[name] = exampleOf(schema.properties?.[name] ?? {}, name, operation, fx);
      }
      return { ...value, ...itemCompletions[key]?.() };
    }
    case "array": {
      if (!schema.minItems) return [];
      return [exampleOf(schema.items ?? {}, key, operation, fx)];
    }
    case "integer":
    case "number":
      return Math.min(Math.max(1, schema.minimum ?? 1), schema.maximum ?? 1);
    case "boolean":
      return false;
    case "string":
      return exampleString(schema, key, operation, fx);
    default:
      return schema.nullable ? null : "x";
  }
}

function exampleString(schema: JsonSchema, key: string, operation: Operation, fx: Fixtures): string {
  if (schema.format === "uuid") return idFor(key, operation, fx);
  if (schema.format === "date-time") return "2030-06-01T10:00:00Z";
  if (schema.format === "date") return "2030-06-30";
  if (schema.format === "email") return `fuzz-${nextNumber()}@example.com`;
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    for (const candidate of patternCandidates) {
      const value = candidate();
      if (pattern.test(value)) return value;
    }
  }
  if (schema.default !== undefined) return String(schema.default);
  return uniqueName("Fuzz").slice(0, schema.maxLength ?? 100);
}

/** A real id for an id field: the record the field links to, or the record the path names. */
function idFor(key: string, operation: Operation, fx: Fixtures): string {
  const kind = linkKinds[key];
  if (kind === "stage") return fx.stageId;
  if (kind === "workspaces") return fx.workspaceId;
  if (kind) return fx.ids[kind];
  const own = kindOfPath(operation.path);
  if (key === "id" && own === "pipelines") return fx.stageId;
  return own ? fx.ids[own] : fx.ids.companies;
}

/** Hand-made parts of valid array items, by the array's name (saved views filter contacts). */
const itemCompletions: Record<string, () => Record<string, unknown>> = {
  filters: () => ({ field: "lastName", op: "eq", value: "Fuzz" }),
  stages: () => ({ name: uniqueName("Stage") }),
};

const strongPassword = "lantern-orbit-meadow-74";

/** Hand-made parts of valid bodies, by operation, where a rule spans several fields. */
const completions: Record<string, (fx: Fixtures) => Record<string, unknown>> = {
  // A type must be one of the workspace's (its settings), which the schema's key pattern cannot say.
  "POST /api/v1/activities": (fx) => ({ contactId: fx.ids.contacts, type: "note" }),
  // An estimated value needs a currency.
  "POST /api/v1/leads": () => ({ currency: "EUR" }),
  "POST /api/v1/auth/sign-in": (fx) => ({ email: fx.email, password: testPassword }),
  "POST /api/v1/me/workspace": (fx) => ({ workspaceId: fx.workspaceId }),
  // New passwords must pass the strength check; changing the admin's to itself changes nothing.
  "POST /api/v1/auth/sign-up": () => ({ password: strongPassword }),
  "POST /api/v1/auth/reset-password": () => ({ password: strongPassword }),
  "POST /api/v1/me/password": () => ({ currentPassword: testPassword, newPassword: testPassword }),
  // Off (enabled: false from the schema's example): saving never calls the provider.
  "PUT /api/v1/sso": () => ({ issuer: fuzzSsoIssuer, clientSecret: "fuzz-secret" }),
  "POST /api/v1/webhooks": () => ({ url: fuzzWebhookUrl, events: ["webhook.test"] }),
  // A spare record merged into the fixture of its kind (the spare is renewed after).
  "POST /api/v1/contacts/merge": (fx) => ({ survivorId: fx.ids.contacts, mergedIds: [fx.ids["spare-contacts"]] }),
  "POST /api/v1/companies/merge": (fx) => ({ survivorId: fx.ids.companies, mergedIds: [fx.ids["spare-companies"]] }),
};

/** The valid body of an operation whose body is not JSON: a vCard, or an import's upload. */
export function validRawBody(operation: Operation): RawBody {
  const type = operation.bodyType;
  if (type?.kind === "text") return new RawBody(vcardOf(uniqueName("vcard")), type.contentType);
  return importUpload();
}

/** A valid body for an operation, or undefined for an operation without one. */
export function validBody(operation: Operation, fx: Fixtures): Record<string, unknown> | undefined {
  if (!operation.body) return undefined;
  const body = exampleOf(operation.body, "", operation, fx) as Record<string, unknown>;
  const action = operation.body.properties?.action;
  if (action?.enum) {
    // Bulk: assign where the records have an owner, else delete (the fixture is renewed after), of
    // the path's fixture.
    const canAssign = action.enum.includes("assign");
    Object.assign(body, canAssign ? { action: "assign", ownerId: fx.userId } : { action: "delete" });
    const kind = kindOfPath(operation.path);
    if (operation.body.properties?.ids && kind && kind !== "users") body.ids = [fx.ids[kind]];
  }
  return { ...body, ...completions[`${operation.method} ${operation.path}`]?.(fx) };
}

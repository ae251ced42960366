/** The parts of the OpenAPI 3.0 document (generated from the Zod route schemas) that the fuzzer reads. */

export type JsonSchema = {
  type?: string;
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
};

type Parameter = { name: string; in: "path" | "query" | "header" | "cookie"; required?: boolean; schema?: JsonSchema };
type DocumentOperation = {
  tags?: string[];
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};
export type OpenApiDocument = {
  paths: Record<string, Record<string, DocumentOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export type BodyType = { kind: "json" } | { kind: "text"; contentType: string } | { kind: "multipart" };

/**
 * Bodies the document does not describe as they are sent: the vCard import's plain string is
 * listed under application/json, and the import upload (read part by part) has no requestBody.
 */
const undocumentedBodies: Record<string, BodyType> = {
  "POST /api/v1/contacts/vcards": { kind: "text", contentType: "text/vcard" },
  "POST /api/v1/imports": { kind: "multipart" },
};

/** The body type of an operation: from its requestBody's first content type, else the table above. */
function bodyTypeOf(key: string, entry: DocumentOperation): BodyType | null {
  const undocumented = undocumentedBodies[key];
  if (undocumented) return undocumented;
  const contentType = Object.keys(entry.requestBody?.content ?? {})[0];
  if (!contentType) return null;
  if (contentType === "application/json") return { kind: "json" };
  if (contentType === "multipart/form-data") return { kind: "multipart" };
  return { kind: "text", contentType };
}

/** One operation, with its inputs resolved to plain JSON schemas. */
export type Operation = {
  method: Method;
  /** The OpenAPI path, `/api/v1/companies/{id}`. */
  path: string;
  tag: string;
  /** False for sign-in and the sign-in options (no session needed). */
  needsSession: boolean;
  pathParams: { name: string; schema: JsonSchema }[];
  queryParams: { name: string; schema: JsonSchema }[];
  headerParams: { name: string; schema: JsonSchema }[];
  /** The JSON body's schema; null without one, or when the body is not JSON (`bodyType`). */
  body: JsonSchema | null;
  /** What the body is: JSON, a text of its own media type, or a multipart/form-data upload. */
  bodyType: BodyType | null;
  /** From the list description: `filter[field]` names, sortable fields, include names. */
  filterFields: string[];
  sortFields: string[];
  includes: string[];
};

/** Follows `$ref`, merges `allOf`, and turns `anyOf`/`oneOf` with a null branch into `nullable`. */
export function resolveSchema(schema: JsonSchema | undefined, doc: OpenApiDocument): JsonSchema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    return resolveSchema(doc.components?.schemas?.[name], doc);
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    return allOf.reduce<JsonSchema>((merged, part) => {
      const resolved = resolveSchema(part, doc);
      return {
        ...merged,
        ...resolved,
        properties: { ...merged.properties, ...resolved.properties },
        required: [...(merged.required ?? []), ...(resolved.required ?? [])],
      };
    }, rest);
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const nonNull = branches.filter((branch) => branch.type !== "null");
    const rest = { ...schema };
    delete rest.anyOf;
    delete rest.oneOf;
    return {
      ...rest,
      ...resolveSchema(nonNull[0], doc),
      nullable: schema.nullable || nonNull.length < branches.length,
    };
  }
  return schema;
}

const methods: Method[] = ["GET", "POST", "PATCH", "PUT", "DELETE"];

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, entries] of Object.entries(doc.paths)) {
    for (const method of methods) {
      const entry = entries[method.toLowerCase()];
      if (!entry) continue;
      const parameters = entry.parameters ?? [];
      const inputs = (where: Parameter["in"]) =>
        parameters
          .filter((parameter) => parameter.in === where)
          .map((parameter) => ({ name: parameter.name, schema: resolveSchema(parameter.schema, doc) }));
      const bodyType = bodyTypeOf(`${method} ${path}`, entry);
      const bodySchema =
        bodyType?.kind === "json" ? entry.requestBody?.content?.["application/json"]?.schema : undefined;
      const description = entry.description ?? "";
      operations.push({
        method,
        path,
        tag: entry.tags?.[0] ?? "Other",
        needsSession: !(Array.isArray(entry.security) && entry.security.length === 0) && !path.endsWith("/sign-in"),
        pathParams: inputs("path"),
        queryParams: inputs("query"),
        headerParams: inputs("header"),
        body: bodySchema ? resolveSchema(bodySchema, doc) : null,
        bodyType,
        filterFields: [...description.matchAll(/filter\[(\w+)\]/g)].map((match) => match[1] ?? ""),
        sortFields: listAfter(description, "Sortable:"),
        includes: listAfter(description, "Includes:"),
      });
    }
  }
  return operations;
}

/** `Sortable: a, b.` → ["a", "b"]. */
function listAfter(description: string, label: string): string[] {
  const match = new RegExp(`${label} ([^.]*)\\.`).exec(description);
  return match?.[1] ? match[1].split(",").map((name) => name.trim()) : [];
}

export type FieldPath = (string | number)[];

/** A body field: where it is (array items as index 0) and its schema. */
export type Field = { path: FieldPath; schema: JsonSchema };

/** Every field of a body schema, nested objects and array items included, parents before children. */
export function fieldsOf(schema: JsonSchema, doc: OpenApiDocument, path: FieldPath = [], depth = 0): Field[] {
  if (depth > 6) return [];
  const fields: Field[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const resolved = resolveSchema(child, doc);
    fields.push({ path: [...path, name], schema: resolved }, ...fieldsOf(resolved, doc, [...path, name], depth + 1));
  }
  if (schema.items) {
    const item = resolveSchema(schema.items, doc);
    fields.push({ path: [...path, 0], schema: item }, ...fieldsOf(item, doc, [...path, 0], depth + 1));
  }
  return fields;
}

/** The schema at a path inside a body schema (array items at any index). */
export function schemaAt(schema: JsonSchema, path: FieldPath, doc: OpenApiDocument): JsonSchema {
  let current = schema;
  for (const segment of path) {
    current = resolveSchema(typeof segment === "number" ? current.items : current.properties?.[segment], doc);
  }
  return current;
}

/** `address.city`, `stages.0.name`: the dotted form the API's `errors[].path` uses. */
export const dotted = (path: FieldPath) => path.join(".");

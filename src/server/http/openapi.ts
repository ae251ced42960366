import { isDeepStrictEqual } from "node:util";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import { z } from "zod";
import { ProblemSchema } from "../../shared/schemas/problem.ts";

type Response = { description?: string; content?: Record<string, { schema?: unknown }> };
type Operation = { requestBody?: unknown; responses?: Record<string, Response> };
type Document = { paths?: Record<string, Record<string, Operation>>; components?: { schemas?: object } };

/** Every tag a route uses, in the order the docs page lists them; Redocly wants each declared and described. */
const tags = [
  {
    name: "Auth",
    description:
      "Sign up, sign in and out, verify an e-mail, reset or change a password; the signed-in user, their workspaces and the active one.",
  },
  { name: "Workspaces", description: "Create a workspace; its creator becomes its admin." },
  { name: "Users", description: "The members of the workspace (read-only)." },
  { name: "Companies", description: "Organisations the team sells to or works with." },
  { name: "Contacts", description: "People, usually at a company." },
  { name: "Leads", description: "Prospects to qualify, then convert into a deal." },
  { name: "Pipelines", description: "The stages deals move through; everyone reads them, admins change them." },
  { name: "Deals", description: "Opportunities moving through a pipeline." },
  { name: "Activities", description: "Calls, e-mails, meetings and notes on a record's timeline." },
  { name: "Tasks", description: "Things to do, with a due date, an assignee and dependencies." },
  { name: "Saved views", description: "Named filters, sorts and columns of a list, private or shared." },
  { name: "Dashboard", description: "The figures of the dashboard page." },
  {
    name: "API keys",
    description: "Scoped keys for integrations, sent as `Authorization: Bearer`; admins manage them.",
  },
  {
    name: "Audit log",
    description:
      "Who changed what, when and from where: append-only and hash-chained. Record histories live on each record.",
  },
  {
    name: "Notifications",
    description:
      "The signed-in member's notifications (the bell): task reminders and overdue tasks; theirs only, read or not.",
  },
  { name: "Mail", description: "The outbox: e-mails kept for admins to read while no SMTP server is configured." },
  {
    name: "Webhooks",
    description:
      "Endpoints that receive the workspace's events, signed following Standard Webhooks, and their delivery log.",
  },
  {
    name: "Jobs",
    description:
      "Background jobs of the workspace (webhook deliveries, imports…): admins see them and retry failed ones.",
  },
  {
    name: "Imports",
    description:
      "CSV and XLSX files into contacts, companies, leads, deals, activities and tasks: upload, mapping, dry run, progress, errors, undo.",
  },
  {
    name: "Bulk operations",
    description:
      "Bulk actions on a selection or a filter, with progress when they run as a job, and undo for 24 hours.",
  },
  {
    name: "Merges",
    description: "Merged duplicates: undo a merge of contacts or companies.",
  },
  {
    name: "Exports",
    description:
      "Exports run as a job (POST /<list>/exports): progress, and the file's download for 24 hours. Smaller exports stream from GET /<list>/export.",
  },
];

const problemRef = { $ref: "#/components/schemas/Problem" };
const problemJsonSchema = z.toJSONSchema(ProblemSchema, { target: "openapi-3.0", io: "output" });
// @fastify/swagger's placeholder for a response whose schema has no description.
const placeholderDescription = "Default Response";

/** Descriptions of responses whose route gives none, by status. */
const responseDescriptions: Record<string, string> = {
  200: "OK",
  201: "Created — the Location header names the new resource",
  204: "No content",
  400: "Bad request — problem+json naming the failing fields in `errors`",
  401: "Not signed in — no valid session cookie, or an API key that is malformed, unknown, expired or revoked",
  403: "Forbidden — the caller's role may not do this, they belong to no workspace yet, or the API key lacks the scope",
  404: "Not found — no such record, or X-Workspace-Id names a workspace the caller is not a member of",
  409: "Conflict — a duplicate, a concurrent change, or a request with this Idempotency-Key still running",
  412: "Precondition failed — If-Match names an older version than the record's",
  413: "Payload too large — the body is over the server's limit",
  415: "Unsupported media type — bodies are application/json only",
  422: "Rule violation — the change breaks a business rule, or the Idempotency-Key was used for another request",
  503: "Service unavailable — the database is unreachable; retry after Retry-After seconds",
};

/**
 * Problems the platform answers whatever the route (problem-details.ts): 503 when the database
 * is unreachable, and 413 or 415 for a body that is too large or not JSON. Documented once here
 * rather than on every route schema.
 */
function platformProblems(operation: Operation): string[] {
  return operation.requestBody ? ["413", "415", "503"] : ["503"];
}

/**
 * Errors are all rendered by problem-details.ts, so they are application/problem+json, and the
 * shared Problem shape is referenced rather than repeated in every response.
 */
function describeResponse(status: string, response: Response): Response {
  const description =
    !response.description || response.description === placeholderDescription
      ? (responseDescriptions[status] ?? `HTTP ${status}`)
      : response.description;
  if (Number(status) < 400) return { ...response, description };
  const schema = response.content?.["application/json"]?.schema ?? problemJsonSchema;
  return {
    ...response,
    description,
    content: {
      "application/problem+json": { schema: isDeepStrictEqual(schema, problemJsonSchema) ? problemRef : schema },
    },
  };
}

function finishOperation(operation: Operation): Operation {
  const responses: Record<string, Response> = { ...operation.responses };
  for (const status of platformProblems(operation)) responses[status] ??= {};
  const described = Object.entries(responses).map(([status, response]) => [status, describeResponse(status, response)]);
  return { ...operation, responses: Object.fromEntries(described) };
}

/** Post-processing of the generated document: the Problem component and every response described. */
function finishDocument(document: Document): Document {
  const paths = Object.entries(document.paths ?? {}).map(([path, item]) => [
    path,
    Object.fromEntries(Object.entries(item).map(([method, operation]) => [method, finishOperation(operation)])),
  ]);
  return {
    ...document,
    paths: Object.fromEntries(paths),
    components: { ...document.components, schemas: { ...document.components?.schemas, Problem: problemJsonSchema } },
  };
}

/**
 * The OpenAPI document, generated from the route schemas, served at /api/openapi.json, with
 * Swagger UI at /api/docs. Client generators name their methods after each route's operationId.
 */
export const openApiPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Keel CRM API",
        version: "1",
        description:
          "Sign in with POST /api/v1/auth/sign-in (the session cookie authenticates later calls), or send " +
          "an API key as `Authorization: Bearer keel_…`. " +
          "Lists take limit, cursor, sort, q, include and filter[field] / filter[field][op] " +
          "(eq, ne, in, gt, gte, lt, lte, contains, empty); errors are RFC 9457 problem+json.",
        license: { name: "MIT", url: "https://opensource.org/licenses/MIT" },
      },
      // Relative: the document describes whichever Keel server serves it.
      servers: [{ url: "/", description: "This Keel server" }],
      tags,
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "keel_session" },
          bearer: { type: "http", scheme: "bearer", description: "An API key (`keel_…`), for integrations" },
        },
      },
      // Either one: a session cookie or an API key.
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => {
      if (!("openapiObject" in documentObject)) return documentObject.swaggerObject;
      // Generated paths hold operations only (no path-level parameters or $ref), as Document says.
      const openapiObject = documentObject.openapiObject;
      return finishDocument(openapiObject as Document) as typeof openapiObject;
    },
  });
  // staticCSP: the docs page gets a CSP with hashes of its own inline scripts.
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
});

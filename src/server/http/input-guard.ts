import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { FieldError } from "../../shared/schemas/problem.ts";
import { AppError } from "../lib/errors.ts";

/** Deeper JSON than this is refused: no Keel body nests more than a few levels. */
export const maxNestingDepth = 32;

/** A lone surrogate cannot be stored as UTF-8 text; PostgreSQL text cannot hold NUL. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemOfText(text: string): string | null {
  if (text.includes("\u0000")) return "Must not contain NUL characters";
  if (loneSurrogate.test(text)) return "Must be valid Unicode text (a lone surrogate was found)";
  return null;
}

/**
 * Keys that could reach an object's prototype if some code ever merged the body into an object
 * (`__proto__`, `constructor.prototype`). No field of Keel has such a name. JSON.parse keeps them
 * as plain own properties, so they are refused here, by name, rather than as unparsable JSON.
 */
function problemOfKey(key: string, value: unknown): string | null {
  if (key === "__proto__") return "Not a field name Keel accepts";
  if (key === "constructor" && value !== null && typeof value === "object" && Object.hasOwn(value, "prototype")) {
    return "Not a field name Keel accepts";
  }
  return null;
}

/**
 * Finds, in a parsed body, query or path, the first value no field of Keel can take: text with a
 * NUL character or a lone surrogate (in a value or a key), a prototype-reaching key, or nesting
 * deeper than maxNestingDepth.
 * Walks without recursion, so a body nested 100,000 levels deep costs a loop, not the stack.
 */
export function findUnacceptableInput(root: unknown, rootPath: string): FieldError | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === "string") {
      const message = problemOfText(value);
      if (message) return { path, message };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= maxNestingDepth) return { path, message: `Nested more than ${maxNestingDepth} levels deep` };
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path ? `${path}.${key}` : key;
      const keyProblem = problemOfText(key) ?? problemOfKey(key, item);
      if (keyProblem) return { path: itemPath, message: keyProblem };
      pending.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return null;
}

function check(request: FastifyRequest): void {
  const problem =
    findUnacceptableInput(request.params, "") ??
    findUnacceptableInput(request.query, "") ??
    findUnacceptableInput(request.body, "");
  if (problem) throw new AppError("validation", `${problem.path || "The body"}: ${problem.message}.`, [problem]);
}

/**
 * Refuses, with a 400 naming the field, input that no schema would catch but the database would
 * refuse with an error (NUL in text, unpaired UTF-16 surrogates) or that would make validation
 * recurse without bound. Runs before every route's schema validation.
 */
export const inputGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook("preValidation", async (request) => check(request));
});

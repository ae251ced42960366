import pg from "pg";

/**
 * `text` with its `$n` placeholders replaced by their values as quoted literals, for statements
 * that take no parameters: COPY (copy-csv.ts), and a simple query carrying several statements
 * (client.ts, a transaction's first statement sent with its BEGIN). Each value goes in as
 * node-postgres would send it as a parameter (its text), quoted by the client's escapeLiteral: an
 * untyped literal, which PostgreSQL types from its context exactly as it types an untyped
 * parameter. Placeholders inside quoted literals, quoted identifiers and comments are left alone.
 *
 * Throws (CannotInlineError) for what a literal cannot carry as a parameter would: a binary value,
 * a NUL character (it would end the statement's text, where as a parameter PostgreSQL refuses it),
 * and dollar-quoted text (its body is not scanned for placeholders).
 */
export function inlineParameters(
  client: Pick<pg.ClientBase, "escapeLiteral">,
  text: string,
  params: readonly unknown[],
): string {
  if (dollarQuote.test(text)) throw new CannotInlineError("dollar-quoted text cannot be inlined");
  const literal = (n: number) => {
    if (n < 1 || n > params.length) throw new Error(`no value for $${n}`);
    const value = prepareValue(params[n - 1]);
    if (value === null) return "null";
    if (value.includes("\0")) throw new CannotInlineError("a NUL character cannot be inlined");
    return client.escapeLiteral(value);
  };
  let out = "";
  let done = 0;
  special.lastIndex = 0;
  for (let match = special.exec(text); match !== null; match = special.exec(text)) {
    const at = match.index;
    if (match[1] !== undefined) {
      out += text.slice(done, at) + literal(Number(match[1]));
      done = at + match[0].length;
      special.lastIndex = done;
      continue;
    }
    const skip = skippedAt(text, at);
    special.lastIndex = Math.max(skip, at + 1);
  }
  return out + text.slice(done);
}

/** A statement that cannot go out with its values written in; send it with parameters instead. */
export class CannotInlineError extends Error {}

/** Where a placeholder, a quote or the start of a comment may be. */
const special = /\$(\d+)|['"]|--|\/\*/g;
/** `$$` or `$tag$`, which open dollar-quoted text (a `$n` placeholder has digits only). */
const dollarQuote = /\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$/;

/** Where a quoted literal, quoted identifier or comment starting at `i` ends; `i` when none starts there. */
function skippedAt(text: string, i: number): number {
  const char = text[i];
  if (char === "'" || char === '"') {
    // An E'…' literal escapes with backslashes; the others double their quote.
    const backslashes = char === "'" && /[eE]/.test(text[i - 1] ?? "") && !/\w/.test(text[i - 2] ?? "");
    let j = i + 1;
    while (j < text.length) {
      if (backslashes && text[j] === "\\") j += 2;
      else if (text[j] === char && text[j + 1] === char) j += 2;
      else if (text[j] === char) return j + 1;
      else j++;
    }
    throw new Error("unterminated quote in SQL text");
  }
  if (char === "-" && text[i + 1] === "-") {
    const lineEnd = text.indexOf("\n", i);
    return lineEnd === -1 ? text.length : lineEnd;
  }
  if (char === "/" && text[i + 1] === "*") {
    const close = text.indexOf("*/", i + 2);
    if (close === -1) throw new Error("unterminated comment in SQL text");
    return close + 2;
  }
  return i;
}

const driverUtils = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils;

/** A parameter as node-postgres sends it (text), or null. */
function prepareValue(value: unknown): string | null {
  const prepared = driverUtils.prepareValue(value);
  if (prepared === null || prepared === undefined) return null;
  if (Buffer.isBuffer(prepared)) throw new CannotInlineError("binary parameters cannot be inlined");
  return String(prepared);
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a value may be written into a statement's text: one that is no text a person entered
 * (ids, numbers, booleans, timestamps, nulls). PostgreSQL logs the text of a statement that fails,
 * and a parameter's value stays out of that log.
 */
export function writtenInSafely(value: unknown): boolean {
  if (value === null || value === undefined || value instanceof Date) return true;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return true;
  if (typeof value === "string") return uuid.test(value);
  return Array.isArray(value) && value.every(writtenInSafely);
}

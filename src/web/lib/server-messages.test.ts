import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { setLanguage } from "../i18n/i18n.ts";
import { inWords } from "./messages.ts";
import { problemInWords } from "./problem-words.ts";

/**
 * Every sentence the server can answer with, read from its sources, has German words in the web
 * app: a problem's detail through problemInWords, a field's message through inWords. A server
 * message without them fails here, named with its file and line.
 *
 * Found: the detail of `new AppError(type, detail, errors)`, `invalidField(path, message)` (a
 * detail and a field message) and `notFound(resource)`, and the message of every `{ path,
 * message }` object. A message is read when the source spells it out: a string, a template (its
 * `${…}` parts filled with sample words, or with the sentences a part is bound to), a
 * conditional or a `+` of those, or a constant of the same file bound to one. Messages computed at run
 * time are counted and listed, not failed: their sentences are covered by hand.
 */

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../server");

/**
 * Files whose every message is about requests the web app never makes: the input guard (NUL
 * characters, prototype keys and absurd nesting in a body), Idempotency-Key, the metrics token,
 * API key scopes, static files and the web app's own build.
 */
const integratorFiles = [
  "http/input-guard.ts",
  "http/idempotency.ts",
  "http/metrics.ts",
  "http/api-key-scopes.ts",
  "http/web-app.ts",
];

/** Messages (by their start) only an API integrator can meet, for the same reason. */
const integratorMessages = [
  // Unknown addresses: the web app calls only routes that exist.
  "No route ",
  // API keys: the web app signs in with a session.
  "The API key is not valid.",
  "This API key lacks the scope ",
  "API keys cannot ",
  "API keys have no notifications.",
  // Headers the web app sets itself, always well formed.
  "X-Workspace-Id must be a workspace id.",
  "If-Match must be a record version",
  "Must be a version number",
  // The import upload's multipart body, which the web app builds itself.
  "Send the file as multipart/form-data.",
  "The multipart/form-data body is malformed.",
  "Unreadable upload",
  "Send the resource field before the file.",
  "Send the resource field once.",
  "Sent twice",
  "Required, before file",
  "The upload has more than ",
  "Too many form fields",
  // HEAD requests, which the web app never sends.
  "Use GET: a HEAD of an export is not served.",
  'Unknown resource "',
  "Must be one of ",
];

/** Sample words for a template's `${…}` parts that name nothing the file spells out. */
const samples = ["contact", "lost", "4"];

/** One sentence a call site can answer; `texts` are its renderings with the samples in its `${…}` parts. */
type Message = {
  file: string;
  line: number;
  kind: "detail" | "field";
  type: string;
  /** How the detail repeats its field error's message (invalidField, `${message}.`), when it does. */
  repeats?: "message" | "message with a full stop";
  texts: string[];
};
type Scan = { messages: Message[]; nonLiteral: string[] };

function serverFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) return serverFiles(file);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [file] : [];
  });
}

/**
 * The sentences an expression can be, each as its renderings, when the file spells them out;
 * null when the expression is computed at run time.
 */
function sentencesOf(expression: ts.Expression, source: ts.SourceFile): string[][] | null {
  if (ts.isStringLiteralLike(expression)) return [[expression.text]];
  if (ts.isParenthesizedExpression(expression)) return sentencesOf(expression.expression, source);
  if (ts.isTemplateExpression(expression)) return templateSentences(expression, source);
  if (ts.isConditionalExpression(expression)) {
    const whenTrue = sentencesOf(expression.whenTrue, source);
    const whenFalse = sentencesOf(expression.whenFalse, source);
    return whenTrue && whenFalse ? [...whenTrue, ...whenFalse] : null;
  }
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = sentencesOf(expression.left, source);
    const right = sentencesOf(expression.right, source);
    if (!left || !right) return null;
    return left.flatMap((starts) => right.map((ends) => starts.flatMap((start) => ends.map((end) => start + end))));
  }
  if (ts.isIdentifier(expression)) {
    const bound = constantOf(expression.text, source);
    return bound ? sentencesOf(bound, source) : null;
  }
  return null;
}

/** A part bound to sentences makes one sentence per sentence; any other part takes every sample. */
function templateSentences(template: ts.TemplateExpression, source: ts.SourceFile): string[][] {
  let sentences = [[template.head.text]];
  for (const span of template.templateSpans) {
    const parts = sentencesOf(span.expression, source) ?? [samples];
    const after = span.literal.text;
    sentences = sentences.flatMap((renderings) =>
      parts.map((part) => renderings.flatMap((start) => part.map((value) => start + value + after))),
    );
  }
  return sentences;
}

/** The initializer of `const name = …` in the file, when exactly one declaration has that name. */
function constantOf(name: string, source: ts.SourceFile): ts.Expression | undefined {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      found.push(node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.length === 1 ? found[0] : undefined;
}

function calleeName(node: ts.CallExpression | ts.NewExpression): string {
  return ts.isIdentifier(node.expression) ? node.expression.text : "";
}

function propertyOf(node: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === name) {
      return property.initializer;
    }
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

/**
 * The field error's message a detail repeats, as `new AppError(type, message, [{ path, message }])`
 * or with a full stop, `${message}.`.
 */
function repeatedMessageOf(
  detail: ts.Expression,
  errors: ts.Expression,
): { message: ts.Expression; repeats: NonNullable<Message["repeats"]> } | undefined {
  if (!ts.isArrayLiteralExpression(errors) || errors.elements.length !== 1) return undefined;
  const [error] = errors.elements;
  const message = error && ts.isObjectLiteralExpression(error) ? propertyOf(error, "message") : undefined;
  if (!message) return undefined;
  if (detail.getText() === message.getText()) return { message, repeats: "message" };
  const [span, ...rest] = ts.isTemplateExpression(detail) ? detail.templateSpans : [];
  const isWithFullStop = span && rest.length === 0 && detail.getText().startsWith("`${") && span.literal.text === ".";
  return isWithFullStop && span.expression.getText() === message.getText()
    ? { message, repeats: "message with a full stop" }
    : undefined;
}

/** The server's messages, read from its sources. */
function scanServer(): Scan {
  const scan: Scan = { messages: [], nonLiteral: [] };
  for (const file of serverFiles(serverRoot)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const at = (node: ts.Node) => ({
      file: path.relative(serverRoot, file),
      line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
    });
    const add = (node: ts.Node, message: Omit<Message, "file" | "line" | "texts">, expression?: ts.Expression) => {
      if (!expression) return;
      const sentences = sentencesOf(expression, source);
      const where = at(node);
      if (!sentences) scan.nonLiteral.push(`${where.file}:${where.line} ${expression.getText()}`);
      for (const texts of sentences ?? []) scan.messages.push({ ...where, ...message, texts });
    };
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node) && calleeName(node) === "AppError") {
        const [type, detail, errors] = node.arguments ?? [];
        const slug = type && ts.isStringLiteral(type) ? type.text : "internal";
        const repeated = detail && errors && repeatedMessageOf(detail, errors);
        // A detail that only repeats a field message computed at run time is that message: counted once.
        if (!(repeated && !sentencesOf(repeated.message, source))) {
          add(node, { kind: "detail", type: slug, repeats: repeated?.repeats }, detail);
        }
      } else if (ts.isCallExpression(node) && calleeName(node) === "invalidField") {
        add(node, { kind: "detail", type: "validation", repeats: "message" }, node.arguments[1]);
        add(node, { kind: "field", type: "validation" }, node.arguments[1]);
      } else if (ts.isCallExpression(node) && calleeName(node) === "notFound") {
        const resources = node.arguments[0] && sentencesOf(node.arguments[0], source);
        const where = at(node);
        if (!resources) scan.nonLiteral.push(`${where.file}:${where.line} ${node.getText()}`);
        for (const names of resources ?? []) {
          const texts = names.map((resource) => `No such ${resource}.`);
          scan.messages.push({ ...where, kind: "detail", type: "not-found", texts });
        }
      } else if (ts.isObjectLiteralExpression(node) && propertyOf(node, "path") && propertyOf(node, "message")) {
        add(node, { kind: "field", type: "validation" }, propertyOf(node, "message"));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return scan;
}

/** The problem the server answers with the message as its detail. */
function problemOf(message: Message, text: string) {
  const fieldMessage = message.repeats === "message with a full stop" ? text.replace(/\.$/, "") : text;
  return {
    type: `/problems/${message.type}`,
    title: "",
    detail: text,
    errors: message.repeats ? [{ path: "field", message: fieldMessage }] : [],
  };
}

/** True when the interface words one of the message's renderings differently from the server's English. */
function isWorded(message: Message): boolean {
  return message.texts.some((text) =>
    message.kind === "field" ? inWords("Feld", text) !== text : problemInWords(problemOf(message, text)) !== text,
  );
}

function isForIntegrators(message: Message): boolean {
  return (
    integratorFiles.includes(message.file) ||
    integratorMessages.some((start) => message.texts.some((text) => text.startsWith(start)))
  );
}

const scan = scanServer();
const unique = [
  ...new Map(scan.messages.map((message) => [`${message.kind} ${message.texts.join()}`, message])).values(),
];
const describeMessage = (message: Message) =>
  `${message.kind} ${message.file}:${message.line} ${message.texts[0] ?? ""}`;

describe("the server's messages", () => {
  it("finds the server's messages where they are written", () => {
    expect(unique.length).toBeGreaterThan(200);
    expect(unique.map((message) => message.texts[0])).toEqual(
      expect.arrayContaining(["Wrong e-mail or password.", "No such contact.", "No such company"]),
    );
  });

  it("has German words for every one that can reach the web app", async () => {
    await setLanguage("de");
    const forIntegrators = unique.filter(isForIntegrators);
    const missing = unique.filter((message) => !isForIntegrators(message) && !isWorded(message));
    console.info(
      `${unique.length} server messages: ${unique.length - forIntegrators.length - missing.length} worded in German, ` +
        `${forIntegrators.length} for API integrators only, ${missing.length} without German words; ` +
        `${scan.nonLiteral.length} call sites pass a message computed at run time (covered by hand):\n  ` +
        scan.nonLiteral.join("\n  "),
    );
    expect(missing.map(describeMessage)).toEqual([]);
  });

  it("keeps every detail the server's own English in the English interface", () => {
    const changed = unique
      .filter((message) => message.kind === "detail")
      .filter((message) => message.texts.some((text) => problemInWords(problemOf(message, text)) !== text));
    expect(changed.map(describeMessage)).toEqual([]);
  });
});

import { i18next, t } from "../i18n/i18n.ts";

/**
 * The server's English sentences in the interface's language. The API speaks English to every
 * client, so the web app recognises a sentence by its English words: each key under a group
 * (`problems.details`, `messages.server`) holds, in English, exactly the sentence the server
 * writes, with `{{placeholders}}` where the server fills something in. That English text is the
 * pattern (written once, so it cannot drift from a second copy); the captured parts come back as
 * the translation's parameters, and those that are words of their own (a record's noun, a role,
 * a status, an action) are translated too.
 *
 * Answers undefined in English (the server's sentence is already in the interface's words) and
 * for a sentence no key matches.
 */
export function serverSentenceInWords(group: string, sentence: string): string | undefined {
  if (i18next.language.startsWith("en")) return undefined;
  for (const pattern of patternsOf(group)) {
    const match = pattern.regex.exec(sentence);
    const params = match && paramsOf(pattern.names, match);
    if (params) return t(pattern.key, params);
  }
  return undefined;
}

type Pattern = { key: string; regex: RegExp; names: string[]; literalLength: number };

const placeholder = /\{\{\s*(\w+)[^}]*\}\}/g;

/** Placeholders that only ever hold a number: matching them as digits keeps sentences apart. */
const numberNames = new Set(["limit", "version"]);

const patternsByGroup = new Map<string, Pattern[]>();

/**
 * The group's English sentences as patterns, the most specific first: where two match ("No such
 * {{resource}}." and "No such task: {{ids}}."), the one with more fixed words wins.
 */
function patternsOf(group: string): Pattern[] {
  let patterns = patternsByGroup.get(group);
  if (!patterns) {
    const english = i18next.getResource("en", "translation", group) as Record<string, unknown> | undefined;
    patterns = Object.entries(flatten(english ?? {}, group)).map(([key, text]) => patternOf(key, text));
    patterns.sort((a, b) => b.literalLength - a.literalLength);
    patternsByGroup.set(group, patterns);
  }
  return patterns;
}

function flatten(words: Record<string, unknown>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(words).flatMap(([key, value]) =>
      typeof value === "string"
        ? [[`${prefix}.${key}`, value]]
        : Object.entries(flatten(value as Record<string, unknown>, `${prefix}.${key}`)),
    ),
  );
}

function patternOf(key: string, english: string): Pattern {
  const names: string[] = [];
  let source = "";
  let literalLength = 0;
  let last = 0;
  for (const match of english.matchAll(placeholder)) {
    const literal = english.slice(last, match.index);
    source += escapeRegExp(literal);
    literalLength += literal.length;
    const name = match[1] ?? "";
    names.push(name);
    source += numberNames.has(name) ? "(\\d+)" : "(.+?)";
    last = match.index + match[0].length;
  }
  const rest = english.slice(last);
  source += escapeRegExp(rest);
  literalLength += rest.length;
  return { key, regex: new RegExp(`^${source}$`, "s"), names, literalLength };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The captured parts as parameters, in words; null when a part that must be a known word is not one. */
function paramsOf(names: string[], match: RegExpExecArray): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [index, name] of names.entries()) {
    const captured = match[index + 1] ?? "";
    const words = paramWords[name];
    const value = words ? words(captured) : captured;
    if (value === undefined) return null;
    params[name] = value;
  }
  return params;
}

/** How each kind of captured word is said; parts not named here (names, ids, numbers) stay as they are. */
const paramWords: Record<string, (value: string) => string | undefined> = {
  resource: nounOf,
  role: (role) => wordOf(`values.${role}`) ?? role,
  invitedRole: (role) => wordOf(`values.${role}`) ?? role,
  status: (status) => wordOf(`values.${status}`) ?? status,
  from: (status) => wordOf(`values.${status}`) ?? status,
  to: (status) => wordOf(`values.${status}`) ?? status,
  action: (action) => wordOf(`problems.actions.${action}`) ?? action,
  statuses: statusesOf,
  after: durationOf,
  // Sentences inside a sentence: a vCard's or a mapping's own field messages.
  reason: (reason) => serverSentenceInWords("messages.server", reason) ?? reason,
  problems: (problems) =>
    problems
      .split("; ")
      .map((problem) => serverSentenceInWords("messages.server", problem) ?? problem)
      .join("; "),
};

function wordOf(key: string): string | undefined {
  return i18next.exists(key) ? t(key) : undefined;
}

/**
 * A record's noun ("contact", "API key", "webhook endpoint") from the words the interface has for
 * it already (record types, then the audit log's resources), else from the problems' own nouns.
 * An unknown noun answers undefined: the sentence stays English rather than half translated.
 */
function nounOf(resource: string): string | undefined {
  const key = resource.replace(/ (\w)/g, (_, letter: string) => letter.toUpperCase()).replace(/^API/, "api");
  return wordOf(`values.${key}`) ?? wordOf(`audit.resources.${key}`) ?? wordOf(`problems.nouns.${key}`);
}

/** "uploaded or validating", "completed, cancelled or failed": only when every word is a status. */
function statusesOf(list: string): string | undefined {
  const words = list.split(/, | or /).map((status) => wordOf(`values.${status}`));
  if (words.some((word) => word === undefined)) return undefined;
  const last = words.pop();
  return words.length ? `${words.join(", ")} ${t("problems.or")} ${last}` : last;
}

/** "1 minute", "30 seconds" (the rate limit's wait). */
function durationOf(duration: string): string {
  const match = /^(\d+) (second|minute|hour)s?$/.exec(duration);
  if (!match) return duration;
  return t(`problems.durations.${match[2] ?? ""}`, { count: Number(match[1]) });
}

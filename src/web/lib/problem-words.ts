import type { Problem } from "../../shared/schemas/problem.ts";
import { i18next, t } from "../i18n/i18n.ts";
import { inWords } from "./messages.ts";
import { serverSentenceInWords } from "./server-sentences.ts";

/** What of a problem+json answer the words depend on. */
export type ProblemWords = Pick<Problem, "type" | "title" | "detail" | "errors">;

/**
 * A problem's detail as the person reads it, in the interface's language. The API answers in
 * English for every client; the web app translates the server's sentences it knows (their
 * English wording lives in `problems.details`, see server-sentences.ts). A detail that repeats a
 * field's message (`invalidField`, a duplicate's constraint) is worded as that field's message. A
 * sentence the web app has no words for is shown in English, so nothing is lost; a problem
 * without a detail is named by its type's title. In English the server's sentence is shown as it
 * is.
 */
export function problemInWords(problem: ProblemWords): string {
  if (i18next.language.startsWith("en")) return problem.detail ?? problem.title;
  const { detail } = problem;
  if (!detail) return titleOf(problem);
  return serverSentenceInWords("problems.details", detail) ?? fieldMessageOf(problem, detail) ?? detail;
}

/** `/problems/not-found` → "Nicht gefunden"; a type the server does not list keeps its own title. */
function titleOf(problem: ProblemWords): string {
  const slug = /^\/problems\/([a-z-]+)$/.exec(problem.type)?.[1];
  const key = `problems.titles.${slug ?? ""}`;
  return slug && i18next.exists(key) ? t(key) : problem.title;
}

/** The detail worded as the field message it repeats, with or without the sentence's full stop. */
function fieldMessageOf(problem: ProblemWords, detail: string): string | undefined {
  const repeated = problem.errors?.find((error) => error.message === detail || `${error.message}.` === detail);
  if (!repeated) return undefined;
  const words = inWords(t("problems.thisField"), repeated.message);
  if (words === repeated.message) return undefined;
  return repeated.message === detail || words.endsWith(".") ? words : `${words}.`;
}

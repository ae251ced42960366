import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { t } from "../../i18n/i18n.ts";

/** The server's rules for a new password (src/server/modules/auth/passwords.ts), shown as you type. */
export const passwordMinLength = 12;
export const passwordMaxLength = 128;
/** The lowest zxcvbn score the server accepts. */
export const acceptableScore = 2;

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

/** What the meter shows of a password. */
export type PasswordVerdict = {
  score: StrengthScore;
  /** "Too short" under 12 characters, else the score's word ("Fair"). */
  label: string;
  /** Whether the server will take it (it checks the same rules). */
  isAcceptable: boolean;
  /** Why it will be refused, when it will. */
  problem: string | null;
  /** zxcvbn's warning (why it is guessable), in the interface's language. */
  warning: string | null;
  /** zxcvbn's first suggestion, in the interface's language. */
  suggestion: string | null;
};

/** The word for each score, in the interface's language. */
export function scoreLabelOf(score: StrengthScore): string {
  const labels: Record<StrengthScore, string> = {
    0: t("auth.password.scores.veryWeak"),
    1: t("auth.password.scores.weak"),
    2: t("auth.password.scores.fair"),
    3: t("auth.password.scores.good"),
    4: t("auth.password.scores.strong"),
  };
  return labels[score];
}

// zxcvbn-ts answers feedback as keys; their words are in src/web/i18n/locales/<language>/auth.json.
const warnings: Record<string, () => string> = {
  straightRow: () => t("auth.password.warnings.straightRow"),
  keyPattern: () => t("auth.password.warnings.keyPattern"),
  simpleRepeat: () => t("auth.password.warnings.simpleRepeat"),
  extendedRepeat: () => t("auth.password.warnings.extendedRepeat"),
  sequences: () => t("auth.password.warnings.sequences"),
  recentYears: () => t("auth.password.warnings.recentYears"),
  dates: () => t("auth.password.warnings.dates"),
  topTen: () => t("auth.password.warnings.topTen"),
  topHundred: () => t("auth.password.warnings.topHundred"),
  common: () => t("auth.password.warnings.common"),
  similarToCommon: () => t("auth.password.warnings.similarToCommon"),
  wordByItself: () => t("auth.password.warnings.wordByItself"),
  namesByThemselves: () => t("auth.password.warnings.namesByThemselves"),
  commonNames: () => t("auth.password.warnings.commonNames"),
  userInputs: () => t("auth.password.warnings.userInputs"),
  pwned: () => t("auth.password.warnings.pwned"),
};
const suggestions: Record<string, () => string> = {
  l33t: () => t("auth.password.suggestions.l33t"),
  reverseWords: () => t("auth.password.suggestions.reverseWords"),
  allUppercase: () => t("auth.password.suggestions.allUppercase"),
  capitalization: () => t("auth.password.suggestions.capitalization"),
  dates: () => t("auth.password.suggestions.dates"),
  recentYears: () => t("auth.password.suggestions.recentYears"),
  associatedYears: () => t("auth.password.suggestions.associatedYears"),
  sequences: () => t("auth.password.suggestions.sequences"),
  repeated: () => t("auth.password.suggestions.repeated"),
  longerKeyboardPattern: () => t("auth.password.suggestions.longerKeyboardPattern"),
  anotherWord: () => t("auth.password.suggestions.anotherWord"),
  useWords: () => t("auth.password.suggestions.useWords"),
  noNeed: () => t("auth.password.suggestions.noNeed"),
  pwned: () => t("auth.password.suggestions.pwned"),
};

type Checker = (password: string, userInputs: string[]) => PasswordVerdict;

let loading: Promise<Checker> | undefined;

/**
 * Loads zxcvbn and its dictionaries (about half a megabyte) on first use, as their own chunks: only
 * pages that set a password pay for them, never the sign-in page.
 */
export function loadPasswordChecker(): Promise<Checker> {
  loading ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(
    ([core, language]) => {
      const factory = new core.ZxcvbnFactory({
        dictionary: { ...language.dictionary },
        graphs: language.adjacencyGraphs,
      });
      const common = new Set(language.dictionary["passwords-common"].map((p) => p.toLowerCase()));
      return (password, userInputs) => judge(password, factory.check(password, userInputs), common);
    },
  );
  // A failed load (offline) may be retried by the next page that needs it.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

type Result = { score: number; feedback: { warning: string | null; suggestions: string[] } };

function judge(password: string, result: Result, common: Set<string>): PasswordVerdict {
  const score = Math.min(4, Math.max(0, result.score)) as StrengthScore;
  const missing = passwordMinLength - password.length;
  let problem: string | null = null;
  if (missing > 0) problem = t("auth.password.useAtLeast", { min: passwordMinLength, missing });
  else if (password.length > passwordMaxLength) problem = t("auth.password.useAtMost", { max: passwordMaxLength });
  else if (common.has(password.toLowerCase())) problem = t("auth.password.common");
  else if (score < acceptableScore) problem = t("auth.password.guessable");
  const warningKey = result.feedback.warning;
  const suggestionKey = result.feedback.suggestions[0];
  return {
    score,
    label: missing > 0 ? t("auth.password.tooShort") : scoreLabelOf(score),
    isAcceptable: problem === null,
    problem,
    warning: warningKey ? (warnings[warningKey]?.() ?? null) : null,
    suggestion: suggestionKey ? (suggestions[suggestionKey]?.() ?? null) : null,
  };
}

/** The words a password must not lean on: the person's name and e-mail (as the server counts them). */
export function personalInputs(person: { name?: string | undefined; email?: string | undefined }): string[] {
  return [person.email, person.email?.split("@")[0], person.name].filter((s): s is string => Boolean(s));
}

export type PasswordCheck =
  { state: "empty" } | { state: "loading" } | { state: "unavailable" } | { state: "checked"; verdict: PasswordVerdict };

/**
 * The verdict on a password as it is typed. zxcvbn loads with the first character typed; the check
 * runs on a deferred copy of the value, so typing never waits for it.
 */
export function usePasswordCheck(password: string, userInputs: readonly string[] = []): PasswordCheck {
  // The verdict's words are in the interface's language: judged again when it changes.
  const { i18n } = useTranslation();
  const language = i18n.language;
  const [checker, setChecker] = useState<Checker | "failed" | null>(null);
  const deferred = useDeferredValue(password);
  const isWanted = password.length > 0;
  useEffect(() => {
    if (!isWanted || checker !== null) return;
    let isCurrent = true;
    loadPasswordChecker().then(
      (loaded) => isCurrent && setChecker(() => loaded),
      () => isCurrent && setChecker("failed"),
    );
    return () => {
      isCurrent = false;
    };
  }, [isWanted, checker]);
  const inputsKey = userInputs.join("\n");
  return useMemo((): PasswordCheck => {
    if (deferred.length === 0) return { state: "empty" };
    if (checker === "failed") return { state: "unavailable" };
    if (checker === null) return { state: "loading" };
    return { state: "checked", verdict: checker(deferred, inputsKey ? inputsKey.split("\n") : []) };
    // `language` is not read inside, but the verdict's words depend on it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [deferred, checker, inputsKey, language]);
}

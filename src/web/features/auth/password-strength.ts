import { useDeferredValue, useEffect, useMemo, useState } from "react";

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
  /** zxcvbn's warning (why it is guessable), in English. */
  warning: string | null;
  /** zxcvbn's first suggestion, in English. */
  suggestion: string | null;
};

export const scoreLabels: Record<StrengthScore, string> = {
  0: "Very weak",
  1: "Weak",
  2: "Fair",
  3: "Good",
  4: "Strong",
};

// zxcvbn-ts answers feedback as keys; its English texts are another package, so they are here.
const warnings: Record<string, string> = {
  straightRow: "Straight rows of keys on your keyboard are easy to guess.",
  keyPattern: "Short keyboard patterns are easy to guess.",
  simpleRepeat: "Repeated characters like “aaa” are easy to guess.",
  extendedRepeat: "Repeated patterns like “abcabcabc” are easy to guess.",
  sequences: "Common sequences like “abc” or “123” are easy to guess.",
  recentYears: "Recent years are easy to guess.",
  dates: "Dates are easy to guess.",
  topTen: "This is one of the most used passwords.",
  topHundred: "This is a very frequently used password.",
  common: "This is a commonly used password.",
  similarToCommon: "This is similar to a commonly used password.",
  wordByItself: "Single words are easy to guess.",
  namesByThemselves: "Single names or surnames are easy to guess.",
  commonNames: "Common names and surnames are easy to guess.",
  userInputs: "It contains your name or e-mail address.",
  pwned: "This password appeared in a data breach.",
};
const suggestions: Record<string, string> = {
  l33t: "Avoid predictable substitutions like “@” for “a”.",
  reverseWords: "Avoid common words spelt backwards.",
  allUppercase: "Capitalize some, but not all, letters.",
  capitalization: "Capitalize more than the first letter.",
  dates: "Avoid dates and years that are associated with you.",
  recentYears: "Avoid recent years.",
  associatedYears: "Avoid years that are associated with you.",
  sequences: "Avoid common character sequences.",
  repeated: "Avoid repeated words and characters.",
  longerKeyboardPattern: "Use longer keyboard patterns and change direction often.",
  anotherWord: "Add another, less common word.",
  useWords: "Use several unrelated words; avoid common phrases.",
  noNeed: "Symbols, digits and capitals are not needed: length does more.",
  pwned: "If you use it elsewhere, change it there too.",
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
  if (missing > 0) problem = `Use at least ${passwordMinLength} characters: ${missing} more.`;
  else if (password.length > passwordMaxLength) problem = `Use at most ${passwordMaxLength} characters.`;
  else if (common.has(password.toLowerCase())) problem = "This is a commonly used password; choose another.";
  else if (score < acceptableScore) problem = "Too easy to guess: use a longer passphrase of unrelated words.";
  const warningKey = result.feedback.warning;
  const suggestionKey = result.feedback.suggestions[0];
  return {
    score,
    label: missing > 0 ? "Too short" : scoreLabels[score],
    isAcceptable: problem === null,
    problem,
    warning: warningKey ? (warnings[warningKey] ?? null) : null,
    suggestion: suggestionKey ? (suggestions[suggestionKey] ?? null) : null,
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
  }, [deferred, checker, inputsKey]);
}

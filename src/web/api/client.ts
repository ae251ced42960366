import type { FieldError, Problem } from "../../shared/schemas/problem.ts";
import { webConfig } from "../config.ts";
import { t } from "../i18n/i18n.ts";
import { problemInWords } from "../lib/problem-words.ts";

/**
 * An API error answered as RFC 9457 problem+json. Its message is the problem's detail in the
 * interface's language (the API answers in English); `problem` keeps the answer as the server
 * wrote it. Forms map `fieldErrors` onto their fields.
 */
export class ApiProblem extends Error {
  /** The problem+json answer as received, in the server's English. */
  readonly problem: Problem;
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly fieldErrors: FieldError[];
  /** Seconds the server asked to wait before trying again (429, 503), when it said. */
  readonly retryAfterSeconds: number | null;

  constructor(problem: Problem, retryAfter: string | null = null) {
    super(problemInWords(problem));
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.fieldErrors = problem.errors ?? [];
    const seconds = Number(retryAfter);
    this.retryAfterSeconds = retryAfter !== null && Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
  }

  get isStale(): boolean {
    return this.status === 412;
  }
}

type Listener = () => void;
const sessionExpiredListeners = new Set<Listener>();

/** Called when an authenticated call answers 401: the shell sends the user to sign-in. */
export function onSessionExpired(listener: Listener): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

export type RequestOptions = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  /** The record version the change is based on; a newer version on the server answers 412. */
  ifMatch?: number;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** Leave 401 to the caller (the sign-in form) instead of treating it as an expired session. */
  isSignIn?: boolean;
};

async function problemOf(response: Response): Promise<Problem> {
  const fallback = {
    type: "about:blank",
    title: response.statusText || t("messages.api.requestFailed"),
    status: response.status,
  };
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...fallback, ...body };
  } catch {
    return fallback;
  }
}

/** Calls the Keel API. Resolves with the JSON body (undefined for 204); rejects with ApiProblem. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(webConfig.apiBase + path, window.location.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.ifMatch !== undefined) headers["if-match"] = `"${options.ifMatch}"`;
  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    credentials: "same-origin",
    signal: options.signal ?? null,
  });
  if (!response.ok) {
    const problem = new ApiProblem(await problemOf(response), response.headers.get("retry-after"));
    if (problem.status === 401 && !options.isSignIn) sessionExpiredListeners.forEach((listener) => listener());
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

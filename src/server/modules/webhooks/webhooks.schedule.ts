/**
 * When failed deliveries are tried again: the wait doubles from the base (1 minute by default,
 * WEBHOOK_RETRY_BASE_SECONDS) up to 480 bases (8 hours), for 18 attempts in all, so the last one
 * comes about 3 days (72 h 31 min) after the first. docs/webhooks.md has the table.
 */

/** Attempts per delivery: the first one and 17 retries. */
export const MAX_DELIVERY_ATTEMPTS = 18;

/** The wait before the first retry, in seconds. */
export const DEFAULT_RETRY_BASE_SECONDS = 60;

/** The longest wait, in bases: 8 hours with the default base. */
const longestWaitInBases = 480;

/** Each wait moves by up to this fraction either way, so endpoints that failed together retry apart. */
export const RETRY_JITTER = 0.1;

/** The wait before attempt `attempt` (2 … MAX_DELIVERY_ATTEMPTS) without jitter, in milliseconds. */
export function nominalRetryDelayMs(attempt: number, baseSeconds = DEFAULT_RETRY_BASE_SECONDS): number {
  if (!Number.isInteger(attempt) || attempt < 2 || attempt > MAX_DELIVERY_ATTEMPTS) {
    throw new RangeError(`A retry is attempt 2 to ${MAX_DELIVERY_ATTEMPTS}, not ${attempt}.`);
  }
  if (!(baseSeconds > 0) || !Number.isFinite(baseSeconds)) {
    throw new RangeError(`The retry base must be a positive number of seconds, not ${baseSeconds}.`);
  }
  return baseSeconds * 1000 * Math.min(2 ** (attempt - 2), longestWaitInBases);
}

/**
 * The wait before attempt `attempt`, in whole milliseconds, jittered by up to ±10 %; null when
 * `attempt` is past the last (the delivery has failed for good). `random` is Math.random's range.
 */
export function retryDelayMs(
  attempt: number,
  {
    baseSeconds = DEFAULT_RETRY_BASE_SECONDS,
    random = Math.random,
  }: { baseSeconds?: number; random?: () => number } = {},
): number | null {
  if (Number.isInteger(attempt) && attempt > MAX_DELIVERY_ATTEMPTS) return null;
  const nominal = nominalRetryDelayMs(attempt, baseSeconds);
  return Math.max(1, Math.round(nominal * (1 + RETRY_JITTER * (2 * random() - 1))));
}

/**
 * How long after its first attempt a delivery may still be retried automatically, jitter
 * included: about 80 hours with the default base. Events are kept at least this long.
 */
export function retryWindowMs(baseSeconds = DEFAULT_RETRY_BASE_SECONDS): number {
  let total = 0;
  for (let attempt = 2; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) total += nominalRetryDelayMs(attempt, baseSeconds);
  return Math.ceil(total * (1 + RETRY_JITTER));
}

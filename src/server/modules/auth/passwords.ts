import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import argon2 from "argon2";
import { AppError } from "../../lib/errors.ts";

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const options = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id; the salt and parameters travel inside the hash. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

// Verified against when the e-mail is unknown, so both cases take the same time.
const dummyHash = hashPassword("keel-dummy-password-for-timing");

/** Checks a password against a stored hash (or against nothing, in constant-ish time). */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  try {
    if (!hash) {
      await argon2.verify(await dummyHash, password);
      return false;
    }
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export const passwordMinLength = 12;
export const passwordMaxLength = 128;

let strength: Promise<{ checker: ZxcvbnFactory; common: Set<string> }> | undefined;

/**
 * Loaded and built on first use, not at start: the dictionaries take a moment to load and hold
 * megabytes of memory that a server nobody sets a password on never needs.
 */
function strengthChecker(): Promise<{ checker: ZxcvbnFactory; common: Set<string> }> {
  strength ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(
    ([{ ZxcvbnFactory }, zxcvbnCommon]) => ({
      checker: new ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs }),
      common: new Set(zxcvbnCommon.dictionary["passwords-common"].map((p) => p.toLowerCase())),
    }),
  );
  return strength;
}

/**
 * Throws 400 on `path` unless a new password is 12–128 characters, not a known common password
 * and not easily guessed (zxcvbn score of at least 2, counting the user's e-mail and name as
 * guesses). Checked offline; the password is never truncated or case-folded. Every place that
 * sets a password calls this.
 */
export async function assertAcceptablePassword(
  password: string,
  user: { email?: string | undefined; name?: string | undefined },
  path = "password",
): Promise<void> {
  const refuse = (message: string) => {
    throw new AppError("validation", message, [{ path, message }]);
  };
  if (password.length < passwordMinLength) refuse(`Must be at least ${passwordMinLength} characters.`);
  if (password.length > passwordMaxLength) refuse(`Must be at most ${passwordMaxLength} characters.`);
  const { checker, common } = await strengthChecker();
  if (common.has(password.toLowerCase())) refuse("This is a commonly used password; choose another.");
  const inputs = [user.email, user.email?.split("@")[0], user.name].filter((s): s is string => Boolean(s));
  if (checker.check(password, inputs).score < 2) {
    refuse("Too easy to guess; use a longer passphrase of several unrelated words.");
  }
}

import argon2 from "argon2";

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

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Encrypts secrets Keel must read back (TOTP secrets, SSO client secrets) with AES-256-GCM, so a
 * copy of the database alone does not reveal them. A sealed value is `v1.<iv>.<tag>.<ciphertext>`
 * in base64url; the version leaves room to rotate the scheme.
 */
export type SecretBox = { seal(plain: string): string; open(sealed: string): string };

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error("the encryption key must be 32 bytes");
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv, cipher.getAuthTag(), data]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}

/** Parses ENCRYPTION_KEY: 64 hex digits or 44 characters of base64. */
export function parseEncryptionKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
}

// In-memory databases (tests, throwaway runs) keep nothing, so a key for this process is enough.
let processKey: Buffer | undefined;

/**
 * The key: ENCRYPTION_KEY when set; else `encryption.key` in the data folder, created on first
 * use (owner-only) so that restarts read back what was sealed before.
 */
export function loadEncryptionKey(options: { encryptionKey: string | undefined; dataDir: string }): Buffer {
  if (options.encryptionKey) return parseEncryptionKey(options.encryptionKey);
  if (options.dataDir.startsWith("memory://")) return (processKey ??= randomBytes(32));
  const dir = resolve(options.dataDir);
  const file = join(dir, "encryption.key");
  mkdirSync(dir, { recursive: true });
  try {
    const fd = openSync(file, "wx", 0o600);
    try {
      writeSync(fd, randomBytes(32).toString("hex"));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const text = readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${file} does not hold a 32-byte key in hex`);
  return Buffer.from(text, "hex");
}

import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSecretBox, loadEncryptionKey, parseEncryptionKey } from "./secret-box.ts";

const dir = mkdtempSync(join(tmpdir(), "keel-secret-box-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("secret box", () => {
  const box = createSecretBox(Buffer.alloc(32, 7));

  it("seals a secret so that neither its text nor a repeat of it shows, and opens it again", () => {
    const sealed = box.seal("JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(box.seal("JBSWY3DPEHPK3PXP")).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed)).toBe("JBSWY3DPEHPK3PXP");
  });

  it("refuses a tampered value and another key's value", () => {
    const sealed = box.seal("client-secret");
    const parts = sealed.split(".");
    const data = Buffer.from(parts[3] ?? "", "base64url");
    data[0] = (data[0] ?? 0) ^ 1;
    expect(() => box.open([parts[0], parts[1], parts[2], data.toString("base64url")].join("."))).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
    expect(() => box.open("plain text")).toThrow("not a sealed secret");
  });

  it("reads ENCRYPTION_KEY as hex or base64", () => {
    const key = Buffer.alloc(32, 9);
    expect(parseEncryptionKey(key.toString("hex"))).toEqual(key);
    expect(parseEncryptionKey(key.toString("base64"))).toEqual(key);
  });

  it("without ENCRYPTION_KEY, creates one key file readable by its owner only and reads it back", () => {
    const first = loadEncryptionKey({ encryptionKey: undefined, dataDir: dir });
    const second = loadEncryptionKey({ encryptionKey: undefined, dataDir: dir });
    expect(second).toEqual(first);
    expect(first).toHaveLength(32);
    const file = join(dir, "encryption.key");
    expect(readFileSync(file, "utf8")).toBe(first.toString("hex"));
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});

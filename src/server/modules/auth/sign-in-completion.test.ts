import { eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, createUser, testDatabase, testPassword } from "../../test/create-test-app.ts";
import { mailOutbox } from "../mail/mail.table.ts";
import { networkOf } from "./sign-in-completion.ts";

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const laptop = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";
const phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 19_0) Safari/605.1";

async function signInFrom(email: string, remoteAddress: string, userAgent: string) {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/auth/sign-in",
    payload: { email, password: testPassword },
    headers: { "user-agent": userAgent },
    remoteAddress,
  });
  expect(response.statusCode).toBe(200);
}

/** The new-sign-in alerts sent to an address so far; they go out after the answer, so this waits a little. */
async function alertsTo(email: string, expected: number): Promise<string[]> {
  const { db } = await testDatabase();
  let bodies: string[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    const rows = await db
      .select({ subject: mailOutbox.subject, text: mailOutbox.textBody })
      .from(mailOutbox)
      .where(eq(sql`lower(${mailOutbox.toAddress})`, email.toLowerCase()));
    bodies = rows.filter((r) => r.subject === "New sign-in to your Keel account").map((r) => r.text);
    if (bodies.length >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return bodies;
}

describe("new-device sign-in alerts", () => {
  it("e-mails the user on a sign-in from a new browser or network, not on a first or known one", async () => {
    const user = await createUser("Ada");
    await signInFrom(user.email, "198.51.100.7", laptop); // first ever: the account just began
    await signInFrom(user.email, "198.51.100.99", laptop); // same browser, same network
    expect(await alertsTo(user.email, 1)).toEqual([]);

    await signInFrom(user.email, "198.51.100.7", phone); // new browser
    const [alert] = await alertsTo(user.email, 1);
    expect(alert).toContain("198.51.100.7");
    expect(alert).toContain("iPhone");
    expect(alert).not.toContain(testPassword);

    await signInFrom(user.email, "203.0.113.5", laptop); // known browser, new network
    expect(await alertsTo(user.email, 2)).toHaveLength(2);
  });

  it("sends nothing for failed sign-ins", async () => {
    const user = await createUser("Grace");
    await signInFrom(user.email, "198.51.100.7", laptop);
    const failed = await app.inject({
      method: "POST",
      url: "/api/v1/auth/sign-in",
      payload: { email: user.email, password: "wrong-password-123" },
      headers: { "user-agent": phone },
      remoteAddress: "203.0.113.9",
    });
    expect(failed.statusCode).toBe(401);
    expect(await alertsTo(user.email, 1)).toEqual([]);
  });
});

describe("networkOf", () => {
  it("groups IPv4 by /24, IPv4-mapped addresses alike, and IPv6 by /48", () => {
    expect(networkOf("198.51.100.7")).toBe("198.51.100");
    expect(networkOf("::ffff:198.51.100.200")).toBe("198.51.100");
    expect(networkOf("2001:DB8:1:2::5")).toBe("2001:db8:1");
    expect(networkOf("2001:db8:2::5")).not.toBe(networkOf("2001:db8:1::5"));
    expect(networkOf(null)).toBe("");
  });
});

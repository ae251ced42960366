import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { deliveryHeaders, newWebhookSecret, signatureOf } from "./webhooks.signing.ts";

describe("webhook signing", () => {
  it("makes secrets of 32 random bytes in the whsec_ form, never the same twice", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it("signs as the Standard Webhooks reference library does, keyed with the secret's decoded bytes", () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: "deal.won", timestamp: "2026-03-01T10:00:00.000Z", data: { id: "d1" } });
    const reference = new Webhook(secret).sign("evt_1", new Date(1_772_359_200 * 1000), body);
    expect(signatureOf(secret, "evt_1", 1_772_359_200, body)).toBe(reference);
  });

  it("matches the specification's published example", () => {
    const body = '{"test": 2432232314}';
    expect(
      signatureOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
    ).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("builds headers that the reference library verifies", () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: "webhook.test", timestamp: new Date().toISOString(), data: {} });
    const headers = deliveryHeaders({ secret, id: "evt_2", timestamp: Math.floor(Date.now() / 1000), body });
    expect(headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "Keel-Webhooks/1",
      "webhook-id": "evt_2",
    });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body.replace("{}", '{"x":1}'), headers)).toThrow();
  });

  it("refuses a secret that is not in the whsec_ form", () => {
    expect(() => signatureOf("plain-text", "evt_3", 1, "{}")).toThrow("whsec_");
  });
});

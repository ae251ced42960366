import { createHmac, randomBytes } from "node:crypto";

const secretPrefix = "whsec_";

/** What receivers see as the sender of every delivery. */
export const webhookUserAgent = "Keel-Webhooks/1";

/** A new endpoint secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return secretPrefix + randomBytes(32).toString("base64");
}

/**
 * The `webhook-signature` of a delivery: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`,
 * keyed with the secret's bytes (the base64 after `whsec_`, not the text of the secret).
 */
export function signatureOf(secret: string, id: string, timestamp: number, body: string): string {
  if (!secret.startsWith(secretPrefix)) throw new TypeError("A webhook secret starts with whsec_.");
  const key = Buffer.from(secret.slice(secretPrefix.length), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/**
 * The headers of one delivery attempt. `id` is the event's, the same on every retry, so receivers
 * can drop duplicates; `timestamp` (unix seconds) is the attempt's, so a retry days later is not
 * rejected as a replay by receivers that refuse old timestamps.
 */
export function deliveryHeaders({
  secret,
  id,
  timestamp,
  body,
}: {
  secret: string;
  id: string;
  timestamp: number;
  body: string;
}): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": webhookUserAgent,
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatureOf(secret, id, timestamp, body),
  };
}

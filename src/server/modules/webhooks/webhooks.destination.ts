import { invalidField } from "../../lib/errors.ts";
import { describeKind } from "../../lib/outbound/addresses.ts";
import {
  DestinationRefusedError,
  checkDestination,
  type OutboundRules,
  type Refusal,
} from "../../lib/outbound/destination.ts";

/**
 * Checks the URL of an endpoint being created or changed (lib/outbound/destination.ts: http or
 * https, no user name or password, every address its host resolves to public unless the host is
 * in WEBHOOK_ALLOWED_HOSTS). Answers the parsed URL; throws a `validation` AppError on the `url`
 * field, whose message says what is wrong.
 */
export async function checkWebhookUrl(url: string, rules: OutboundRules): Promise<URL> {
  try {
    return (await checkDestination(url, rules)).url;
  } catch (error) {
    if (error instanceof DestinationRefusedError) throw invalidField("url", webhookRefusalMessage(error.refusal));
    throw error;
  }
}

/** The sentence shown to the person who typed the URL. */
function webhookRefusalMessage(refusal: Refusal): string {
  switch (refusal.kind) {
    case "invalid-url":
      return "Enter a full URL, such as https://example.com/webhooks.";
    case "scheme":
    case "plain-http":
      return "Use an https:// or http:// URL.";
    case "credentials":
      return "Remove the user name and password from the URL: receivers check each delivery's signature instead.";
    case "host-not-found":
      return `The host ${refusal.hostname} could not be found.`;
    case "address":
      return `The URL's host ${refusal.verb} ${describeKind(refusal.range)}; webhooks are sent only to public addresses.`;
  }
}

import { z } from "zod";
import { roles } from "../permissions.ts";
import { requiredText } from "./common.ts";

/**
 * Why an issuer URL is refused, or null when it is acceptable: https or http, without
 * credentials, query or fragment, as OpenID Connect Discovery requires. The server decides the
 * rest, which it alone knows (sso.issuer.ts): no internal addresses, and in production plain http
 * only for the hosts it allows.
 */
export function issuerProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Must be a URL such as https://login.example.com";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return "Must be an https URL (or http where the server allows it)";
  }
  if (url.username || url.password || url.search || url.hash || text.includes("#") || text.includes("?")) {
    return "Must have no user name, query or fragment";
  }
  return null;
}

/**
 * A provider's Issuer Identifier: what its /.well-known/openid-configuration is found under. A
 * lone trailing slash is dropped (`https://idp.example/` is `https://idp.example`), so that one
 * provider is always spelt one way; after a path it counts, as it does for the provider.
 */
export const IssuerSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(500, "At most 500 characters")
  .superRefine((value, ctx) => {
    const problem = issuerProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((value) => (URL.canParse(value) && new URL(value).pathname === "/" ? value.replace(/\/$/, "") : value));

/** An e-mail domain as a lower-case host name with at least one dot (IDNs in their xn-- form). */
const domainPattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const EmailDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(domainPattern, "Must be a domain name such as example.com");

/** How many e-mail domains one workspace may allow. */
export const maxAllowedDomains = 100;

/** Body of PUT /sso: the whole settings; `clientSecret` omitted keeps the stored one. */
export const SaveSsoSettingsSchema = z.strictObject({
  issuer: IssuerSchema.describe(
    "The provider's Issuer Identifier, e.g. https://login.example.com; in production https, unless its " +
      "host is in SSO_ALLOWED_HOSTS",
  ),
  clientId: requiredText(500).describe("The client id Keel is registered under at the provider"),
  clientSecret: z
    .string()
    .min(1, "Required")
    .max(1000, "At most 1000 characters")
    .optional()
    .describe("The client secret; required when single sign-on is first set up, omitted keeps the stored one"),
  allowedDomains: z
    .array(EmailDomainSchema)
    .max(maxAllowedDomains, `At most ${maxAllowedDomains} domains`)
    .transform((domains) => [...new Set(domains)])
    .describe("E-mail domains whose users may sign in (lower case); empty: any verified e-mail"),
  defaultRole: z.enum(roles).describe("The role of members who join by signing in"),
  enabled: z.boolean().describe("Whether members can sign in with the provider now"),
});
export type SaveSsoSettings = z.infer<typeof SaveSsoSettingsSchema>;

/** Where the admin points the provider, and the link members sign in with. */
export const SsoLinksSchema = z.object({
  redirectUri: z.string().describe("The redirect URI to register at the provider"),
  signInUrl: z.string().describe("Opening this link signs a member in through the provider"),
});
export type SsoLinks = z.infer<typeof SsoLinksSchema>;

/** The workspace's single sign-on settings, as answered: never the client secret. */
export const SsoSettingsSchema = SsoLinksSchema.extend({
  issuer: z.string(),
  clientId: z.string(),
  hasClientSecret: z.boolean().describe("A client secret is stored; it is never answered"),
  allowedDomains: z.array(z.string()),
  defaultRole: z.enum(roles),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type SsoSettings = z.infer<typeof SsoSettingsSchema>;

/** A workspace's sign-in name (its slug), as URLs carry it. */
export const WorkspaceSlugSchema = z
  .string()
  .min(1, "Required")
  .max(200, "At most 200 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Must be lower-case letters, digits and hyphens");

export const SsoSlugParamsSchema = z.object({ workspaceSlug: WorkspaceSlugSchema });

/** A path of this site (`/deals?mode=kanban`), never another site's URL: no open redirects. */
export function isSameSitePath(value: string): boolean {
  const hasControlCharacter = [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || hasControlCharacter) return false;
  try {
    const base = "http://keel.invalid";
    return new URL(value, base).origin === base;
  } catch {
    return false;
  }
}

export const SsoStartQuerySchema = z.strictObject({
  redirect: z
    .string()
    .max(2000, "At most 2000 characters")
    .refine(isSameSitePath, "Must be a path of this site, such as /deals")
    .optional()
    .describe("Where to land after signing in: a path of this site; `/` when omitted"),
});

/** What the provider sends back to the callback (RFC 6749 §4.1.2, RFC 9207 `iss`); other keys are ignored. */
const callbackValue = z.string().max(4000, "At most 4000 characters").optional();
export const SsoCallbackQuerySchema = z.looseObject({
  code: callbackValue,
  state: callbackValue,
  iss: callbackValue,
  error: callbackValue,
  error_description: callbackValue,
});

/**
 * Why a sign-in through the provider failed: the callback redirects to `/sign-in?sso_error=<code>`,
 * and the sign-in page shows the message.
 */
export const ssoErrorMessages = {
  "invalid-state": "This sign-in link is no longer valid. Start signing in again.",
  "expired-state": "Signing in took too long. Start again.",
  "sso-unavailable": "Single sign-on is not available for this workspace any more. Ask its admin.",
  "provider-error": "Your identity provider did not sign you in. Try again, or ask your workspace admin.",
  "email-not-verified": "Your identity provider did not confirm your e-mail address, so Keel cannot sign you in.",
  "domain-not-allowed": "Your e-mail domain is not allowed to sign in to this workspace.",
  "account-refused": "Your account cannot sign in to this workspace. Ask its admin.",
  "other-workspaces":
    "Your account also belongs to workspaces that do not use this identity provider: sign in with your password.",
} as const;
export type SsoErrorCode = keyof typeof ssoErrorMessages;

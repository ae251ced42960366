import type { SsoErrorCode } from "../../../shared/schemas/sso.ts";
import { t } from "../../i18n/i18n.ts";

/** Why a sign-in through the workspace's provider failed, in words, for the codes the server sends back. */
export function ssoErrorText(code: string): string {
  const texts: Record<SsoErrorCode, string> = {
    "invalid-state": t("auth.ssoErrors.invalidState"),
    "expired-state": t("auth.ssoErrors.expiredState"),
    "sso-unavailable": t("auth.ssoErrors.ssoUnavailable"),
    "provider-error": t("auth.ssoErrors.providerError"),
    "email-not-verified": t("auth.ssoErrors.emailNotVerified"),
    "domain-not-allowed": t("auth.ssoErrors.domainNotAllowed"),
    "account-refused": t("auth.ssoErrors.accountRefused"),
    "other-workspaces": t("auth.ssoErrors.otherWorkspaces"),
  };
  return Object.hasOwn(texts, code) ? texts[code as SsoErrorCode] : t("auth.signIn.ssoFailed");
}

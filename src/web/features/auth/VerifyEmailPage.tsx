import { Link, useSearch } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { t } from "../../i18n/i18n.ts";
import { verifyEmail } from "./account.api.ts";
import { AuthCard, authButtonLinkClass, authLinkClass } from "./AuthCard.tsx";
import { AuthNotice } from "./AuthNotice.tsx";

type Outcome =
  | { state: "verifying" }
  | { state: "verified"; email: string }
  | { state: "invalid" }
  | { state: "failed"; message: string };

/**
 * One request per token for the page's whole life: React runs effects twice in development
 * (StrictMode) and a token works once, so a second POST would turn success into "invalid".
 */
const verifications = new Map<string, Promise<{ email: string }>>();

function verifyOnce(token: string): Promise<{ email: string }> {
  let verification = verifications.get(token);
  if (!verification) {
    verification = verifyEmail(token);
    verifications.set(token, verification);
  }
  return verification;
}

/** A refused token (used, expired, forged) answers 400 naming `token`; anything else may be tried again. */
function outcomeOf(error: unknown): Outcome {
  if (error instanceof ApiProblem && error.status === 400) return { state: "invalid" };
  if (error instanceof ApiProblem) return { state: "failed", message: error.message };
  return { state: "failed", message: t("auth.verifyEmail.unreachable") };
}

/** /verify-email?token=…: the link of the sign-up e-mail. Verifies on arrival, then offers to sign in. */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  const { token } = useSearch({ strict: false });
  const [attempt, setAttempt] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>(token ? { state: "verifying" } : { state: "invalid" });

  useEffect(() => {
    if (!token) return;
    let isCurrent = true;
    verifyOnce(token).then(
      ({ email }) => isCurrent && setOutcome({ state: "verified", email }),
      (error: unknown) => isCurrent && setOutcome(outcomeOf(error)),
    );
    return () => {
      isCurrent = false;
    };
  }, [token, attempt]);

  const retry = () => {
    if (token) verifications.delete(token);
    setOutcome({ state: "verifying" });
    setAttempt(attempt + 1);
  };

  switch (outcome.state) {
    case "verifying":
      return (
        <AuthCard title={t("auth.verifyEmail.verifyingTitle")}>
          <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
            {t("auth.verifyEmail.checking")}
          </p>
        </AuthCard>
      );
    case "verified":
      return (
        <AuthCard title={t("auth.verifyEmail.verifiedTitle")}>
          <AuthNotice>
            <Trans
              i18nKey="auth.verifyEmail.verified"
              values={{ email: outcome.email }}
              components={{ strong: <strong className="break-all" /> }}
            />
          </AuthNotice>
          <Link to="/sign-in" search={{ redirect: undefined }} className={authButtonLinkClass}>
            {t("auth.link.signIn")}
          </Link>
        </AuthCard>
      );
    case "invalid":
      return (
        <AuthCard
          title={t("auth.link.brokenTitle")}
          footer={
            <>
              <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
                {t("auth.link.signIn")}
              </Link>
              <Link to="/sign-up" search={{ token: undefined }} className={authLinkClass}>
                {t("auth.verifyEmail.signUpAgain")}
              </Link>
            </>
          }
        >
          <AuthNotice tone="error">{t("auth.verifyEmail.brokenNotice")}</AuthNotice>
        </AuthCard>
      );
    case "failed":
      return (
        <AuthCard title={t("auth.verifyEmail.verifyingTitle")}>
          <AuthNotice tone="error">{t("auth.verifyEmail.failed", { message: outcome.message })}</AuthNotice>
          <Button variant="primary" onClick={retry}>
            {t("common.retry")}
          </Button>
        </AuthCard>
      );
  }
}

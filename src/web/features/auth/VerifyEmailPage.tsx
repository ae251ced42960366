import { Link, useSearch } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
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
  return { state: "failed", message: "Could not reach Keel. Check your connection." };
}

/** /verify-email?token=…: the link of the sign-up e-mail. Verifies on arrival, then offers to sign in. */
export function VerifyEmailPage() {
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
        <AuthCard title="Verifying your e-mail">
          <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
            Checking your link…
          </p>
        </AuthCard>
      );
    case "verified":
      return (
        <AuthCard title="Your e-mail is verified">
          <AuthNotice>
            <strong className="break-all">{outcome.email}</strong> is confirmed and your account is ready. Sign in with
            the password you chose.
          </AuthNotice>
          <Link to="/sign-in" search={{ redirect: undefined }} className={authButtonLinkClass}>
            Sign in
          </Link>
        </AuthCard>
      );
    case "invalid":
      return (
        <AuthCard
          title="This link does not work"
          footer={
            <>
              <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
                Sign in
              </Link>
              <Link to="/sign-up" search={{ token: undefined }} className={authLinkClass}>
                Sign up again
              </Link>
            </>
          }
        >
          <AuthNotice tone="error">
            This verification link is invalid or has expired (links work once, for 24 hours). If you have already
            followed it, your account exists: sign in. Otherwise, sign up again for a new link.
          </AuthNotice>
        </AuthCard>
      );
    case "failed":
      return (
        <AuthCard title="Verifying your e-mail">
          <AuthNotice tone="error">Your e-mail could not be verified just now: {outcome.message}</AuthNotice>
          <Button variant="primary" onClick={retry}>
            Try again
          </Button>
        </AuthCard>
      );
  }
}

import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { isSameSitePath, WorkspaceSlugSchema } from "../../../shared/schemas/sso.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { webConfig } from "../../config.ts";
import { AuthCard, authLinkClass } from "./AuthCard.tsx";

/** The last sign-in name used in this browser, offered again next time. */
const rememberedKey = "keel.sso.workspace";

/** `?workspace=` (a link an admin shared) or the name used last here. */
function initialName(): string {
  const given = new URLSearchParams(window.location.search).get("workspace");
  return given ?? localStorage.getItem(rememberedKey) ?? "";
}

/** Where to land after signing in: `?redirect=` when it is a path of this site. */
function redirectTarget(): string | null {
  const redirect = new URLSearchParams(window.location.search).get("redirect");
  return redirect && isSameSitePath(redirect) ? redirect : null;
}

/** The start of the workspace's sign-in: the browser goes there, and on to the provider. */
export function ssoStartUrl(slug: string, redirect: string | null): string {
  const query = redirect ? `?redirect=${encodeURIComponent(redirect)}` : "";
  return `${webConfig.apiBase}/auth/oidc/${encodeURIComponent(slug)}/start${query}`;
}

/**
 * Why the start would refuse this browser, or null when it sends it on to the provider. Asked
 * without following the redirect, so that an unknown name is explained here rather than by a page
 * of JSON; the browser then opens the start itself (a full page load: the provider's pages).
 */
async function startProblem(url: string): Promise<string | null> {
  try {
    const response = await fetch(url, { redirect: "manual", credentials: "same-origin" });
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) return null;
    if (response.status === 404) {
      return "No workspace with this sign-in name uses single sign-on. Check the name with your workspace’s admin.";
    }
    if (response.status === 400) return "That is not a sign-in name: use the one your admin gave you.";
    return "Keel could not start signing in. Try again in a moment.";
  } catch {
    return "Keel could not be reached. Check your connection and try again.";
  }
}

/** Sign in through the workspace's identity provider: the workspace's sign-in name, then the provider. */
export function SsoSignInPage() {
  const [name, setName] = useState(initialName);
  const [error, setError] = useState<string | undefined>();
  const [isStarting, setStarting] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = WorkspaceSlugSchema.safeParse(name.trim().toLowerCase());
    if (!parsed.success) {
      setError(
        name.trim()
          ? "A sign-in name has only letters, digits and hyphens, such as acme-1a2b3c4d."
          : "Give your workspace’s sign-in name.",
      );
      return;
    }
    setError(undefined);
    setStarting(true);
    const url = ssoStartUrl(parsed.data, redirectTarget());
    const problem = await startProblem(url);
    if (problem) {
      setError(problem);
      setStarting(false);
      return;
    }
    localStorage.setItem(rememberedKey, parsed.data);
    window.location.assign(url);
  };

  return (
    <AuthCard
      title="Sign in with single sign-on"
      description="Your workspace’s admin has connected Keel to your organisation’s identity provider. You sign in there."
      footer={
        <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
          Sign in with e-mail and password instead
        </Link>
      }
    >
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="flex flex-col gap-4">
        <TextField
          label="Workspace sign-in name"
          hint="Your admin gives it to you, e.g. acme-1a2b3c4d: it is in your workspace’s sign-in link."
          error={error}
          value={name}
          onChange={(event) => setName(event.target.value)}
          autoComplete="organization"
          autoCapitalize="none"
          spellCheck={false}
        />
        <Button type="submit" variant="primary" disabled={isStarting}>
          {isStarting ? "Going to your provider…" : "Continue"}
        </Button>
      </form>
    </AuthCard>
  );
}

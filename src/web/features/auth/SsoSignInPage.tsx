import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { isSameSitePath, WorkspaceSlugSchema } from "../../../shared/schemas/sso.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { webConfig } from "../../config.ts";
import { t } from "../../i18n/i18n.ts";
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
      return t("auth.sso.notFound");
    }
    if (response.status === 400) return t("auth.sso.notAName");
    return t("auth.sso.couldNotStart");
  } catch {
    return t("auth.sso.unreachable");
  }
}

/** Sign in through the workspace's identity provider: the workspace's sign-in name, then the provider. */
export function SsoSignInPage() {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [error, setError] = useState<string | undefined>();
  const [isStarting, setStarting] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = WorkspaceSlugSchema.safeParse(name.trim().toLowerCase());
    if (!parsed.success) {
      setError(name.trim() ? t("auth.sso.invalidName") : t("auth.sso.missingName"));
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
      title={t("auth.sso.title")}
      description={t("auth.sso.description")}
      footer={
        <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
          {t("auth.sso.passwordInstead")}
        </Link>
      }
    >
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="flex flex-col gap-4">
        <TextField
          label={t("auth.sso.name")}
          hint={t("auth.sso.nameHint")}
          error={error}
          value={name}
          onChange={(event) => setName(event.target.value)}
          autoComplete="organization"
          autoCapitalize="none"
          spellCheck={false}
        />
        <Button type="submit" variant="primary" disabled={isStarting}>
          {isStarting ? t("auth.sso.going") : t("auth.sso.continue")}
        </Button>
      </form>
    </AuthCard>
  );
}

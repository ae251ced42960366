import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Trans, useTranslation } from "react-i18next";
import { SignInSchema, type SignIn } from "../../../shared/schemas/auth.ts";
import { EmailSchema } from "../../../shared/schemas/common.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { labelOf } from "../../lib/format.ts";
import { bodyResolver } from "../../lib/forms.ts";
import { authOptionsQuery, isTwoFactorRequired, useSignIn } from "./session.ts";
import { ssoErrorText } from "./sso-errors.ts";
import { TwoFactorSignInForm } from "./TwoFactorSignInForm.tsx";

const linkClass = "text-accent-700 underline dark:text-sky-300";

/**
 * The sign-in body, with an e-mail address as sign-up takes it: the API answers a mistyped one
 * only "wrong e-mail or password" (it tells nobody which accounts exist), the form can say what is wrong.
 */
const SignInFormSchema = SignInSchema.extend({ email: SignInSchema.shape.email.pipe(EmailSchema) });

/** Sign-in: e-mail and password, then, for accounts with two-factor sign-in on, a code. */
export function SignInPage() {
  const { t } = useTranslation();
  const search = useSearch({ from: "/sign-in" });
  const navigate = useNavigate();
  const signIn = useSignIn();
  const options = useQuery(authOptionsQuery).data;
  const [needsCode, setNeedsCode] = useState(false);
  const form = useForm<SignIn>({
    resolver: bodyResolver(SignInFormSchema, (values: SignIn) => values, ["email", "password"]),
    defaultValues: { email: "", password: "" },
  });
  const { errors } = form.formState;

  const goOn = async () => {
    await navigate({ to: search.redirect ?? "/" });
  };

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      if (isTwoFactorRequired(await signIn.mutateAsync(values))) {
        setNeedsCode(true);
        return;
      }
      await goOn();
    } catch (error) {
      form.setError("root", { message: error instanceof ApiProblem ? error.message : t("auth.signIn.failed") });
    }
  });

  /** Back to the password: the challenge expired or was spent (the reason shows), or the user chose to. */
  const restart = (message?: string) => {
    setNeedsCode(false);
    form.resetField("password");
    if (message) form.setError("root", { message });
  };

  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-4 py-8">
      <div>
        <p className="text-2xl font-bold text-accent-600 dark:text-sky-400">Keel</p>
        <h1 className="text-xl font-semibold">
          {needsCode ? t("auth.signIn.twoFactorTitle") : t("auth.signIn.title")}
        </h1>
        {search.redirect && !needsCode && (
          <p className="text-sm text-slate-600 dark:text-slate-300">{t("auth.signIn.continueWhereYouWere")}</p>
        )}
        {search.sso_error && !needsCode && (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            {ssoErrorText(search.sso_error)}
          </p>
        )}
      </div>
      {needsCode ? (
        <TwoFactorSignInForm onSignedIn={goOn} onRestart={restart} />
      ) : (
        <>
          <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
            <TextField
              label={t("common.email")}
              type="email"
              autoComplete="username"
              error={errors.email?.message}
              {...form.register("email")}
            />
            <TextField
              label={t("auth.fields.password")}
              type="password"
              autoComplete="current-password"
              error={errors.password?.message}
              {...form.register("password")}
            />
            {errors.root && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {errors.root.message}
              </p>
            )}
            <Button type="submit" variant="primary" disabled={form.formState.isSubmitting}>
              {form.formState.isSubmitting ? t("auth.signIn.submitting") : t("auth.signIn.submit")}
            </Button>
            <Link to="/forgot-password" search={{ token: undefined }} className={`self-start text-sm ${linkClass}`}>
              {t("auth.signIn.forgotPassword")}
            </Link>
          </form>
          <nav aria-label={t("auth.signIn.otherWays")} className="flex flex-col gap-2 text-sm">
            <Link to="/sso" search={{ token: undefined }} className={linkClass}>
              {t("auth.signIn.withSso")}
            </Link>
            <p className="text-slate-600 dark:text-slate-300">
              {t("auth.signIn.newToKeel")}{" "}
              <Link to="/sign-up" search={{ token: undefined }} className={linkClass}>
                {t("auth.signIn.createAccount")}
              </Link>
            </p>
          </nav>
        </>
      )}
      {!needsCode && options && options.demoAccounts.length > 0 && (
        <section
          aria-labelledby="demo-accounts"
          className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700"
        >
          <h2 id="demo-accounts" className="font-medium">
            {t("auth.signIn.demoAccounts")}
          </h2>
          <p className="text-slate-600 dark:text-slate-300">
            <Trans
              i18nKey="auth.signIn.demoPassword"
              values={{ password: options.demoPassword }}
              components={{ code: <code /> }}
            />
          </p>
          <ul className="mt-2 flex flex-col gap-1">
            {options.demoAccounts.map((account) => (
              <li key={account.email}>
                <button
                  type="button"
                  className="w-full rounded px-2 py-1 text-left hover:bg-slate-100 dark:hover:bg-slate-800"
                  onClick={() => {
                    form.setValue("email", account.email);
                    form.setValue("password", options.demoPassword ?? "");
                  }}
                >
                  {t("auth.signIn.demoAccount", { role: labelOf(account.role), name: account.name })}{" "}
                  <span className="text-slate-600 dark:text-slate-400">({account.email})</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

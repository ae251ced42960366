import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { SignInSchema, type SignIn } from "../../../shared/schemas/auth.ts";
import { ssoErrorMessages } from "../../../shared/schemas/sso.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { labelOf } from "../../lib/format.ts";
import { bodyResolver } from "../../lib/forms.ts";
import { authOptionsQuery, isTwoFactorRequired, useSignIn } from "./session.ts";
import { TwoFactorSignInForm } from "./TwoFactorSignInForm.tsx";

const linkClass = "text-accent-700 underline dark:text-sky-300";

/** Sign-in: e-mail and password, then, for accounts with two-factor sign-in on, a code. */
export function SignInPage() {
  const search = useSearch({ from: "/sign-in" });
  const navigate = useNavigate();
  const signIn = useSignIn();
  const options = useQuery(authOptionsQuery).data;
  const [needsCode, setNeedsCode] = useState(false);
  const form = useForm<SignIn>({
    resolver: bodyResolver(SignInSchema, (values: SignIn) => values, ["email", "password"]),
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
      form.setError("root", { message: error instanceof ApiProblem ? error.message : "Could not sign in. Try again." });
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
        <h1 className="text-xl font-semibold">{needsCode ? "Two-factor sign-in" : "Sign in"}</h1>
        {search.redirect && !needsCode && (
          <p className="text-sm text-slate-600 dark:text-slate-300">Sign in to continue where you were.</p>
        )}
        {search.sso_error && !needsCode && (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            {Object.hasOwn(ssoErrorMessages, search.sso_error)
              ? ssoErrorMessages[search.sso_error as keyof typeof ssoErrorMessages]
              : "Single sign-on did not complete. Try again, or sign in with your password."}
          </p>
        )}
      </div>
      {needsCode ? (
        <TwoFactorSignInForm onSignedIn={goOn} onRestart={restart} />
      ) : (
        <>
          <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
            <TextField
              label="E-mail"
              type="email"
              autoComplete="username"
              error={errors.email?.message}
              {...form.register("email")}
            />
            <TextField
              label="Password"
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
              {form.formState.isSubmitting ? "Signing in…" : "Sign in"}
            </Button>
            <Link to="/forgot-password" search={{ token: undefined }} className={`self-start text-sm ${linkClass}`}>
              Forgot your password?
            </Link>
          </form>
          <nav aria-label="Other ways in" className="flex flex-col gap-2 text-sm">
            <Link to="/sso" search={{ token: undefined }} className={linkClass}>
              Sign in with single sign-on
            </Link>
            <p className="text-slate-600 dark:text-slate-300">
              New to Keel?{" "}
              <Link to="/sign-up" search={{ token: undefined }} className={linkClass}>
                Create an account
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
            Demo accounts
          </h2>
          <p className="text-slate-600 dark:text-slate-300">
            Password <code>{options.demoPassword}</code>. Choose one to fill the form:
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
                  {labelOf(account.role)}: {account.name}{" "}
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

import { useQueryClient } from "@tanstack/react-query";
import { Link, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { NewPasswordSchema } from "../../../shared/schemas/auth.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useResetPassword } from "./account.api.ts";
import { AuthCard, authButtonLinkClass, authLinkClass } from "./AuthCard.tsx";
import { AuthNotice } from "./AuthNotice.tsx";
import { NewPasswordField } from "./NewPasswordField.tsx";
import { meQuery } from "./session.ts";

type Values = { password: string };
const fieldNames = ["password"];
const resolver = bodyResolver<Values>(
  NewPasswordSchema,
  (values) => values.password,
  fieldNames,
  () => "password",
);

/** Whether a refusal is about the link (used, expired, forged) rather than the password. */
function isTokenProblem(error: unknown): boolean {
  return error instanceof ApiProblem && error.fieldErrors.some((e) => e.path === "token");
}

/** /reset-password?token=…: the link of the reset e-mail. A new password, then sign in with it. */
export function ResetPasswordPage() {
  const { token } = useSearch({ strict: false });
  const reset = useResetPassword();
  const client = useQueryClient();
  const [isDone, setDone] = useState(false);
  const [isLinkBroken, setLinkBroken] = useState(!token);
  const form = useForm<Values>({ resolver, defaultValues: { password: "" } });
  const { errors, isSubmitting } = form.formState;
  const password = useWatch({ control: form.control, name: "password" });

  const onSubmit = form.handleSubmit(async ({ password: chosen }) => {
    if (!token) return;
    try {
      await reset.mutateAsync({ token, password: chosen });
      // Every session of the account ended, this browser's too if it had one.
      await client.invalidateQueries({ queryKey: meQuery.queryKey });
      setDone(true);
    } catch (error) {
      if (isTokenProblem(error)) setLinkBroken(true);
      else applyServerErrors(form, error, fieldNames);
    }
  });

  const askAgain = (
    <Link to="/forgot-password" search={{ token: undefined }} className={authLinkClass}>
      Ask for a new link
    </Link>
  );

  if (isDone)
    return (
      <AuthCard title="Your password is changed">
        <AuthNotice>
          Sign in with your new password. For safety, every session of your account was signed out, and we sent you an
          e-mail about the change.
        </AuthNotice>
        <Link to="/sign-in" search={{ redirect: undefined }} className={authButtonLinkClass}>
          Sign in
        </Link>
      </AuthCard>
    );

  if (isLinkBroken)
    return (
      <AuthCard title="This link does not work" footer={askAgain}>
        <AuthNotice tone="error">
          This password reset link is invalid or has expired. A link works once, for one hour: ask for a new one.
        </AuthNotice>
      </AuthCard>
    );

  return (
    <AuthCard title="Choose a new password" footer={askAgain}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <NewPasswordField
          label="New password"
          password={password}
          error={errors.password?.message}
          {...form.register("password")}
        />
        <FormError message={errors.root?.message} />
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Set new password"}
        </Button>
      </form>
    </AuthCard>
  );
}

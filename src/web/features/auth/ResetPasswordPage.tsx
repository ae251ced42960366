import { useQueryClient } from "@tanstack/react-query";
import { Link, useSearch } from "@tanstack/react-router";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
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
  const { t } = useTranslation();
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
      {t("auth.resetPassword.askAgain")}
    </Link>
  );

  if (isDone)
    return (
      <AuthCard title={t("auth.resetPassword.doneTitle")}>
        <AuthNotice>{t("auth.resetPassword.doneNotice")}</AuthNotice>
        <Link to="/sign-in" search={{ redirect: undefined }} className={authButtonLinkClass}>
          {t("auth.link.signIn")}
        </Link>
      </AuthCard>
    );

  if (isLinkBroken)
    return (
      <AuthCard title={t("auth.link.brokenTitle")} footer={askAgain}>
        <AuthNotice tone="error">{t("auth.resetPassword.brokenNotice")}</AuthNotice>
      </AuthCard>
    );

  return (
    <AuthCard title={t("auth.resetPassword.title")} footer={askAgain}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <NewPasswordField
          label={t("auth.resetPassword.newPassword")}
          password={password}
          error={errors.password?.message}
          {...form.register("password")}
        />
        <FormError message={errors.root?.message} />
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? t("common.saving") : t("auth.resetPassword.submit")}
        </Button>
      </form>
    </AuthCard>
  );
}

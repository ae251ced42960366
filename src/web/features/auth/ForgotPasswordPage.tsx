import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Trans, useTranslation } from "react-i18next";
import { ForgotPasswordSchema } from "../../../shared/schemas/auth.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useForgotPassword } from "./account.api.ts";
import { AuthCard, authLinkClass } from "./AuthCard.tsx";
import { AuthNotice } from "./AuthNotice.tsx";

type Values = { email: string };
const fieldNames = ["email"];
const resolver = bodyResolver<Values>(ForgotPasswordSchema, (values) => values, fieldNames);

/** /forgot-password: e-mails a reset link. The answer is the same for any address, so it says "if". */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const forgot = useForgotPassword();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<Values>({ resolver, defaultValues: { email: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ email }) => {
    try {
      await forgot.mutateAsync(email);
      setSentTo(email);
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  const footer = (
    <p>
      {t("auth.forgotPassword.remembered")}{" "}
      <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
        {t("auth.link.signIn")}
      </Link>
    </p>
  );

  if (sentTo)
    return (
      <AuthCard title={t("auth.link.checkEmail")} footer={footer}>
        <AuthNotice>
          <Trans
            i18nKey="auth.forgotPassword.sent"
            values={{ email: sentTo }}
            components={{ strong: <strong className="break-all" /> }}
          />
        </AuthNotice>
      </AuthCard>
    );

  return (
    <AuthCard title={t("auth.forgotPassword.title")} description={t("auth.forgotPassword.description")} footer={footer}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <TextField
          label={t("common.email")}
          type="email"
          autoComplete="username"
          error={errors.email?.message}
          {...form.register("email")}
        />
        <FormError message={errors.root?.message} />
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? t("auth.forgotPassword.submitting") : t("auth.forgotPassword.submit")}
        </Button>
      </form>
    </AuthCard>
  );
}

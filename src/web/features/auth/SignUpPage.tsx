import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { Trans, useTranslation } from "react-i18next";
import { SignUpSchema, type SignUp } from "../../../shared/schemas/auth.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useSignUp } from "./account.api.ts";
import { AuthCard, authLinkClass } from "./AuthCard.tsx";
import { AuthNotice } from "./AuthNotice.tsx";
import { NewPasswordField } from "./NewPasswordField.tsx";
import { personalInputs } from "./password-strength.ts";

const fieldNames = ["name", "email", "password", "workspaceName"];
const resolver = bodyResolver<SignUp>(SignUpSchema, (values) => values, fieldNames);

/** /sign-up: create an account and its workspace; the account exists once the e-mailed link is followed. */
export function SignUpPage() {
  const { t } = useTranslation();
  const signUp = useSignUp();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<SignUp>({
    resolver,
    defaultValues: { name: "", email: "", password: "", workspaceName: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const [name, email, password] = useWatch({ control: form.control, name: ["name", "email", "password"] });

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await signUp.mutateAsync(values);
      setSentTo(values.email);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 403)
        form.setError("root", { message: t("auth.signUp.closed") });
      else applyServerErrors(form, error, fieldNames);
    }
  });

  const signInLink = (
    <p>
      {t("auth.signUp.alreadyHaveAccount")}{" "}
      <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
        {t("auth.link.signIn")}
      </Link>
    </p>
  );

  if (sentTo)
    return (
      <AuthCard title={t("auth.link.checkEmail")} footer={signInLink}>
        <AuthNotice>
          <Trans
            i18nKey="auth.signUp.sent"
            values={{ email: sentTo }}
            components={{ strong: <strong className="break-all" /> }}
          />
        </AuthNotice>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          <Trans
            i18nKey="auth.signUp.nothingArrived"
            components={{ retry: <button type="button" className={authLinkClass} onClick={() => setSentTo(null)} /> }}
          />
        </p>
      </AuthCard>
    );

  return (
    <AuthCard title={t("auth.signUp.title")} description={t("auth.signUp.description")} footer={signInLink}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <TextField
          label={t("auth.fields.yourName")}
          autoComplete="name"
          error={errors.name?.message}
          {...form.register("name")}
        />
        <TextField
          label={t("common.email")}
          type="email"
          autoComplete="email"
          error={errors.email?.message}
          {...form.register("email")}
        />
        <NewPasswordField
          label={t("auth.fields.password")}
          password={password}
          userInputs={personalInputs({ name, email })}
          error={errors.password?.message}
          {...form.register("password")}
        />
        <TextField
          label={t("auth.signUp.workspaceName")}
          autoComplete="organization"
          hint={t("auth.signUp.workspaceHint")}
          error={errors.workspaceName?.message}
          {...form.register("workspaceName")}
        />
        <FormError message={errors.root?.message} />
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? t("auth.signUp.submitting") : t("auth.signUp.submit")}
        </Button>
      </form>
    </AuthCard>
  );
}

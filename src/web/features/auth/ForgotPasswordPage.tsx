import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
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
      Remembered it?{" "}
      <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
        Sign in
      </Link>
    </p>
  );

  if (sentTo)
    return (
      <AuthCard title="Check your e-mail" footer={footer}>
        <AuthNotice>
          If an account exists for <strong className="break-all">{sentTo}</strong>, we sent it a link to choose a new
          password. The link works once, for one hour.
        </AuthNotice>
      </AuthCard>
    );

  return (
    <AuthCard
      title="Forgot your password?"
      description="Enter the e-mail address of your account and we will send you a link to choose a new password."
      footer={footer}
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <TextField
          label="E-mail"
          type="email"
          autoComplete="username"
          error={errors.email?.message}
          {...form.register("email")}
        />
        <FormError message={errors.root?.message} />
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Sending…" : "Send reset link"}
        </Button>
      </form>
    </AuthCard>
  );
}

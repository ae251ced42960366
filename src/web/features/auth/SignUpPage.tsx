import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
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

const closedMessage = "Sign-up is closed on this server. Ask a workspace admin to invite you.";

/** /sign-up: create an account and its workspace; the account exists once the e-mailed link is followed. */
export function SignUpPage() {
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
      if (error instanceof ApiProblem && error.status === 403) form.setError("root", { message: closedMessage });
      else applyServerErrors(form, error, fieldNames);
    }
  });

  const signInLink = (
    <p>
      Already have an account?{" "}
      <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
        Sign in
      </Link>
    </p>
  );

  if (sentTo)
    return (
      <AuthCard title="Check your e-mail" footer={signInLink}>
        <AuthNotice>
          We sent a link to <strong className="break-all">{sentTo}</strong>. Open it within 24 hours to create your
          account and your workspace.
        </AuthNotice>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Nothing arrived after a few minutes? Look in your spam folder, or{" "}
          <button type="button" className={authLinkClass} onClick={() => setSentTo(null)}>
            sign up again
          </button>{" "}
          with the right address.
        </p>
      </AuthCard>
    );

  return (
    <AuthCard
      title="Create your account"
      description="Your own Keel workspace, where you are the admin. Invite your team once you are in."
      footer={signInLink}
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <TextField label="Your name" autoComplete="name" error={errors.name?.message} {...form.register("name")} />
        <TextField
          label="E-mail"
          type="email"
          autoComplete="email"
          error={errors.email?.message}
          {...form.register("email")}
        />
        <NewPasswordField
          label="Password"
          password={password}
          userInputs={personalInputs({ name, email })}
          error={errors.password?.message}
          {...form.register("password")}
        />
        <TextField
          label="Workspace name"
          autoComplete="organization"
          hint="Your company or team; you can rename it later"
          error={errors.workspaceName?.message}
          {...form.register("workspaceName")}
        />
        <FormError message={errors.root?.message} />
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Creating…" : "Create account"}
        </Button>
      </form>
    </AuthCard>
  );
}

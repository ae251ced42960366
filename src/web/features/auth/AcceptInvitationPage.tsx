import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import type { Role } from "../../../shared/permissions.ts";
import { AcceptInvitationSchema, type InvitationPreview } from "../../../shared/schemas/invitation.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useAcceptInvitation, useInvitationPreview } from "../settings/invitations.api.ts";
import { AuthCard, authLinkClass } from "./AuthCard.tsx";
import { AuthNotice } from "./AuthNotice.tsx";
import { NewPasswordField } from "./NewPasswordField.tsx";
import { personalInputs } from "./password-strength.ts";
import { useMe } from "./session.ts";

/** "an agent", "a viewer". */
function withArticle(role: Role): string {
  return `${/^[aeiou]/.test(role) ? "an" : "a"} ${role}`;
}

/**
 * The page of an invitation link (/accept-invitation?token=…): shows the workspace and role,
 * then either joins with the existing account (no password: the link proves the mailbox) or
 * creates the account with a name and password and signs it in.
 */
export function AcceptInvitationPage() {
  const { token } = useSearch({ from: "/accept-invitation" });
  const preview = useInvitationPreview(token);

  if (token && preview.isPending) {
    return (
      <AuthCard title="Join a workspace">
        <SkeletonRows rows={3} />
      </AuthCard>
    );
  }
  if (!token || (preview.error instanceof ApiProblem && preview.error.status === 400)) {
    return (
      <AuthCard
        title="This invitation link doesn’t work"
        footer={
          <p>
            Already a member?{" "}
            <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
              Sign in
            </Link>
          </p>
        }
      >
        <AuthNotice tone="error">
          It has expired, was revoked or replaced by a newer invitation, or was used already. Ask whoever invited you to
          send a new one.
        </AuthNotice>
      </AuthCard>
    );
  }
  if (!preview.data) {
    return (
      <AuthCard title="Join a workspace">
        <ErrorMessage error={preview.error} onRetry={() => void preview.refetch()} />
      </AuthCard>
    );
  }
  const invitation = preview.data;
  return (
    <AuthCard title={`Join ${invitation.workspaceName} as ${withArticle(invitation.role)}`}>
      {invitation.accountExists ? (
        <JoinWithAccount token={token} invitation={invitation} />
      ) : (
        <CreateAccount token={token} invitation={invitation} />
      )}
    </AuthCard>
  );
}

type StepProps = { token: string; invitation: InvitationPreview };

/** An existing account joins with one click; then into the app when signed in as it, else to sign-in. */
function JoinWithAccount({ token, invitation }: StepProps) {
  const me = useMe();
  const navigate = useNavigate();
  const accept = useAcceptInvitation();
  const isInvitee = me?.user.email.toLowerCase() === invitation.email;
  const join = () =>
    accept.mutate(
      { token },
      {
        onSuccess: async (accepted) => {
          if (isInvitee) {
            toast.success(`You joined ${accepted.workspaceName}.`);
            await navigate({ to: "/" });
          } else {
            toast.success(`You joined ${accepted.workspaceName}. Sign in to continue.`);
            await navigate({ to: "/sign-in", search: { redirect: undefined } });
          }
        },
      },
    );
  return (
    <div className="flex flex-col gap-4">
      <p className="text-slate-700 dark:text-slate-200">
        {isInvitee ? (
          <>You are signed in as {invitation.email}.</>
        ) : (
          <>
            The invitation is for your Keel account <strong className="break-all">{invitation.email}</strong>. Join,
            then sign in with it as usual.
          </>
        )}
      </p>
      {me && !isInvitee && (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          You are signed in as <span className="break-all">{me.user.email}</span>, a different account.
        </p>
      )}
      <FormError message={accept.error?.message} />
      <Button variant="primary" disabled={accept.isPending} onClick={join}>
        {accept.isPending ? "Joining…" : `Join ${invitation.workspaceName}`}
      </Button>
    </div>
  );
}

type AccountValues = { name: string; password: string };
const fieldNames = ["name", "password"];

/** A new account: the invitee chooses a name and password, and is signed in once it is created. */
function CreateAccount({ token, invitation }: StepProps) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation();
  const form = useForm<AccountValues>({
    resolver: bodyResolver(AcceptInvitationSchema, (values: AccountValues) => ({ token, ...values }), fieldNames),
    defaultValues: { name: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const [name, password] = useWatch({ control: form.control, name: ["name", "password"] });

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const accepted = await accept.mutateAsync({ token, ...values });
      toast.success(`Welcome to ${accepted.workspaceName}.`);
      await navigate({ to: "/" });
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <p className="text-slate-700 dark:text-slate-200">Create your Keel account to join.</p>
      {/* Read-only, for password managers: the account's user name is the invited address. */}
      <TextField label="E-mail" type="email" autoComplete="username" value={invitation.email} readOnly />
      <TextField label="Your name" autoComplete="name" error={errors.name?.message} {...form.register("name")} />
      <NewPasswordField
        label="Password"
        password={password}
        userInputs={personalInputs({ name, email: invitation.email })}
        error={errors.password?.message}
        {...form.register("password")}
      />
      <FormError message={errors.root?.message} />
      <Button type="submit" variant="primary" disabled={isSubmitting}>
        {isSubmitting ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}

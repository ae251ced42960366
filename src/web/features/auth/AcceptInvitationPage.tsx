import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useForm, useWatch } from "react-hook-form";
import { Trans, useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { Role } from "../../../shared/permissions.ts";
import { AcceptInvitationSchema, type InvitationPreview } from "../../../shared/schemas/invitation.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { t } from "../../i18n/i18n.ts";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useAcceptInvitation, useInvitationPreview } from "../settings/invitations.api.ts";
import { AuthCard, authLinkClass } from "./AuthCard.tsx";
import { AuthNotice } from "./AuthNotice.tsx";
import { NewPasswordField } from "./NewPasswordField.tsx";
import { personalInputs } from "./password-strength.ts";
import { useMe } from "./session.ts";

/** "an agent", "a viewer" (in German the role's name alone). */
function withArticle(role: Role): string {
  const roles: Record<Role, string> = {
    admin: t("auth.invitation.asRole.admin"),
    manager: t("auth.invitation.asRole.manager"),
    agent: t("auth.invitation.asRole.agent"),
    viewer: t("auth.invitation.asRole.viewer"),
  };
  return roles[role];
}

/**
 * The page of an invitation link (/accept-invitation?token=…): shows the workspace and role,
 * then either joins with the existing account (no password: the link proves the mailbox) or
 * creates the account with a name and password and signs it in.
 */
export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const { token } = useSearch({ from: "/accept-invitation" });
  const preview = useInvitationPreview(token);

  if (token && preview.isPending) {
    return (
      <AuthCard title={t("auth.invitation.joinTitle")}>
        <SkeletonRows rows={3} />
      </AuthCard>
    );
  }
  if (!token || (preview.error instanceof ApiProblem && preview.error.status === 400)) {
    return (
      <AuthCard
        title={t("auth.invitation.brokenTitle")}
        footer={
          <p>
            {t("auth.invitation.alreadyMember")}{" "}
            <Link to="/sign-in" search={{ redirect: undefined }} className={authLinkClass}>
              {t("auth.link.signIn")}
            </Link>
          </p>
        }
      >
        <AuthNotice tone="error">{t("auth.invitation.brokenNotice")}</AuthNotice>
      </AuthCard>
    );
  }
  if (!preview.data) {
    return (
      <AuthCard title={t("auth.invitation.joinTitle")}>
        <ErrorMessage error={preview.error} onRetry={() => void preview.refetch()} />
      </AuthCard>
    );
  }
  const invitation = preview.data;
  return (
    <AuthCard
      title={t("auth.invitation.title", { workspace: invitation.workspaceName, role: withArticle(invitation.role) })}
    >
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
  const { t } = useTranslation();
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
            toast.success(t("auth.invitation.joined", { workspace: accepted.workspaceName }));
            await navigate({ to: "/" });
          } else {
            toast.success(t("auth.invitation.joinedSignIn", { workspace: accepted.workspaceName }));
            await navigate({ to: "/sign-in", search: { redirect: undefined } });
          }
        },
      },
    );
  return (
    <div className="flex flex-col gap-4">
      <p className="text-slate-700 dark:text-slate-200">
        {isInvitee ? (
          t("auth.invitation.signedInAs", { email: invitation.email })
        ) : (
          <Trans
            i18nKey="auth.invitation.forYourAccount"
            values={{ email: invitation.email }}
            components={{ strong: <strong className="break-all" /> }}
          />
        )}
      </p>
      {me && !isInvitee && (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          <Trans
            i18nKey="auth.invitation.differentAccount"
            values={{ email: me.user.email }}
            components={{ email: <span className="break-all" /> }}
          />
        </p>
      )}
      <FormError message={accept.error?.message} />
      <Button variant="primary" disabled={accept.isPending} onClick={join}>
        {accept.isPending
          ? t("auth.invitation.joining")
          : t("auth.invitation.join", { workspace: invitation.workspaceName })}
      </Button>
    </div>
  );
}

type AccountValues = { name: string; password: string };
const fieldNames = ["name", "password"];

/** A new account: the invitee chooses a name and password, and is signed in once it is created. */
function CreateAccount({ token, invitation }: StepProps) {
  const { t } = useTranslation();
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
      toast.success(t("auth.invitation.welcome", { workspace: accepted.workspaceName }));
      await navigate({ to: "/" });
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <p className="text-slate-700 dark:text-slate-200">{t("auth.invitation.createToJoin")}</p>
      {/* Read-only, for password managers: the account's user name is the invited address. */}
      <TextField label={t("common.email")} type="email" autoComplete="username" value={invitation.email} readOnly />
      <TextField
        label={t("auth.fields.yourName")}
        autoComplete="name"
        error={errors.name?.message}
        {...form.register("name")}
      />
      <NewPasswordField
        label={t("auth.fields.password")}
        password={password}
        userInputs={personalInputs({ name, email: invitation.email })}
        error={errors.password?.message}
        {...form.register("password")}
      />
      <FormError message={errors.root?.message} />
      <Button type="submit" variant="primary" disabled={isSubmitting}>
        {isSubmitting ? t("auth.invitation.creatingAccount") : t("auth.invitation.createAndJoin")}
      </Button>
    </form>
  );
}

import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { Role } from "../../../shared/permissions.ts";
import {
  CreateInvitationSchema,
  invitableRoles,
  invitationStatuses,
  type CreateInvitation,
  type InvitationStatus,
} from "../../../shared/schemas/invitation.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { formatDate, labelOf } from "../../lib/format.ts";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useCan, useMe } from "../auth/session.ts";
import { useCreateInvitation, useInvitations, useRevokeInvitation, type InvitationRow } from "./invitations.api.ts";

const statusClass: Record<InvitationStatus, string> = {
  pending: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-100",
  accepted: "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100",
  revoked: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
  expired: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
};

function StatusBadge({ status }: { status: InvitationStatus }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${statusClass[status]}`}>{labelOf(status)}</span>;
}

const fieldNames = ["email", "role"];

/** The invite form: an address and one of the roles the signed-in role may invite. */
function InviteForm({ roles }: { roles: Role[] }) {
  const { t } = useTranslation();
  const create = useCreateInvitation();
  const form = useForm<CreateInvitation>({
    resolver: bodyResolver(CreateInvitationSchema, (values: CreateInvitation) => values, fieldNames),
    defaultValues: { email: "", role: roles.includes("agent") ? "agent" : roles[0] },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const invitation = await create.mutateAsync(values);
      toast.success(t("settings.invitations.sent", { email: invitation.email }));
      form.reset({ email: "", role: values.role });
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <section aria-labelledby="invite-heading" className="border-b border-slate-200 px-4 py-4 dark:border-slate-800">
      <h2 id="invite-heading" className="mb-1 font-semibold">
        {t("settings.invitations.inviteTitle")}
      </h2>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">{t("settings.invitations.inviteText")}</p>
      <form
        onSubmit={onSubmit}
        noValidate
        className="grid gap-3 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] md:items-start"
      >
        <TextField
          label={t("common.email")}
          type="email"
          autoComplete="off"
          error={errors.email?.message}
          {...form.register("email")}
        />
        <SelectField
          label={t("settings.invitations.role")}
          options={roles.map((role) => ({ value: role, label: labelOf(role) }))}
          error={errors.role?.message}
          {...form.register("role")}
        />
        <Button type="submit" variant="primary" disabled={isSubmitting} className="md:mt-6">
          {isSubmitting ? t("settings.invitations.sending") : t("settings.invitations.send")}
        </Button>
        <div className="md:col-span-3">
          <FormError message={errors.root?.message} />
        </div>
      </form>
    </section>
  );
}

/** Settings → Invitations: invite people by e-mail, see every invitation's status, resend or revoke. */
export function InvitationsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const [status, setStatus] = useState<InvitationStatus | "">("");
  const invitations = useInvitations(status || undefined, { enabled: can("read", "invitation") });
  const create = useCreateInvitation();
  const revoke = useRevokeInvitation();
  const [revoking, setRevoking] = useState<InvitationRow | null>(null);

  if (!can("read", "invitation"))
    return (
      <>
        <PageHeader title={t("settings.invitations.title")} />
        <EmptyState title={t("settings.invitations.onlyAdmins")} />
      </>
    );

  const roles = can("create", "invitation") ? invitableRoles(me?.role) : [];
  const mayHandle = (row: InvitationRow) => roles.includes(row.role);

  const resend = (row: InvitationRow) =>
    create.mutate(
      { email: row.email, role: row.role },
      {
        onSuccess: () => toast.success(t("settings.invitations.resent", { email: row.email })),
        // Problems naming a field (a member already) have no form to show them here; others the client toasts.
        onError: (error) => {
          if (error instanceof ApiProblem && error.fieldErrors.length > 0) {
            toast.error(t("settings.invitations.couldNotResend", { email: row.email, message: error.message }));
          }
        },
      },
    );

  const actions = (row: InvitationRow) => {
    if (!mayHandle(row) || row.status === "accepted") return null;
    return (
      <div className="flex flex-wrap justify-end gap-2">
        <Button
          size="sm"
          aria-label={t("settings.invitations.resendLabel", { email: row.email })}
          disabled={create.isPending}
          onClick={() => resend(row)}
        >
          {t("settings.invitations.resend")}
        </Button>
        {row.status === "pending" && can("delete", "invitation") && (
          <Button
            variant="danger"
            size="sm"
            aria-label={t("settings.invitations.revokeLabel", { email: row.email })}
            onClick={() => setRevoking(row)}
          >
            {t("settings.invitations.revoke")}
          </Button>
        )}
      </div>
    );
  };

  const emptyByStatus: Record<InvitationStatus, string> = {
    pending: t("settings.invitations.emptyByStatus.pending"),
    accepted: t("settings.invitations.emptyByStatus.accepted"),
    revoked: t("settings.invitations.emptyByStatus.revoked"),
    expired: t("settings.invitations.emptyByStatus.expired"),
  };
  const rows = invitations.data?.pages.flatMap((page) => page.data) ?? [];
  let body;
  if (invitations.isPending) body = <SkeletonRows rows={4} />;
  else if (invitations.isError)
    body = <ErrorMessage error={invitations.error} onRetry={() => void invitations.refetch()} />;
  else if (rows.length === 0)
    body = <EmptyState title={status ? emptyByStatus[status] : t("settings.invitations.empty")} />;
  else
    body = (
      <>
        <table className="hidden w-full text-sm md:table">
          <caption className="sr-only">{t("settings.invitations.title")}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-left dark:border-slate-700">
              {[
                t("common.email"),
                t("settings.invitations.role"),
                t("common.status"),
                t("settings.invitations.invitedBy"),
                t("settings.invitations.sentAt"),
                t("settings.invitations.expires"),
              ].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium">
                  {h}
                </th>
              ))}
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                <td className="px-3 py-2 font-medium break-all">{row.email}</td>
                <td className="px-3 py-2">{labelOf(row.role)}</td>
                <td className="px-3 py-2">
                  <StatusBadge status={row.status} />
                </td>
                <td className="px-3 py-2">{row.invitedBy.name}</td>
                <td className="px-3 py-2">{formatDate(row.createdAt)}</td>
                <td className="px-3 py-2">{row.status === "pending" ? formatDate(row.expiresAt) : "—"}</td>
                <td className="px-3 py-2 text-right">{actions(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {/* Phones: one card per invitation, nothing scrolls sideways. */}
        <ul aria-label={t("settings.invitations.title")} className="flex flex-col gap-2 p-3 md:hidden">
          {rows.map((row) => (
            <li key={row.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
              <div className="flex items-start justify-between gap-2">
                <p className="min-w-0 font-medium break-all">{row.email}</p>
                <StatusBadge status={row.status} />
              </div>
              <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                <dt className="text-slate-600 dark:text-slate-400">{t("settings.invitations.role")}</dt>
                <dd>{labelOf(row.role)}</dd>
                <dt className="text-slate-600 dark:text-slate-400">{t("settings.invitations.invitedBy")}</dt>
                <dd className="break-words">{row.invitedBy.name}</dd>
                <dt className="text-slate-600 dark:text-slate-400">{t("settings.invitations.sentAt")}</dt>
                <dd>{formatDate(row.createdAt)}</dd>
                {row.status === "pending" && (
                  <>
                    <dt className="text-slate-600 dark:text-slate-400">{t("settings.invitations.expires")}</dt>
                    <dd>{formatDate(row.expiresAt)}</dd>
                  </>
                )}
              </dl>
              {actions(row) && <div className="mt-2">{actions(row)}</div>}
            </li>
          ))}
        </ul>
        {invitations.hasNextPage && (
          <div className="flex justify-center p-3">
            <Button disabled={invitations.isFetchingNextPage} onClick={() => void invitations.fetchNextPage()}>
              {invitations.isFetchingNextPage ? t("common.loading") : t("settings.invitations.showMore")}
            </Button>
          </div>
        )}
      </>
    );

  return (
    <>
      <PageHeader title={t("settings.invitations.title")} />
      {roles.length > 0 && <InviteForm roles={roles} />}
      <div className="flex flex-wrap items-end justify-between gap-2 px-4 pt-4">
        <h2 className="font-semibold">{t("settings.invitations.sentTitle")}</h2>
        <div className="w-44">
          <SelectField
            label={t("common.status")}
            value={status}
            onChange={(event) => setStatus(event.target.value as InvitationStatus | "")}
            options={[
              { value: "", label: t("common.all") },
              ...invitationStatuses.map((s) => ({ value: s, label: labelOf(s) })),
            ]}
          />
        </div>
      </div>
      {body}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={t("settings.invitations.confirmTitle", { email: revoking?.email ?? "" })}
        description={t("settings.invitations.confirmDescription")}
        confirmLabel={t("settings.invitations.confirmLabel")}
        isPending={revoke.isPending}
        onConfirm={() => {
          if (!revoking) return;
          const { id, email } = revoking;
          revoke.mutate(id, {
            onSuccess: () => {
              setRevoking(null);
              toast.success(t("settings.invitations.revoked", { email }));
            },
          });
        }}
      />
    </>
  );
}

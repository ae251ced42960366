import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { roles, type Role } from "../../../shared/permissions.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { inputClass } from "../../components/Field.tsx";
import { formatDate, labelOf } from "../../lib/format.ts";
import { useCan, useSession } from "../auth/session.ts";
import { useMembers, useRemoveMember, useUpdateMember, type MemberRow } from "../users/users.api.ts";

const isActive = (member: MemberRow) => member.active !== false;

/** Settings → Users (admins): every member with their role; deactivate, reactivate or remove them. */
export function UsersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { user: me } = useSession();
  const members = useMembers();
  const update = useUpdateMember();
  const remove = useRemoveMember();
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  // The refusal of the last change, shown at the member it was about (e.g. the last admin's 422).
  const [refusal, setRefusal] = useState<{ memberId: string; message: string } | null>(null);

  if (!can("update", "user"))
    return (
      <>
        <PageHeader title={t("settings.users.title")} />
        <EmptyState title={t("settings.users.onlyAdmins")} />
      </>
    );

  const change = (member: MemberRow, changes: { role?: Role; active?: boolean }, done: string) => {
    setRefusal(null);
    update.mutate(
      { id: member.id, changes },
      {
        onSuccess: () => toast.success(done),
        onError: (error) => setRefusal({ memberId: member.id, message: error.message }),
      },
    );
  };

  // A role as the middle of a sentence is written ("is now manager", "ist jetzt Manager").
  const roleInSentence: Record<Role, string> = {
    admin: t("settings.users.roleInSentence.admin"),
    manager: t("settings.users.roleInSentence.manager"),
    agent: t("settings.users.roleInSentence.agent"),
    viewer: t("settings.users.roleInSentence.viewer"),
  };

  const isBusy = (member: MemberRow) =>
    (update.isPending && update.variables?.id === member.id) || (remove.isPending && remove.variables === member.id);

  let body;
  if (members.isPending) body = <SkeletonRows rows={4} />;
  else if (members.isError) body = <ErrorMessage error={members.error} onRetry={() => void members.refetch()} />;
  else
    body = (
      <ul
        aria-label={t("settings.users.listLabel")}
        className="flex flex-col divide-y divide-slate-200 px-4 dark:divide-slate-800"
      >
        {members.data.map((member) => {
          const roleId = `role-${member.id}`;
          const isMe = member.id === me.id;
          return (
            <li key={member.id} className="flex flex-col gap-2 py-3 text-sm">
              <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
                <div className="min-w-0 flex-1 basis-56">
                  <p className="font-medium break-words">
                    {member.name}
                    {isMe && (
                      <span className="font-normal text-slate-600 dark:text-slate-400"> {t("settings.users.you")}</span>
                    )}
                    {!isActive(member) && (
                      <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-medium text-slate-800 dark:bg-slate-800 dark:text-slate-100">
                        {t("settings.users.deactivated")}
                      </span>
                    )}
                  </p>
                  <p className="break-all text-slate-700 dark:text-slate-300">{member.email}</p>
                  <p className="text-slate-600 dark:text-slate-400">
                    {t("settings.users.joined", { date: formatDate(member.joinedAt) })}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <label htmlFor={roleId} className="sr-only">
                    {t("settings.users.roleOf", { name: member.name })}
                  </label>
                  <select
                    id={roleId}
                    value={member.role}
                    disabled={isBusy(member)}
                    onChange={(event) => {
                      const role = event.target.value as Role;
                      change(
                        member,
                        { role },
                        t("settings.users.roleChanged", { name: member.name, role: roleInSentence[role] }),
                      );
                    }}
                    className={`${inputClass} max-w-32`}
                  >
                    {roles.map((role) => (
                      <option key={role} value={role}>
                        {labelOf(role)}
                      </option>
                    ))}
                  </select>
                  <Button
                    size="sm"
                    aria-label={
                      isActive(member)
                        ? t("settings.users.deactivateLabel", { name: member.name })
                        : t("settings.users.reactivateLabel", { name: member.name })
                    }
                    disabled={isBusy(member)}
                    onClick={() =>
                      isActive(member)
                        ? change(member, { active: false }, t("settings.users.deactivatedToast", { name: member.name }))
                        : change(member, { active: true }, t("settings.users.reactivatedToast", { name: member.name }))
                    }
                  >
                    {isActive(member) ? t("settings.users.deactivate") : t("settings.users.reactivate")}
                  </Button>
                  <Button
                    size="sm"
                    variant="danger"
                    aria-label={t("settings.users.removeLabel", { name: member.name })}
                    disabled={isBusy(member)}
                    onClick={() => {
                      setRefusal(null);
                      setRemoving(member);
                    }}
                  >
                    {t("common.remove")}
                  </Button>
                </div>
              </div>
              {refusal?.memberId === member.id && (
                <p role="alert" className="rounded-md bg-red-50 p-2 text-red-800 dark:bg-red-950 dark:text-red-200">
                  {refusal.message}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    );

  return (
    <>
      <PageHeader title={t("settings.users.title")} />
      <p className="max-w-3xl px-4 pt-3 text-sm text-slate-600 dark:text-slate-300">{t("settings.users.intro")}</p>
      {body}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={t("settings.users.confirmTitle", { name: removing?.name ?? "" })}
        description={t("settings.users.confirmDescription")}
        confirmLabel={t("settings.users.confirmLabel")}
        isPending={remove.isPending}
        onConfirm={() => {
          if (!removing) return;
          const member = removing;
          remove.mutate(member.id, {
            onSuccess: () => {
              setRemoving(null);
              toast.success(t("settings.users.removed", { name: member.name }));
            },
            onError: (error) => {
              setRemoving(null);
              setRefusal({ memberId: member.id, message: error.message });
            },
          });
        }}
      />
    </>
  );
}

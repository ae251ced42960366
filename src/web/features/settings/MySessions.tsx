import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useMySessions, useRevokeOtherSessions, useRevokeSession, type SessionRow } from "./profile.api.ts";
import { ProfileSection } from "./ProfileSection.tsx";
import { describeUserAgent } from "./user-agent.ts";

function sessionName(session: SessionRow): string {
  return t("settings.profile.sessions.sessionName", {
    browser: describeUserAgent(session.userAgent),
    address: session.ipAddress ?? t("settings.profile.sessions.anUnknownAddress"),
  });
}

/** Profile → my sessions: where I am signed in, this one marked; sign one or all the others out. */
export function MySessions() {
  const { t } = useTranslation();
  const sessions = useMySessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  const [isConfirmingOthers, setConfirmingOthers] = useState(false);
  const others = (sessions.data ?? []).filter((s) => !s.current);

  const signOut = (session: SessionRow) =>
    revoke.mutate(session.id, {
      // A failure is a toast of the app's mutation defaults.
      onSuccess: () => toast.success(t("settings.profile.sessions.signedOut", { name: sessionName(session) })),
    });

  let body;
  if (sessions.isPending) body = <SkeletonRows rows={2} />;
  else if (sessions.isError) body = <ErrorMessage error={sessions.error} onRetry={() => void sessions.refetch()} />;
  else
    body = (
      <ul
        aria-label={t("settings.profile.sessions.listLabel")}
        className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800"
      >
        {sessions.data.map((session) => (
          <li key={session.id} className="flex flex-wrap items-start justify-between gap-2 py-2 text-sm">
            <div className="min-w-0">
              <p className="font-medium break-words">
                {describeUserAgent(session.userAgent)}
                {session.current && (
                  <span className="ml-2 rounded bg-accent-50 px-1.5 py-0.5 text-xs font-medium text-accent-700 dark:bg-slate-800 dark:text-sky-300">
                    {t("settings.profile.sessions.thisSession")}
                  </span>
                )}
              </p>
              <p className="text-slate-700 dark:text-slate-300">
                {t("settings.profile.sessions.signedIn", {
                  address: session.ipAddress ?? t("settings.profile.sessions.unknownAddress"),
                  at: formatDateTime(session.createdAt),
                })}
              </p>
              <p className="text-slate-600 dark:text-slate-400">
                {t("settings.profile.sessions.lastActive", { at: formatDateTime(session.lastSeenAt) })}
              </p>
            </div>
            {!session.current && (
              <Button
                size="sm"
                aria-label={t("settings.profile.sessions.signOutLabel", { name: sessionName(session) })}
                disabled={revoke.isPending && revoke.variables === session.id}
                onClick={() => signOut(session)}
              >
                {t("settings.profile.sessions.signOut")}
              </Button>
            )}
          </li>
        ))}
      </ul>
    );

  return (
    <ProfileSection
      title={t("settings.profile.sessions.title")}
      description={t("settings.profile.sessions.description")}
      actions={
        <Button disabled={others.length === 0} onClick={() => setConfirmingOthers(true)}>
          {t("settings.profile.sessions.signOutOthers")}
        </Button>
      }
    >
      {body}
      <ConfirmDialog
        open={isConfirmingOthers}
        onOpenChange={setConfirmingOthers}
        title={t("settings.profile.sessions.confirmTitle")}
        description={t("settings.profile.sessions.confirmDescription", { number: others.length })}
        confirmLabel={t("settings.profile.sessions.confirmLabel")}
        isPending={revokeOthers.isPending}
        onConfirm={() =>
          revokeOthers.mutate(undefined, {
            onSuccess: ({ revoked }) => {
              setConfirmingOthers(false);
              toast.success(t("settings.profile.sessions.signedOutOthers", { count: revoked }));
            },
          })
        }
      />
    </ProfileSection>
  );
}

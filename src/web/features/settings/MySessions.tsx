import { useState } from "react";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useMySessions, useRevokeOtherSessions, useRevokeSession, type SessionRow } from "./profile.api.ts";
import { ProfileSection } from "./ProfileSection.tsx";
import { describeUserAgent } from "./user-agent.ts";

function sessionName(session: SessionRow): string {
  return `${describeUserAgent(session.userAgent)} at ${session.ipAddress ?? "an unknown address"}`;
}

/** Profile → my sessions: where I am signed in, this one marked; sign one or all the others out. */
export function MySessions() {
  const sessions = useMySessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  const [isConfirmingOthers, setConfirmingOthers] = useState(false);
  const others = (sessions.data ?? []).filter((s) => !s.current);

  const signOut = (session: SessionRow) =>
    revoke.mutate(session.id, {
      // A failure is a toast of the app's mutation defaults.
      onSuccess: () => toast.success(`Signed out ${sessionName(session)}.`),
    });

  let body;
  if (sessions.isPending) body = <SkeletonRows rows={2} />;
  else if (sessions.isError) body = <ErrorMessage error={sessions.error} onRetry={() => void sessions.refetch()} />;
  else
    body = (
      <ul aria-label="My sessions" className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800">
        {sessions.data.map((session) => (
          <li key={session.id} className="flex flex-wrap items-start justify-between gap-2 py-2 text-sm">
            <div className="min-w-0">
              <p className="font-medium break-words">
                {describeUserAgent(session.userAgent)}
                {session.current && (
                  <span className="ml-2 rounded bg-accent-50 px-1.5 py-0.5 text-xs font-medium text-accent-700 dark:bg-slate-800 dark:text-sky-300">
                    This session
                  </span>
                )}
              </p>
              <p className="text-slate-700 dark:text-slate-300">
                {session.ipAddress ?? "Unknown address"} · signed in {formatDateTime(session.createdAt)}
              </p>
              <p className="text-slate-600 dark:text-slate-400">Last active {formatDateTime(session.lastSeenAt)}</p>
            </div>
            {!session.current && (
              <Button
                size="sm"
                aria-label={`Sign out ${sessionName(session)}`}
                disabled={revoke.isPending && revoke.variables === session.id}
                onClick={() => signOut(session)}
              >
                Sign out
              </Button>
            )}
          </li>
        ))}
      </ul>
    );

  return (
    <ProfileSection
      title="Sessions"
      description="The browsers and devices signed in to your account. Sign out any you do not recognise."
      actions={
        <Button disabled={others.length === 0} onClick={() => setConfirmingOthers(true)}>
          Sign out everywhere else
        </Button>
      }
    >
      {body}
      <ConfirmDialog
        open={isConfirmingOthers}
        onOpenChange={setConfirmingOthers}
        title="Sign out everywhere else?"
        description={`Every other session (${others.length}) is signed out at once; this one stays signed in.`}
        confirmLabel="Sign out other sessions"
        isPending={revokeOthers.isPending}
        onConfirm={() =>
          revokeOthers.mutate(undefined, {
            onSuccess: ({ revoked }) => {
              setConfirmingOthers(false);
              toast.success(revoked === 1 ? "Signed out 1 other session." : `Signed out ${revoked} other sessions.`);
            },
          })
        }
      />
    </ProfileSection>
  );
}

import { useState } from "react";
import { toast } from "sonner";
import type { TwoFactorSetup } from "../../../shared/schemas/two-factor.ts";
import { Button } from "../../components/Button.tsx";
import { ErrorMessage, Skeleton } from "../../components/Feedback.tsx";
import { formatDate } from "../../lib/format.ts";
import { NewBackupCodesDialog } from "./NewBackupCodesDialog.tsx";
import { ProfileSection } from "./ProfileSection.tsx";
import { TurnOffTwoFactorDialog } from "./TurnOffTwoFactorDialog.tsx";
import { TurnOnTwoFactorDialog } from "./TurnOnTwoFactorDialog.tsx";
import { useSetUpTwoFactor, useTwoFactorStatus } from "./two-factor.api.ts";

/** Below this many backup codes left, the section suggests new ones. */
const fewBackupCodes = 3;
const title = "Two-factor sign-in";

/**
 * Profile → two-factor sign-in: whether it is on; turning it on (QR code, confirm a code, backup
 * codes shown once), new backup codes, and turning it off (password and code).
 */
export function TwoFactorSection() {
  const status = useTwoFactorStatus();
  const setUp = useSetUpTwoFactor();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [dialog, setDialog] = useState<"backup-codes" | "turn-off" | null>(null);

  const turnOn = () =>
    setUp.mutate(undefined, {
      onSuccess: setSetup,
      onError: (error) => toast.error(`Could not start setting up two-factor sign-in: ${error.message}`),
    });

  const dialogs = (
    <>
      <TurnOnTwoFactorDialog setup={setup} onClose={() => setSetup(null)} />
      <NewBackupCodesDialog
        open={dialog === "backup-codes"}
        onOpenChange={(open) => setDialog(open ? "backup-codes" : null)}
      />
      <TurnOffTwoFactorDialog
        open={dialog === "turn-off"}
        onOpenChange={(open) => setDialog(open ? "turn-off" : null)}
      />
    </>
  );
  const description = "A code from an authenticator app on your phone, on top of your password.";

  if (status.isPending)
    return (
      <ProfileSection title={title} description={description}>
        <Skeleton className="h-10 w-full" />
      </ProfileSection>
    );
  if (status.isError)
    return (
      <ProfileSection title={title} description={description}>
        <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />
      </ProfileSection>
    );
  if (!status.data.enabled)
    return (
      <ProfileSection
        title={title}
        description={description}
        actions={
          <Button variant="primary" onClick={turnOn} disabled={setUp.isPending}>
            {setUp.isPending ? "Preparing…" : "Turn on"}
          </Button>
        }
      >
        <p className="text-sm text-slate-700 dark:text-slate-200">
          <strong>Off.</strong> Turn it on so that a stolen password alone is not enough to sign in as you.
        </p>
        {dialogs}
      </ProfileSection>
    );
  const left = status.data.backupCodesLeft;
  return (
    <ProfileSection
      title={title}
      description={description}
      actions={
        <>
          <Button onClick={() => setDialog("backup-codes")}>New backup codes</Button>
          <Button variant="danger" onClick={() => setDialog("turn-off")}>
            Turn off
          </Button>
        </>
      }
    >
      <p className="text-sm text-slate-700 dark:text-slate-200">
        <strong>On</strong>
        {status.data.enabledAt ? ` since ${formatDate(status.data.enabledAt)}` : ""}. Signing in takes your password and
        a code from your authenticator app. {left === 1 ? "1 backup code left." : `${left} backup codes left.`}
        {left <= fewBackupCodes && " Make new ones before you run out."}
      </p>
      {dialogs}
    </ProfileSection>
  );
}

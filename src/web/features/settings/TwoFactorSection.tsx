import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
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

/**
 * Profile → two-factor sign-in: whether it is on; turning it on (QR code, confirm a code, backup
 * codes shown once), new backup codes, and turning it off (password and code).
 */
export function TwoFactorSection() {
  const { t } = useTranslation();
  const title = t("settings.twoFactor.title");
  const status = useTwoFactorStatus();
  const setUp = useSetUpTwoFactor();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [dialog, setDialog] = useState<"backup-codes" | "turn-off" | null>(null);

  const turnOn = () =>
    setUp.mutate(undefined, {
      onSuccess: setSetup,
      onError: (error) => toast.error(t("settings.twoFactor.couldNotStart", { message: error.message })),
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
  const description = t("settings.twoFactor.description");

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
            {setUp.isPending ? t("settings.twoFactor.preparing") : t("settings.twoFactor.turnOn")}
          </Button>
        }
      >
        <p className="text-sm text-slate-700 dark:text-slate-200">
          <Trans i18nKey="settings.twoFactor.off" components={{ strong: <strong /> }} />
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
          <Button onClick={() => setDialog("backup-codes")}>{t("settings.twoFactor.newBackupCodes")}</Button>
          <Button variant="danger" onClick={() => setDialog("turn-off")}>
            {t("settings.twoFactor.turnOff")}
          </Button>
        </>
      }
    >
      <p className="text-sm text-slate-700 dark:text-slate-200">
        {status.data.enabledAt ? (
          <Trans
            i18nKey="settings.twoFactor.onSince"
            values={{ date: formatDate(status.data.enabledAt) }}
            components={{ strong: <strong /> }}
          />
        ) : (
          <Trans i18nKey="settings.twoFactor.on" components={{ strong: <strong /> }} />
        )}{" "}
        {t("settings.twoFactor.backupCodesLeft", { count: left })}
        {left <= fewBackupCodes && ` ${t("settings.twoFactor.makeNewOnes")}`}
      </p>
      {dialogs}
    </ProfileSection>
  );
}

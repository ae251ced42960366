import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { EnableTwoFactorSchema, type TwoFactorSetup } from "../../../shared/schemas/two-factor.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { BackupCodesPanel } from "./BackupCodesPanel.tsx";
import { useEnableTwoFactor } from "./two-factor.api.ts";

type Values = { code: string };

/** The secret in groups of four, easier to type into an app by hand (apps ignore the spaces). */
function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

type TurnOnTwoFactorDialogProps = { setup: TwoFactorSetup | null; onClose: () => void };

/** Two steps: scan the QR code (or type the key) and confirm a code; then the backup codes, shown once. */
export function TurnOnTwoFactorDialog({ setup, onClose }: TurnOnTwoFactorDialogProps) {
  const { t } = useTranslation();
  const [backupCodes, setBackupCodes] = useState<string[] | null>(null);
  const close = () => {
    onClose();
    setBackupCodes(null);
  };
  return (
    <Dialog
      open={setup !== null}
      onOpenChange={(open) => !open && close()}
      title={backupCodes ? t("settings.twoFactor.turnOnDialog.saveCodes") : t("settings.twoFactor.turnOnDialog.title")}
      description={backupCodes ? t("settings.twoFactor.turnOnDialog.isOn") : undefined}
    >
      {backupCodes ? (
        <BackupCodesPanel codes={backupCodes} onDone={close} />
      ) : (
        setup && <ConfirmSetupForm setup={setup} onCancel={close} onEnabled={setBackupCodes} />
      )}
    </Dialog>
  );
}

function ConfirmSetupForm({
  setup,
  onCancel,
  onEnabled,
}: {
  setup: TwoFactorSetup;
  onCancel: () => void;
  onEnabled: (backupCodes: string[]) => void;
}) {
  const { t } = useTranslation();
  const enable = useEnableTwoFactor();
  const form = useForm<Values>({
    resolver: bodyResolver(EnableTwoFactorSchema, (values: Values) => values, ["code"]),
    defaultValues: { code: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      onEnabled((await enable.mutateAsync(values.code)).backupCodes);
    } catch (error) {
      applyServerErrors(form, error, ["code"]);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <ol className="flex list-decimal flex-col gap-3 pl-5 text-sm">
        <li>
          <p>{t("settings.twoFactor.turnOnDialog.scan")}</p>
          <img
            src={"data:image/svg+xml;charset=utf-8," + encodeURIComponent(setup.qrSvg)}
            alt={t("settings.twoFactor.turnOnDialog.qrAlt")}
            width={192}
            height={192}
            className="mt-2 h-48 w-48 rounded-md border border-slate-200 bg-white p-1 dark:border-slate-700"
          />
        </li>
        <li className="flex flex-col gap-1">
          <p>{t("settings.twoFactor.turnOnDialog.orType")}</p>
          <TextField
            label={t("settings.twoFactor.turnOnDialog.key")}
            value={groupedSecret(setup.secret)}
            readOnly
            onFocus={(event) => event.currentTarget.select()}
            className="font-mono text-sm"
          />
        </li>
        <li className="flex flex-col gap-1">
          <p>{t("settings.twoFactor.turnOnDialog.typeCode")}</p>
          <TextField
            label={t("settings.twoFactor.turnOnDialog.code")}
            autoComplete="one-time-code"
            inputMode="numeric"
            // The dialog would otherwise focus (and select) the key; the code is what is typed here.
            autoFocus
            error={errors.code?.message}
            {...form.register("code")}
          />
        </li>
      </ol>
      <FormError message={errors.root?.message} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? t("settings.twoFactor.turnOnDialog.checking") : t("settings.twoFactor.turnOn")}
        </Button>
      </div>
    </form>
  );
}

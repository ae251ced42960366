import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { ReplaceBackupCodesSchema, type ReplaceBackupCodes } from "../../../shared/schemas/two-factor.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { BackupCodesPanel } from "./BackupCodesPanel.tsx";
import { useReplaceBackupCodes } from "./two-factor.api.ts";

type NewBackupCodesDialogProps = { open: boolean; onOpenChange: (open: boolean) => void };

/** A code first; then 10 new backup codes, shown once. The old ones stop working. */
export function NewBackupCodesDialog({ open, onOpenChange }: NewBackupCodesDialogProps) {
  const { t } = useTranslation();
  const [codes, setCodes] = useState<string[] | null>(null);
  const close = () => {
    onOpenChange(false);
    setCodes(null);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (next ? onOpenChange(true) : close())}
      title={codes ? t("settings.twoFactor.newCodesDialog.saveCodes") : t("settings.twoFactor.newBackupCodes")}
      description={
        codes ? t("settings.twoFactor.newCodesDialog.oldOnesGone") : t("settings.twoFactor.newCodesDialog.description")
      }
    >
      {codes ? (
        <BackupCodesPanel codes={codes} onDone={close} />
      ) : (
        open && <ConfirmCodeForm onCancel={close} onReplaced={setCodes} />
      )}
    </Dialog>
  );
}

function ConfirmCodeForm({ onCancel, onReplaced }: { onCancel: () => void; onReplaced: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const replace = useReplaceBackupCodes();
  const form = useForm<ReplaceBackupCodes>({
    resolver: bodyResolver(ReplaceBackupCodesSchema, (values: ReplaceBackupCodes) => values, ["code"]),
    defaultValues: { code: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      onReplaced((await replace.mutateAsync(values.code)).backupCodes);
    } catch (error) {
      applyServerErrors(form, error, ["code"]);
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField
        label={t("settings.twoFactor.codeOrBackupCode")}
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        error={errors.code?.message}
        {...form.register("code")}
      />
      <FormError message={errors.root?.message} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? t("settings.twoFactor.newCodesDialog.making") : t("settings.twoFactor.newCodesDialog.make")}
        </Button>
      </div>
    </form>
  );
}

import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { DisableTwoFactorSchema, type DisableTwoFactor } from "../../../shared/schemas/two-factor.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useDisableTwoFactor } from "./two-factor.api.ts";

const fieldNames = ["password", "code"];

type TurnOffTwoFactorDialogProps = { open: boolean; onOpenChange: (open: boolean) => void };

/** Turning two-factor sign-in off takes the password and a code, so a borrowed session cannot do it. */
export function TurnOffTwoFactorDialog({ open, onOpenChange }: TurnOffTwoFactorDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t("settings.twoFactor.turnOffDialog.title")}
      description={t("settings.twoFactor.turnOffDialog.description")}
    >
      {open && <TurnOffForm onDone={() => onOpenChange(false)} />}
    </Dialog>
  );
}

function TurnOffForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const disable = useDisableTwoFactor();
  const form = useForm<DisableTwoFactor>({
    resolver: bodyResolver(DisableTwoFactorSchema, (values: DisableTwoFactor) => values, fieldNames),
    defaultValues: { password: "", code: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await disable.mutateAsync(values);
      toast.success(t("settings.twoFactor.turnOffDialog.done"));
      onDone();
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField
        label={t("settings.twoFactor.turnOffDialog.password")}
        type="password"
        autoComplete="current-password"
        error={errors.password?.message}
        {...form.register("password")}
      />
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
        <Button onClick={onDone}>{t("common.cancel")}</Button>
        <Button type="submit" variant="danger" disabled={isSubmitting}>
          {isSubmitting ? t("settings.twoFactor.turnOffDialog.turningOff") : t("settings.twoFactor.turnOff")}
        </Button>
      </div>
    </form>
  );
}

import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { TwoFactorSignInSchema } from "../../../shared/schemas/two-factor.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { bodyResolver } from "../../lib/forms.ts";
import { useTwoFactorSignIn } from "./session.ts";

type Values = { code: string };

type TwoFactorSignInFormProps = {
  /** Signed in: go on as after any sign-in. */
  onSignedIn: () => Promise<void>;
  /** The challenge expired or was spent: back to the password, with the reason. */
  onRestart: (message?: string) => void;
};

/**
 * The second step of a sign-in with two-factor on: the code of the authenticator app, or one of
 * the backup codes. A wrong code stays on the field; an expired sign-in starts over.
 */
export function TwoFactorSignInForm({ onSignedIn, onRestart }: TwoFactorSignInFormProps) {
  const { t } = useTranslation();
  const [isBackupCode, setBackupCode] = useState(false);
  const signIn = useTwoFactorSignIn();
  const toBody = (values: Values) => (isBackupCode ? { backupCode: values.code } : { code: values.code });
  const form = useForm<Values>({
    resolver: bodyResolver(TwoFactorSignInSchema, toBody, ["code"], () => "code"),
    defaultValues: { code: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await signIn.mutateAsync(toBody(values));
      await onSignedIn();
    } catch (error) {
      if (!(error instanceof ApiProblem)) {
        form.setError("root", { message: t("auth.twoFactor.failed") });
      } else if (error.fieldErrors.length > 0) {
        form.setError("code", { message: error.fieldErrors[0]?.message ?? error.message }, { shouldFocus: true });
      } else if (error.status === 401) {
        onRestart(error.message);
      } else {
        form.setError("root", { message: error.message });
      }
    }
  });

  const toggle = () => {
    setBackupCode(!isBackupCode);
    // The field is replaced (its key changes) and the new one takes the focus.
    form.reset({ code: "" });
  };

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {isBackupCode ? t("auth.twoFactor.backupHint") : t("auth.twoFactor.appHint")}
      </p>
      {isBackupCode ? (
        <TextField
          key="backup-code"
          label={t("auth.twoFactor.backupCode")}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="xxxxx-xxxxx"
          autoFocus
          error={errors.code?.message}
          {...form.register("code")}
        />
      ) : (
        <TextField
          key="app-code"
          label={t("auth.twoFactor.appCode")}
          autoComplete="one-time-code"
          inputMode="numeric"
          autoFocus
          error={errors.code?.message}
          {...form.register("code")}
        />
      )}
      <FormError message={errors.root?.message} />
      <Button type="submit" variant="primary" disabled={isSubmitting}>
        {isSubmitting ? t("auth.twoFactor.checking") : t("auth.twoFactor.continue")}
      </Button>
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        <button type="button" className="text-accent-700 underline dark:text-sky-300" onClick={toggle}>
          {isBackupCode ? t("auth.twoFactor.useApp") : t("auth.twoFactor.useBackup")}
        </button>
        <button type="button" className="text-accent-700 underline dark:text-sky-300" onClick={() => onRestart()}>
          {t("auth.twoFactor.startOver")}
        </button>
      </div>
    </form>
  );
}

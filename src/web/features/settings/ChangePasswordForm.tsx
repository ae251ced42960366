import { useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { ChangePasswordSchema } from "../../../shared/schemas/auth.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { NewPasswordField } from "../auth/NewPasswordField.tsx";
import { personalInputs } from "../auth/password-strength.ts";
import { useSession } from "../auth/session.ts";
import { useChangePassword } from "./profile.api.ts";
import { ProfileSection } from "./ProfileSection.tsx";

type Values = { currentPassword: string; newPassword: string };
const fieldNames = ["currentPassword", "newPassword"];
const resolver = bodyResolver<Values>(ChangePasswordSchema, (values) => values, fieldNames);
const empty: Values = { currentPassword: "", newPassword: "" };

/** Profile → change password: the current one, then a new one with the strength meter. */
export function ChangePasswordForm() {
  const { t } = useTranslation();
  const { user } = useSession();
  const change = useChangePassword();
  const form = useForm<Values>({ resolver, defaultValues: empty });
  const { errors, isSubmitting } = form.formState;
  const newPassword = useWatch({ control: form.control, name: "newPassword" });

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await change.mutateAsync(values);
      form.reset(empty);
      toast.success(t("settings.profile.password.changed"));
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <ProfileSection
      title={t("settings.profile.password.title")}
      description={t("settings.profile.password.description")}
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 sm:max-w-md">
        {/* Lets password managers save the new password for the right account. */}
        <input type="email" name="username" value={user.email} autoComplete="username" readOnly hidden />
        <TextField
          label={t("settings.profile.password.current")}
          type="password"
          autoComplete="current-password"
          error={errors.currentPassword?.message}
          {...form.register("currentPassword")}
        />
        <NewPasswordField
          label={t("settings.profile.password.new")}
          password={newPassword}
          userInputs={personalInputs(user)}
          error={errors.newPassword?.message}
          {...form.register("newPassword")}
        />
        <FormError message={errors.root?.message} />
        <div>
          <Button type="submit" variant="primary" disabled={isSubmitting}>
            {isSubmitting ? t("settings.profile.password.changing") : t("settings.profile.password.change")}
          </Button>
        </div>
      </form>
    </ProfileSection>
  );
}

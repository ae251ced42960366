import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { UpdateProfileSchema, type UpdateProfile } from "../../../shared/schemas/profile.ts";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { useSession } from "../auth/session.ts";
import { useUpdateProfile } from "./profile.api.ts";
import { ProfileSection } from "./ProfileSection.tsx";

const fieldNames = ["name"];
const resolver = bodyResolver<UpdateProfile>(UpdateProfileSchema, (values) => values, fieldNames);

/** Profile → your name (the same in every workspace) and the e-mail you sign in with. */
export function ProfileNameForm() {
  const { t } = useTranslation();
  const { user } = useSession();
  const update = useUpdateProfile();
  const form = useForm<UpdateProfile>({ resolver, values: { name: user.name } });
  const { errors, isSubmitting, isDirty } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const me = await update.mutateAsync(values);
      form.reset({ name: me.user.name });
      toast.success(t("settings.profile.name.saved"));
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <ProfileSection
      title={t("settings.profile.name.title")}
      description={t("settings.profile.name.description", { email: user.email })}
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 sm:max-w-md">
        <TextField
          label={t("common.name")}
          autoComplete="name"
          hint={t("settings.profile.name.hint")}
          error={errors.name?.message}
          {...form.register("name")}
        />
        <FormError message={errors.root?.message} />
        <div>
          <Button type="submit" variant="primary" disabled={isSubmitting || !isDirty}>
            {isSubmitting ? t("common.saving") : t("settings.profile.name.save")}
          </Button>
        </div>
      </form>
    </ProfileSection>
  );
}

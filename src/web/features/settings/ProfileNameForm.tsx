import { useForm } from "react-hook-form";
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
  const { user } = useSession();
  const update = useUpdateProfile();
  const form = useForm<UpdateProfile>({ resolver, values: { name: user.name } });
  const { errors, isSubmitting, isDirty } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const me = await update.mutateAsync(values);
      form.reset({ name: me.user.name });
      toast.success("Name saved.");
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <ProfileSection title="Your name" description={`You sign in as ${user.email}.`}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 sm:max-w-md">
        <TextField
          label="Name"
          autoComplete="name"
          hint="Shown to the people of every workspace you belong to"
          error={errors.name?.message}
          {...form.register("name")}
        />
        <FormError message={errors.root?.message} />
        <div>
          <Button type="submit" variant="primary" disabled={isSubmitting || !isDirty}>
            {isSubmitting ? "Saving…" : "Save name"}
          </Button>
        </div>
      </form>
    </ProfileSection>
  );
}

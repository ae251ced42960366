import { useForm } from "react-hook-form";
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
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Turn off two-factor sign-in?"
      description="Your password alone will sign you in again, and your backup codes stop working. We will e-mail you that it was turned off."
    >
      {open && <TurnOffForm onDone={() => onOpenChange(false)} />}
    </Dialog>
  );
}

function TurnOffForm({ onDone }: { onDone: () => void }) {
  const disable = useDisableTwoFactor();
  const form = useForm<DisableTwoFactor>({
    resolver: bodyResolver(DisableTwoFactorSchema, (values: DisableTwoFactor) => values, fieldNames),
    defaultValues: { password: "", code: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await disable.mutateAsync(values);
      toast.success("Two-factor sign-in is off.");
      onDone();
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        error={errors.password?.message}
        {...form.register("password")}
      />
      <TextField
        label="Code from your app, or a backup code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        error={errors.code?.message}
        {...form.register("code")}
      />
      <FormError message={errors.root?.message} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="danger" disabled={isSubmitting}>
          {isSubmitting ? "Turning off…" : "Turn off"}
        </Button>
      </div>
    </form>
  );
}

import { useState } from "react";
import { UpdateLeadSchema } from "../../../shared/schemas/lead.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextAreaField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";

type LostReasonDialogProps = {
  /** The lead being marked lost; null: closed. */
  leadTitle: string | null;
  onCancel: () => void;
  /** Saves the move to lost; a rejection is shown in the dialog, which stays open. */
  onConfirm: (reason: string) => Promise<unknown> | void;
};

const ReasonSchema = UpdateLeadSchema.pick({ lostReason: true }).required();

/** Asks why a lead was lost: a lost lead needs a reason, so there is no way around it but Cancel. */
export function LostReasonDialog({ leadTitle, onCancel, onConfirm }: LostReasonDialogProps) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const [isSaving, setSaving] = useState(false);

  const close = () => {
    setReason("");
    setError(undefined);
    setFormError(undefined);
    onCancel();
  };

  return (
    <Dialog
      open={leadTitle !== null}
      onOpenChange={(open) => !open && close()}
      title="Mark as lost"
      description={leadTitle ? `Why was “${leadTitle}” lost? The reason stays in its status history.` : undefined}
    >
      <form
        noValidate
        className="flex flex-col gap-3"
        onSubmit={async (event) => {
          event.preventDefault();
          const parsed = ReasonSchema.safeParse({ lostReason: reason });
          if (!parsed.success || !parsed.data.lostReason) {
            setError(parsed.error?.issues[0]?.message ?? "Required");
            return;
          }
          setSaving(true);
          try {
            await onConfirm(parsed.data.lostReason);
            setReason("");
            setError(undefined);
            setFormError(undefined);
          } catch (caught) {
            const field =
              caught instanceof ApiProblem ? caught.fieldErrors.find((e) => e.path === "lostReason") : undefined;
            if (field) setError(field.message);
            else setFormError(caught instanceof Error ? caught.message : "Could not save.");
          } finally {
            setSaving(false);
          }
        }}
      >
        <TextAreaField
          label="Lost reason"
          required
          aria-required="true"
          maxLength={500}
          rows={3}
          value={reason}
          error={error}
          onChange={(e) => setReason(e.target.value)}
          autoFocus
        />
        <FormError message={formError} />
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="danger" disabled={isSaving}>
            Mark as lost
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

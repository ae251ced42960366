import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { FormError } from "../../components/FormError.tsx";
import { useLostReasons } from "../settings/workspace.api.ts";
import { LostReasonPicker, lostReasonInputProblem } from "./LostReasonPicker.tsx";

type LostReasonDialogProps = {
  /** What is lost: its list of reasons (Settings → Workspace) and whether one is required. */
  kind: "lead" | "deal";
  /** The name of the lead or deal being marked lost; null: closed. */
  recordName: string | null;
  /** What the dialog says under its title. */
  description?: string | undefined;
  onCancel: () => void;
  /** Saves the move to lost with the reason (null: none given); a rejection is shown in the dialog, which stays open. */
  onConfirm: (reason: string | null) => Promise<unknown> | void;
};

/**
 * Asks why a lead or deal was lost, offering the workspace's reasons. A lost lead needs a reason,
 * so there is no way around it but Cancel; a deal needs one when the workspace says so.
 */
export function LostReasonDialog({ kind, recordName, description, onCancel, onConfirm }: LostReasonDialogProps) {
  const { t } = useTranslation();
  const { reasons, isRequired } = useLostReasons(kind);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const [isSaving, setSaving] = useState(false);

  const reset = () => {
    setReason("");
    setError(undefined);
    setFormError(undefined);
  };
  const close = () => {
    reset();
    onCancel();
  };

  return (
    <Dialog
      open={recordName !== null}
      onOpenChange={(open) => !open && close()}
      title={t("leads.lost.title")}
      description={description ?? (recordName ? t("leads.lost.why", { name: recordName }) : undefined)}
    >
      <form
        noValidate
        className="flex flex-col gap-3"
        onSubmit={async (event) => {
          event.preventDefault();
          const problem = lostReasonInputProblem(reason, isRequired);
          if (problem) {
            setError(problem);
            return;
          }
          setSaving(true);
          try {
            await onConfirm(reason.trim() || null);
            reset();
          } catch (caught) {
            const field =
              caught instanceof ApiProblem ? caught.fieldErrors.find((e) => e.path === "lostReason") : undefined;
            if (field) setError(field.message);
            else setFormError(caught instanceof Error ? caught.message : t("leads.couldNotSave"));
          } finally {
            setSaving(false);
          }
        }}
      >
        <LostReasonPicker
          reasons={reasons}
          value={reason}
          onChange={(next) => {
            setReason(next);
            setError(undefined);
          }}
          error={error}
          isRequired={isRequired}
          autoFocus
        />
        <FormError message={formError} />
        <div className="flex justify-end gap-2">
          <Button onClick={close}>{t("common.cancel")}</Button>
          <Button type="submit" variant="danger" disabled={isSaving}>
            {t("leads.lost.title")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

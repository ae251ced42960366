import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Dialog } from "../../components/Dialog.tsx";
import { useTypeLabel } from "./activity-types.ts";
import { ActivityForm } from "./ActivityForm.tsx";
import type { RecordLink } from "./Timeline.tsx";

type LogActivityDialogProps = {
  /** The record it is opened from; absent (the activities page): the form asks what the activity is about. */
  link?: RecordLink | undefined;
  open: boolean;
  onOpenChange: (open: boolean) => void;
};

/**
 * "Log activity": one of the workspace's activity types, already linked to the record it is opened
 * from, or to the records picked in it. Saving refreshes the activity lists and says so in a toast.
 */
export function LogActivityDialog({ link, open, onOpenChange }: LogActivityDialogProps) {
  const { t } = useTranslation();
  const labelOfType = useTypeLabel();
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t("activities.log.title")} wide>
      <ActivityForm
        link={link}
        onCancel={() => onOpenChange(false)}
        onDone={(activity) => {
          onOpenChange(false);
          toast.success(t("activities.log.logged", { type: labelOfType(activity.type) }));
        }}
      />
    </Dialog>
  );
}

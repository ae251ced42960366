import { toast } from "sonner";
import { Dialog } from "../../components/Dialog.tsx";
import { useTypeLabel } from "./activity-types.ts";
import { ActivityForm } from "./ActivityForm.tsx";
import type { RecordLink } from "./Timeline.tsx";

type LogActivityDialogProps = {
  link: RecordLink;
  open: boolean;
  onOpenChange: (open: boolean) => void;
};

/** "Log activity": one of the workspace's activity types, already linked to the record it is opened from. */
export function LogActivityDialog({ link, open, onOpenChange }: LogActivityDialogProps) {
  const labelOfType = useTypeLabel();
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Log activity" wide>
      <ActivityForm
        link={link}
        onCancel={() => onOpenChange(false)}
        onDone={(activity) => {
          onOpenChange(false);
          toast.success(`${labelOfType(activity.type)} logged.`);
        }}
      />
    </Dialog>
  );
}

import { Dialog } from "../../components/Dialog.tsx";
import { ConvertLeadForm } from "./ConvertLeadForm.tsx";
import type { LeadRow } from "./leads.api.ts";

type ConvertLeadDialogProps = { lead: LeadRow; open: boolean; onOpenChange: (open: boolean) => void };

/** Converts a qualified lead into a deal, with its company and contacts, after showing what will be created. */
export function ConvertLeadDialog({ lead, open, onOpenChange }: ConvertLeadDialogProps) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Convert “${lead.title}”`}
      description="Creates a deal from this lead, with its company and contacts, all in one step."
      wide
    >
      <ConvertLeadForm lead={lead} onClose={() => onOpenChange(false)} />
    </Dialog>
  );
}

import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog.tsx";
import { ConvertLeadForm } from "./ConvertLeadForm.tsx";
import type { LeadRow } from "./leads.api.ts";

type ConvertLeadDialogProps = { lead: LeadRow; open: boolean; onOpenChange: (open: boolean) => void };

/** Converts a qualified lead into a deal, with its company and contacts, after showing what will be created. */
export function ConvertLeadDialog({ lead, open, onOpenChange }: ConvertLeadDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t("leads.convert.title", { title: lead.title })}
      description={t("leads.convert.description")}
      wide
    >
      <ConvertLeadForm lead={lead} onClose={() => onOpenChange(false)} />
    </Dialog>
  );
}

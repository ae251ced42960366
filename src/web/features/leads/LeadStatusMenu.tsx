import { useQueryClient } from "@tanstack/react-query";
import { DropdownMenu } from "radix-ui";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { LeadStatus } from "../../../shared/schemas/lead.ts";
import { ApiProblem } from "../../api/client.ts";
import { recordKeys } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { leadStatusLabel, leadTransitions } from "./lead-status.ts";
import { useChangeLeadStatus, type LeadRow } from "./leads.api.ts";
import { LostReasonDialog } from "./LostReasonDialog.tsx";

const itemClass =
  "cursor-default rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-accent-50 data-[highlighted]:text-accent-700 dark:data-[highlighted]:bg-slate-800 dark:data-[highlighted]:text-sky-300";

/** "Change status": the statuses the lead may go to next; Lost asks for the reason first. */
export function LeadStatusMenu({ lead }: { lead: LeadRow }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const change = useChangeLeadStatus();
  const [isAskingReason, setAskingReason] = useState(false);
  const next = leadTransitions[lead.status];
  if (next.length === 0) return null;

  /** Saves; a stale version reloads the lead and explains, so the user can choose again. */
  const save = async (status: LeadStatus, lostReason?: string) => {
    try {
      await change.mutateAsync({ lead, status, lostReason });
      toast.success(
        t("leads.statusMenu.changed", { title: lead.title, status: leadStatusLabel(status).toLowerCase() }),
      );
    } catch (error) {
      if (error instanceof ApiProblem && error.isStale) {
        await client.invalidateQueries({ queryKey: recordKeys.one("leads", lead.id) });
        throw new Error(t("leads.statusMenu.stale"), { cause: error });
      }
      throw error;
    }
  };

  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <Button disabled={change.isPending}>
            {t("leads.statusMenu.trigger")} <span aria-hidden="true">▾</span>
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={4}
            className="z-30 flex min-w-44 flex-col rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
          >
            <DropdownMenu.Label className="px-2 py-1 text-xs text-slate-600 dark:text-slate-400">
              {t("leads.statusMenu.now", { status: leadStatusLabel(lead.status).toLowerCase() })}
            </DropdownMenu.Label>
            {next.map((status) => (
              <DropdownMenu.Item
                key={status}
                className={itemClass}
                onSelect={() => {
                  if (status === "lost") setAskingReason(true);
                  else
                    save(status).catch((error: unknown) =>
                      toast.error(error instanceof Error ? error.message : t("leads.couldNotSave")),
                    );
                }}
              >
                {status === "lost" ? t("leads.lostChoice") : leadStatusLabel(status)}
              </DropdownMenu.Item>
            ))}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <LostReasonDialog
        kind="lead"
        recordName={isAskingReason ? lead.title : null}
        description={t("leads.lost.description", { title: lead.title })}
        onCancel={() => setAskingReason(false)}
        onConfirm={async (reason) => {
          await save("lost", reason ?? undefined);
          setAskingReason(false);
        }}
      />
    </>
  );
}

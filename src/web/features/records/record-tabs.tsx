import { t } from "../../i18n/i18n.ts";
import { Timeline, type RecordLink } from "../activities/Timeline.tsx";
import type { HistoryCollection } from "../audit/audit.api.ts";
import { RecordHistory } from "../audit/RecordHistory.tsx";
import type { Ownership } from "../audit/useHistoryAccess.ts";
import { RecordTasks } from "../tasks/RecordTasks.tsx";
import type { RecordTab } from "./RecordPage.tsx";

/** The collection whose history each kind of record link reads. */
const historyCollections: Record<RecordLink["field"], HistoryCollection> = {
  contactId: "contacts",
  companyId: "companies",
  leadId: "leads",
  dealId: "deals",
};

/**
 * The tabs every record page ends with: its timeline, its tasks and its change history (shown to
 * those who may read histories). `record` (its owner and creator) is for the History tab's own
 * check; a deleted record's timeline and tasks take nothing new until it is restored.
 */
export function followUpTabs(link: RecordLink, record?: Ownership & { deletedAt?: string | null }): RecordTab[] {
  const isRecordDeleted = Boolean(record?.deletedAt);
  return [
    {
      key: "timeline",
      label: t("records.tabs.timeline"),
      content: <Timeline link={link} isRecordDeleted={isRecordDeleted} />,
    },
    {
      key: "tasks",
      label: t("records.tabs.tasks"),
      content: <RecordTasks link={link} isRecordDeleted={isRecordDeleted} />,
    },
    {
      key: "history",
      label: t("records.tabs.history"),
      requires: { action: "read", resource: "history" },
      content: <RecordHistory collection={historyCollections[link.field]} id={link.id} record={record} />,
    },
  ];
}

import { useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useActivityTypes } from "../settings/workspace.api.ts";
import { ListPage } from "../lists/ListPage.tsx";
import { activityColumns, activityFilterFields, type ActivityRow } from "./activities.columns.tsx";
import { linkedRecordPath } from "./linked-records.ts";
import { LogActivityDialog } from "./LogActivityDialog.tsx";

/**
 * Every activity of the workspace; a row opens the record it was logged on. "Log activity" (for
 * roles that may create activities) logs one on the records picked in its dialog, as a record's
 * timeline does on that record.
 */
export function ActivityListPage() {
  const search = useSearch({ from: "/app/activities" });
  const { t, i18n } = useTranslation();
  const types = useActivityTypes();
  const [isLogging, setLogging] = useState(false);
  const openLog = useCallback(() => setLogging(true), []);
  // Headers and labels are in the current language: computed again when it changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const columns = useMemo(() => activityColumns(), [i18n.language]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- likewise
  const filterFields = useMemo(() => activityFilterFields(types), [types, i18n.language]);
  return (
    <>
      <ListPage<ActivityRow>
        title={t("activities.list.title")}
        noun={{ one: t("activities.list.nounOne"), other: t("activities.list.nounOther") }}
        collection="activities"
        search={search}
        columns={columns}
        filterFields={filterFields}
        defaultSort="-occurredAt"
        include="contact,lead,deal,company"
        recordPath={(activity) => linkedRecordPath(activity) ?? "/activities"}
        ownerField="createdBy"
        onCreate={openLog}
        createLabel={t("activities.list.log")}
      />
      <LogActivityDialog open={isLogging} onOpenChange={setLogging} />
    </>
  );
}

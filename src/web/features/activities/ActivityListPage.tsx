import { useSearch } from "@tanstack/react-router";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useActivityTypes } from "../settings/workspace.api.ts";
import { ListPage } from "../lists/ListPage.tsx";
import { activityColumns, activityFilterFields, type ActivityRow } from "./activities.columns.tsx";
import { linkedRecordPath } from "./linked-records.ts";

/**
 * Every activity of the workspace. Activities are logged from a record's timeline, so the list
 * has no "New" button, and a row opens the record it was logged on.
 */
export function ActivityListPage() {
  const search = useSearch({ from: "/app/activities" });
  const { t, i18n } = useTranslation();
  const types = useActivityTypes();
  // Headers and labels are in the current language: computed again when it changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const columns = useMemo(() => activityColumns(), [i18n.language]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- likewise
  const filterFields = useMemo(() => activityFilterFields(types), [types, i18n.language]);
  return (
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
    />
  );
}

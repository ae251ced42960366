import { useSearch } from "@tanstack/react-router";
import { useMemo } from "react";
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
  const types = useActivityTypes();
  const filterFields = useMemo(() => activityFilterFields(types), [types]);
  return (
    <ListPage<ActivityRow>
      title="Activities"
      noun={{ one: "activity", other: "activities" }}
      collection="activities"
      search={search}
      columns={activityColumns}
      filterFields={filterFields}
      defaultSort="-occurredAt"
      include="contact,lead,deal,company"
      recordPath={(activity) => linkedRecordPath(activity) ?? "/activities"}
      ownerField="createdBy"
    />
  );
}

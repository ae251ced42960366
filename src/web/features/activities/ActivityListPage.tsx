import { useSearch } from "@tanstack/react-router";
import { ListPage } from "../lists/ListPage.tsx";
import { activityColumns, activityFilterFields, type ActivityRow } from "./activities.columns.tsx";
import { linkedRecordPath } from "./linked-records.ts";

/**
 * Every activity of the workspace. Activities are logged from a record's timeline, so the list
 * has no "New" button, and a row opens the record it was logged on.
 */
export function ActivityListPage() {
  const search = useSearch({ from: "/app/activities" });
  return (
    <ListPage<ActivityRow>
      title="Activities"
      collection="activities"
      search={search}
      columns={activityColumns}
      filterFields={activityFilterFields}
      defaultSort="-occurredAt"
      include="contact,lead,deal,company"
      recordPath={(activity) => linkedRecordPath(activity) ?? "/activities"}
    />
  );
}

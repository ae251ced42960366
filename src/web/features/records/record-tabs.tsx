import { Timeline, type RecordLink } from "../activities/Timeline.tsx";
import { RecordTasks } from "../tasks/RecordTasks.tsx";
import { HistoryPlaceholder, type RecordTab } from "./RecordPage.tsx";

/** The tabs every record page ends with: its timeline, its tasks and its change history. */
export function followUpTabs(link: RecordLink): RecordTab[] {
  return [
    { key: "timeline", label: "Timeline", content: <Timeline link={link} /> },
    { key: "tasks", label: "Tasks", content: <RecordTasks link={link} /> },
    { key: "history", label: "History", content: <HistoryPlaceholder /> },
  ];
}

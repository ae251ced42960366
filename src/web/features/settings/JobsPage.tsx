import { useRef, useState, type KeyboardEvent } from "react";
import { toast } from "sonner";
import type { JobState } from "../../../shared/schemas/job.ts";
import { Button } from "../../components/Button.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { useJobs, useRetryJob, type JobRow } from "./jobs.api.ts";

/** The filter tabs, in the order an admin looks: everything, then what needs attention first. */
const tabs: { state: JobState | undefined; label: string }[] = [
  { state: undefined, label: "All" },
  { state: "failed", label: "Failed" },
  { state: "retry", label: "Retrying" },
  { state: "created", label: "Waiting" },
  { state: "active", label: "Running" },
  { state: "completed", label: "Completed" },
  { state: "cancelled", label: "Cancelled" },
];

const stateLabels: Record<JobState, string> = {
  created: "Waiting",
  retry: "Retrying",
  active: "Running",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

const stateClass: Record<JobState, string> = {
  created: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
  retry: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
  active: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-100",
  completed: "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100",
  cancelled: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
};

function StateBadge({ state }: { state: JobState }) {
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${stateClass[state]}`}>
      {stateLabels[state]}
    </span>
  );
}

/** When it ran or will run: a waiting job's next run, else when its last attempt started. */
function timing(job: JobRow): string {
  if (job.runAfter) return `Next run ${formatDateTime(job.runAfter)}`;
  if (job.completedAt) return `Finished ${formatDateTime(job.completedAt)}`;
  if (job.startedAt) return `Started ${formatDateTime(job.startedAt)}`;
  return "—";
}

/** The error of the last failed attempt, or what the job carries: its ids, its other fields by name. */
function Details({ job }: { job: JobRow }) {
  const ids = Object.entries(job.data.ids);
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      {job.lastError && <p className="break-words text-red-800 dark:text-red-300">{job.lastError}</p>}
      {ids.map(([field, id]) => (
        <p key={field} className="break-all text-slate-600 dark:text-slate-400">
          {field} <span className="font-mono">{id}</span>
        </p>
      ))}
      {job.data.otherFields.length > 0 && (
        <p className="break-words text-slate-600 dark:text-slate-400">Also: {job.data.otherFields.join(", ")}</p>
      )}
    </div>
  );
}

/** Admin → Background jobs: what waits, runs, completed or failed for the workspace, and a retry for failed jobs. */
export function JobsPage() {
  const can = useCan();
  const [tab, setTab] = useState(0);
  const state = tabs[tab]?.state;
  const pages = useJobs(state, can("read", "job"));
  const retry = useRetryJob();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  if (!can("read", "job"))
    return (
      <>
        <PageHeader title="Background jobs" />
        <EmptyState title="Only admins see the workspace’s background jobs." />
      </>
    );

  const choose = (index: number) => {
    const next = (index + tabs.length) % tabs.length;
    setTab(next);
    tabRefs.current[next]?.focus();
  };
  const onTabKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowRight: tab + 1, ArrowLeft: tab - 1, Home: 0, End: tabs.length - 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    choose(next);
  };

  const retryButton = (job: JobRow) =>
    job.state === "failed" &&
    can("update", "job") && (
      <Button
        size="sm"
        aria-label={`Retry the ${job.queue} job of ${formatDateTime(job.createdAt)}`}
        disabled={retry.isPending && retry.variables === job.id}
        onClick={() =>
          retry.mutate(job.id, {
            onSuccess: () => toast.success(`Retrying the ${job.queue} job: a worker picks it up shortly.`),
            onError: (error) => toast.error(`Could not retry the ${job.queue} job: ${error.message}`),
          })
        }
      >
        Retry
      </Button>
    );

  let body;
  if (pages.isPending) body = <SkeletonRows rows={4} />;
  else if (pages.isError) body = <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  else {
    const jobs = pages.data.pages.flatMap((page) => page.data);
    if (jobs.length === 0)
      body = <EmptyState title={state ? `No ${stateLabels[state].toLowerCase()} jobs` : "No background jobs yet"} />;
    else
      body = (
        <>
          <table className="hidden w-full text-sm md:table">
            <caption className="sr-only">Background jobs</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                {["Queue", "State", "Attempts", "Created", "Ran", "Details"].map((heading) => (
                  <th key={heading} scope="col" className="px-3 py-2 font-medium">
                    {heading}
                  </th>
                ))}
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                  <td className="px-3 py-2 font-mono break-all">{job.queue}</td>
                  <td className="px-3 py-2">
                    <StateBadge state={job.state} />
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {job.attempts} of {job.maxAttempts}
                  </td>
                  <td className="px-3 py-2">{formatDateTime(job.createdAt)}</td>
                  <td className="px-3 py-2">{timing(job)}</td>
                  <td className="max-w-md px-3 py-2">
                    <Details job={job} />
                  </td>
                  <td className="px-3 py-2 text-right">{retryButton(job)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {/* Phones: one card per job, every field on its own line, nothing scrolls sideways. */}
          <ul aria-label="Background jobs" className="flex flex-col gap-2 md:hidden">
            {jobs.map((job) => (
              <li key={job.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
                <div className="flex items-start justify-between gap-2">
                  <p className="min-w-0 font-mono font-medium break-all">{job.queue}</p>
                  <StateBadge state={job.state} />
                </div>
                <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                  <dt className="text-slate-600 dark:text-slate-400">Attempts</dt>
                  <dd>
                    {job.attempts} of {job.maxAttempts}
                  </dd>
                  <dt className="text-slate-600 dark:text-slate-400">Created</dt>
                  <dd>{formatDateTime(job.createdAt)}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">Ran</dt>
                  <dd>{timing(job)}</dd>
                </dl>
                <div className="mt-2">
                  <Details job={job} />
                </div>
                {retryButton(job) && <div className="mt-2 flex justify-end">{retryButton(job)}</div>}
              </li>
            ))}
          </ul>
          {pages.hasNextPage && (
            <div className="p-3">
              <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                {pages.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </>
      );
  }

  return (
    <>
      <PageHeader title="Background jobs" />
      <div className="flex flex-col gap-4 p-4">
        <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">
          Work Keel does for this workspace in the background — webhook deliveries, imports, reminders — newest first. A
          failed attempt is tried again on its own; a job that failed its last attempt waits here until you retry it.
          Finished jobs are kept for a week.
        </p>
        <div role="tablist" aria-label="Job state" className="flex flex-wrap gap-1" onKeyDown={onTabKey}>
          {tabs.map((item, index) => (
            <button
              key={item.label}
              ref={(element) => {
                tabRefs.current[index] = element;
              }}
              type="button"
              role="tab"
              id={`jobs-tab-${index}`}
              aria-selected={index === tab}
              aria-controls="jobs-panel"
              tabIndex={index === tab ? 0 : -1}
              onClick={() => setTab(index)}
              className={`rounded-md px-3 py-1.5 text-sm ${
                index === tab
                  ? "bg-accent-50 font-semibold text-accent-700 dark:bg-slate-800 dark:text-sky-300"
                  : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
              }`}
            >
              {item.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id="jobs-panel" aria-labelledby={`jobs-tab-${tab}`}>
          {body}
        </div>
      </div>
    </>
  );
}

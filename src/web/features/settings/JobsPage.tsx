import { useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { JobState } from "../../../shared/schemas/job.ts";
import { Button } from "../../components/Button.tsx";
import { LoadMore } from "../../components/LoadMore.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { useJobs, useRetryJob, type JobRow } from "./jobs.api.ts";

/** The filter tabs, in the order an admin looks: everything, then what needs attention first. */
const tabs: (JobState | undefined)[] = [undefined, "failed", "retry", "created", "active", "completed", "cancelled"];

/** Each state's name, in the interface's language. */
function stateLabels(): Record<JobState, string> {
  return {
    created: t("settings.jobs.states.created"),
    retry: t("settings.jobs.states.retry"),
    active: t("settings.jobs.states.active"),
    completed: t("settings.jobs.states.completed"),
    failed: t("settings.jobs.states.failed"),
    cancelled: t("settings.jobs.states.cancelled"),
  };
}

/** What the list says when no job is in a state. */
function emptyTitles(): Record<JobState, string> {
  return {
    created: t("settings.jobs.emptyByState.created"),
    retry: t("settings.jobs.emptyByState.retry"),
    active: t("settings.jobs.emptyByState.active"),
    completed: t("settings.jobs.emptyByState.completed"),
    failed: t("settings.jobs.emptyByState.failed"),
    cancelled: t("settings.jobs.emptyByState.cancelled"),
  };
}

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
      {stateLabels()[state]}
    </span>
  );
}

/** When it ran or will run: a waiting job's next run, else when its last attempt started. */
function timing(job: JobRow): string {
  if (job.runAfter) return t("settings.jobs.nextRun", { at: formatDateTime(job.runAfter) });
  if (job.completedAt) return t("settings.jobs.finished", { at: formatDateTime(job.completedAt) });
  if (job.startedAt) return t("settings.jobs.started", { at: formatDateTime(job.startedAt) });
  return "—";
}

/** The error of the last failed attempt, or what the job carries: its ids, its other fields by name. */
function Details({ job }: { job: JobRow }) {
  const { t } = useTranslation();
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
        <p className="break-words text-slate-600 dark:text-slate-400">
          {t("settings.jobs.also", { fields: job.data.otherFields.join(", ") })}
        </p>
      )}
    </div>
  );
}

/** Admin → Background jobs: what waits, runs, completed or failed for the workspace, and a retry for failed jobs. */
export function JobsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [tab, setTab] = useState(0);
  const state = tabs[tab];
  const pages = useJobs(state, can("read", "job"));
  const retry = useRetryJob();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  if (!can("read", "job"))
    return (
      <>
        <PageHeader title={t("settings.jobs.title")} />
        <EmptyState title={t("settings.jobs.onlyAdmins")} />
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
        aria-label={t("settings.jobs.retryLabel", { queue: job.queue, at: formatDateTime(job.createdAt) })}
        disabled={retry.isPending && retry.variables === job.id}
        onClick={() =>
          retry.mutate(job.id, {
            onSuccess: () => toast.success(t("settings.jobs.retrying", { queue: job.queue })),
            onError: (error) =>
              toast.error(t("settings.jobs.couldNotRetry", { queue: job.queue, message: error.message })),
          })
        }
      >
        {t("settings.jobs.retry")}
      </Button>
    );

  let body;
  if (pages.isPending) body = <SkeletonRows rows={4} />;
  else if (pages.isError) body = <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  else {
    const jobs = pages.data.pages.flatMap((page) => page.data);
    if (jobs.length === 0) body = <EmptyState title={state ? emptyTitles()[state] : t("settings.jobs.empty")} />;
    else
      body = (
        <>
          <table className="hidden w-full text-sm md:table">
            <caption className="sr-only">{t("settings.jobs.title")}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                {[
                  t("settings.jobs.queue"),
                  t("settings.jobs.state"),
                  t("settings.jobs.attempts"),
                  t("common.created"),
                  t("settings.jobs.ran"),
                  t("settings.jobs.details"),
                ].map((heading) => (
                  <th key={heading} scope="col" className="px-3 py-2 font-medium">
                    {heading}
                  </th>
                ))}
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t("common.actions")}</span>
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
                    {t("settings.jobs.attemptsOf", { attempts: job.attempts, max: job.maxAttempts })}
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
          <ul aria-label={t("settings.jobs.title")} className="flex flex-col gap-2 md:hidden">
            {jobs.map((job) => (
              <li key={job.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
                <div className="flex items-start justify-between gap-2">
                  <p className="min-w-0 font-mono font-medium break-all">{job.queue}</p>
                  <StateBadge state={job.state} />
                </div>
                <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                  <dt className="text-slate-600 dark:text-slate-400">{t("settings.jobs.attempts")}</dt>
                  <dd>{t("settings.jobs.attemptsOf", { attempts: job.attempts, max: job.maxAttempts })}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">{t("common.created")}</dt>
                  <dd>{formatDateTime(job.createdAt)}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">{t("settings.jobs.ran")}</dt>
                  <dd>{timing(job)}</dd>
                </dl>
                <div className="mt-2">
                  <Details job={job} />
                </div>
                {retryButton(job) && <div className="mt-2 flex justify-end">{retryButton(job)}</div>}
              </li>
            ))}
          </ul>
          <LoadMore pages={pages} className="p-3" />
        </>
      );
  }

  return (
    <>
      <PageHeader title={t("settings.jobs.title")} />
      <div className="flex flex-col gap-4 p-4">
        <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">{t("settings.jobs.intro")}</p>
        <div
          role="tablist"
          aria-label={t("settings.jobs.stateTabs")}
          className="flex flex-wrap gap-1"
          onKeyDown={onTabKey}
        >
          {tabs.map((item, index) => (
            <button
              key={item ?? "all"}
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
              {item ? stateLabels()[item] : t("common.all")}
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

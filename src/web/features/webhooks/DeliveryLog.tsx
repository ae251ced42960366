import { useState } from "react";
import { toast } from "sonner";
import { eventTypes } from "../../../shared/events.ts";
import { deliveryStatuses, type DeliveryStatus } from "../../../shared/schemas/webhook.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField } from "../../components/Field.tsx";
import { EmptyState, ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { useRetryDelivery, useWebhookDeliveries, type DeliveryRow, type WebhookRow } from "./webhooks.api.ts";

const statusClass: Record<DeliveryStatus, string> = {
  delivered: "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100",
  gone: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
};

function OutcomeBadge({ status }: { status: DeliveryStatus }) {
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${statusClass[status]}`}>
      {labelOf(status)}
    </span>
  );
}

/** The answer's status and how long the attempt took: "HTTP 500 in 120 ms", or "No answer after 15 s". */
function answerOf(attempt: DeliveryRow): string {
  const took = attempt.durationMs >= 1000 ? `${(attempt.durationMs / 1000).toFixed(1)} s` : `${attempt.durationMs} ms`;
  return attempt.responseCode === null ? `No answer (${took})` : `HTTP ${attempt.responseCode} in ${took}`;
}

/** Why it failed, when the next attempt is due, and the start of the receiver's answer. */
function Details({ attempt }: { attempt: DeliveryRow }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      {attempt.error && <p className="break-words text-red-800 dark:text-red-300">{attempt.error}</p>}
      {attempt.nextAttemptAt && (
        <p className="text-slate-600 dark:text-slate-400">Next attempt {formatDateTime(attempt.nextAttemptAt)}</p>
      )}
      {attempt.responseExcerpt ? (
        <details>
          <summary className="cursor-pointer text-slate-700 dark:text-slate-300">Response body</summary>
          <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-100 p-2 text-xs whitespace-pre-wrap break-all dark:bg-slate-800">
            {attempt.responseExcerpt}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

const statusOptions = [
  { value: "", label: "All outcomes" },
  ...deliveryStatuses.map((status) => ({ value: status, label: labelOf(status) })),
];
const eventTypeOptions = [
  { value: "", label: "All events" },
  ...eventTypes.map((type) => ({ value: type, label: type })),
];

/** One endpoint's delivery attempts, newest first, with filters and a retry for each. Refreshes every few seconds. */
export function DeliveryLog({ webhook, canRetry }: { webhook: WebhookRow; canRetry: boolean }) {
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const [eventType, setEventType] = useState("");
  const pages = useWebhookDeliveries(webhook.id, { status: status || undefined, eventType: eventType || undefined });
  const retry = useRetryDelivery();

  const retryButton = (attempt: DeliveryRow) =>
    canRetry &&
    webhook.active && (
      <Button
        size="sm"
        aria-label={`Retry ${attempt.eventType} (attempt ${attempt.attempt})`}
        disabled={retry.isPending && retry.variables === attempt.id}
        onClick={() =>
          retry.mutate(attempt.id, {
            onSuccess: () => toast.success(`Sending ${attempt.eventType} again: the new attempt shows here shortly.`),
            onError: (error) => toast.error(`Could not retry: ${error.message}`),
          })
        }
      >
        Retry
      </Button>
    );

  let body;
  if (pages.isPending) body = <SkeletonRows rows={3} />;
  else if (pages.isError) body = <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  else {
    const attempts = pages.data.pages.flatMap((page) => page.data);
    if (attempts.length === 0)
      body = <EmptyState title={status || eventType ? "No attempts match these filters" : "No deliveries yet"} />;
    else
      body = (
        <>
          <table className="hidden w-full text-sm md:table">
            <caption className="sr-only">Delivery attempts</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                {["When", "Event", "Attempt", "Outcome", "Answer", "Details"].map((heading) => (
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
              {attempts.map((attempt) => (
                <tr key={attempt.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(attempt.createdAt)}</td>
                  <td className="px-3 py-2">
                    <p className="font-mono text-xs">{attempt.eventType}</p>
                    <p className="font-mono text-xs break-all text-slate-600 dark:text-slate-400">{attempt.eventId}</p>
                  </td>
                  <td className="px-3 py-2">{attempt.attempt}</td>
                  <td className="px-3 py-2">
                    <OutcomeBadge status={attempt.status} />
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{answerOf(attempt)}</td>
                  <td className="max-w-sm px-3 py-2">
                    <Details attempt={attempt} />
                  </td>
                  <td className="px-3 py-2 text-right">{retryButton(attempt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {/* Phones: one card per attempt. */}
          <ul aria-label="Delivery attempts" className="flex flex-col gap-2 md:hidden">
            {attempts.map((attempt) => (
              <li key={attempt.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
                <div className="flex items-start justify-between gap-2">
                  <p className="min-w-0 font-mono text-xs break-all">{attempt.eventType}</p>
                  <OutcomeBadge status={attempt.status} />
                </div>
                <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                  <dt className="text-slate-600 dark:text-slate-400">When</dt>
                  <dd>{formatDateTime(attempt.createdAt)}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">Attempt</dt>
                  <dd>{attempt.attempt}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">Answer</dt>
                  <dd>{answerOf(attempt)}</dd>
                </dl>
                <div className="mt-2">
                  <Details attempt={attempt} />
                </div>
                {retryButton(attempt) && <div className="mt-2 flex justify-end">{retryButton(attempt)}</div>}
              </li>
            ))}
          </ul>
          {pages.hasNextPage && (
            <div className="p-3">
              <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                {pages.isFetchingNextPage ? "Loading…" : "Load older attempts"}
              </Button>
            </div>
          )}
        </>
      );
  }

  return (
    <section aria-labelledby={`log-${webhook.id}`} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id={`log-${webhook.id}`} className="min-w-0 text-base font-semibold break-all">
          Delivery log: {webhook.url}
        </h2>
        <Button size="sm" onClick={() => void pages.refetch()} disabled={pages.isFetching}>
          {pages.isFetching ? "Refreshing…" : "Refresh"}
        </Button>
      </div>
      <div className="grid max-w-xl grid-cols-1 gap-3 sm:grid-cols-2">
        <SelectField
          label="Outcome"
          value={status}
          options={statusOptions}
          onChange={(event) => setStatus(event.target.value as DeliveryStatus | "")}
        />
        <SelectField
          label="Event type"
          value={eventType}
          options={eventTypeOptions}
          onChange={(event) => setEventType(event.target.value)}
        />
      </div>
      {body}
    </section>
  );
}

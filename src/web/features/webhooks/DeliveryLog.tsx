import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { eventTypes } from "../../../shared/events.ts";
import { deliveryStatuses, type DeliveryStatus } from "../../../shared/schemas/webhook.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField } from "../../components/Field.tsx";
import { EmptyState, ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime, formatDecimal, labelOf } from "../../lib/format.ts";
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
  const took =
    attempt.durationMs >= 1000
      ? t("webhooks.deliveries.seconds", { seconds: formatDecimal(attempt.durationMs / 1000, 1) })
      : t("webhooks.deliveries.milliseconds", { milliseconds: attempt.durationMs });
  return attempt.responseCode === null
    ? t("webhooks.deliveries.noAnswer", { took })
    : t("webhooks.deliveries.httpAnswer", { code: attempt.responseCode, took });
}

/** Why it failed, when the next attempt is due, and the start of the receiver's answer. */
function Details({ attempt }: { attempt: DeliveryRow }) {
  const { t } = useTranslation();
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      {attempt.error && <p className="break-words text-red-800 dark:text-red-300">{attempt.error}</p>}
      {attempt.nextAttemptAt && (
        <p className="text-slate-600 dark:text-slate-400">
          {t("webhooks.deliveries.nextAttempt", { when: formatDateTime(attempt.nextAttemptAt) })}
        </p>
      )}
      {attempt.responseExcerpt ? (
        <details>
          <summary className="cursor-pointer text-slate-700 dark:text-slate-300">
            {t("webhooks.deliveries.responseBody")}
          </summary>
          <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-100 p-2 text-xs whitespace-pre-wrap break-all dark:bg-slate-800">
            {attempt.responseExcerpt}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

/** One endpoint's delivery attempts, newest first, with filters and a retry for each. Refreshes every few seconds. */
export function DeliveryLog({ webhook, canRetry }: { webhook: WebhookRow; canRetry: boolean }) {
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const [eventType, setEventType] = useState("");
  const pages = useWebhookDeliveries(webhook.id, { status: status || undefined, eventType: eventType || undefined });
  const retry = useRetryDelivery();
  const { t } = useTranslation();
  const statusOptions = [
    { value: "", label: t("webhooks.deliveries.allOutcomes") },
    ...deliveryStatuses.map((value) => ({ value, label: labelOf(value) })),
  ];
  // Event types are codes, shown as they are.
  const eventTypeOptions = [
    { value: "", label: t("webhooks.deliveries.allEvents") },
    ...eventTypes.map((type) => ({ value: type, label: type })),
  ];

  const retryButton = (attempt: DeliveryRow) =>
    canRetry &&
    webhook.active && (
      <Button
        size="sm"
        aria-label={t("webhooks.deliveries.retryLabel", { event: attempt.eventType, attempt: attempt.attempt })}
        disabled={retry.isPending && retry.variables === attempt.id}
        onClick={() =>
          retry.mutate(attempt.id, {
            onSuccess: () => toast.success(t("webhooks.toast.retrying", { event: attempt.eventType })),
            onError: (error) => toast.error(t("webhooks.toast.couldNotRetry", { message: error.message })),
          })
        }
      >
        {t("webhooks.deliveries.retry")}
      </Button>
    );

  let body;
  if (pages.isPending) body = <SkeletonRows rows={3} />;
  else if (pages.isError) body = <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  else {
    const attempts = pages.data.pages.flatMap((page) => page.data);
    if (attempts.length === 0)
      body = (
        <EmptyState title={status || eventType ? t("webhooks.deliveries.noMatches") : t("webhooks.deliveries.empty")} />
      );
    else
      body = (
        <>
          <table className="hidden w-full text-sm md:table">
            <caption className="sr-only">{t("webhooks.deliveries.caption")}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                {[
                  t("webhooks.deliveries.when"),
                  t("webhooks.deliveries.event"),
                  t("webhooks.deliveries.attempt"),
                  t("webhooks.deliveries.outcome"),
                  t("webhooks.deliveries.answer"),
                  t("webhooks.deliveries.details"),
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
          <ul aria-label={t("webhooks.deliveries.caption")} className="flex flex-col gap-2 md:hidden">
            {attempts.map((attempt) => (
              <li key={attempt.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
                <div className="flex items-start justify-between gap-2">
                  <p className="min-w-0 font-mono text-xs break-all">{attempt.eventType}</p>
                  <OutcomeBadge status={attempt.status} />
                </div>
                <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                  <dt className="text-slate-600 dark:text-slate-400">{t("webhooks.deliveries.when")}</dt>
                  <dd>{formatDateTime(attempt.createdAt)}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">{t("webhooks.deliveries.attempt")}</dt>
                  <dd>{attempt.attempt}</dd>
                  <dt className="text-slate-600 dark:text-slate-400">{t("webhooks.deliveries.answer")}</dt>
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
                {pages.isFetchingNextPage ? t("common.loading") : t("webhooks.deliveries.loadOlder")}
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
          {t("webhooks.deliveries.heading", { url: webhook.url })}
        </h2>
        <Button size="sm" onClick={() => void pages.refetch()} disabled={pages.isFetching}>
          {pages.isFetching ? t("webhooks.deliveries.refreshing") : t("webhooks.deliveries.refresh")}
        </Button>
      </div>
      <div className="grid max-w-xl grid-cols-1 gap-3 sm:grid-cols-2">
        <SelectField
          label={t("webhooks.deliveries.outcome")}
          value={status}
          options={statusOptions}
          onChange={(event) => setStatus(event.target.value as DeliveryStatus | "")}
        />
        <SelectField
          label={t("webhooks.deliveries.eventType")}
          value={eventType}
          options={eventTypeOptions}
          onChange={(event) => setEventType(event.target.value)}
        />
      </div>
      {body}
    </section>
  );
}

import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { SignInFailureReason } from "../../../shared/schemas/sign-in.ts";
import type { Page } from "../../api/records.ts";
import { LoadMore } from "../../components/LoadMore.tsx";
import { EmptyState, ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../lib/format.ts";
import type { SignInRow } from "./profile.api.ts";
import { describeUserAgent } from "./user-agent.ts";

function Outcome({ attempt }: { attempt: SignInRow }) {
  const { t } = useTranslation();
  const failureLabels: Record<SignInFailureReason, string> = {
    "wrong-password": t("settings.signIns.failures.wrongPassword"),
    "unknown-email": t("settings.signIns.failures.unknownEmail"),
    disabled: t("settings.signIns.failures.disabled"),
    "wrong-code": t("settings.signIns.failures.wrongCode"),
  };
  if (attempt.success)
    return (
      <span className="rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-900 dark:bg-green-950 dark:text-green-100">
        {t("settings.signIns.succeeded")}
      </span>
    );
  return (
    <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-900 dark:bg-red-950 dark:text-red-100">
      {t("settings.signIns.failed", {
        reason: attempt.reason ? failureLabels[attempt.reason] : t("settings.signIns.refused"),
      })}
    </span>
  );
}

type SignInListProps = {
  /** What the list is, for screen readers ("My sign-ins"). */
  label: string;
  pages: UseInfiniteQueryResult<InfiniteData<Page<SignInRow>>>;
  /** Who tried, for lists of several people's sign-ins (the e-mail tried, or a member's name). */
  whoOf?: (attempt: SignInRow) => string;
  emptyTitle: string;
};

/**
 * Sign-in attempts, newest first: outcome, time, address and browser, then "Load more" while the
 * server has older ones. One column of cards: it reads the same at 375 px as on a desktop.
 */
export function SignInList({ label, pages, whoOf, emptyTitle }: SignInListProps) {
  const { t } = useTranslation();
  if (pages.isPending) return <SkeletonRows rows={4} />;
  if (pages.isError) return <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  const attempts = pages.data.pages.flatMap((page) => page.data);
  if (attempts.length === 0) return <EmptyState title={emptyTitle} />;
  return (
    <div className="flex flex-col gap-2">
      <ul aria-label={label} className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800">
        {attempts.map((attempt) => (
          <li key={attempt.id} className="flex flex-col gap-1 py-2 text-sm sm:flex-row sm:items-start sm:gap-3">
            <div className="flex shrink-0 items-center gap-2 sm:w-56">
              <Outcome attempt={attempt} />
              <time dateTime={attempt.at} className="text-slate-700 dark:text-slate-300">
                {formatDateTime(attempt.at)}
              </time>
            </div>
            <div className="min-w-0 flex-1">
              {whoOf && <p className="font-medium break-words">{whoOf(attempt)}</p>}
              <p className="break-words text-slate-700 dark:text-slate-300">
                {describeUserAgent(attempt.userAgent)}
                <span className="text-slate-600 dark:text-slate-400">
                  {" · "}
                  {attempt.ipAddress ?? t("settings.signIns.unknownAddress")}
                </span>
              </p>
            </div>
          </li>
        ))}
      </ul>
      <LoadMore pages={pages} />
    </div>
  );
}

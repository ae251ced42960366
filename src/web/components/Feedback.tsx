import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../api/client.ts";

/** Whether an error says that what was asked for is not there (404): asking again cannot help. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 404;
}

/**
 * A grey placeholder block while data loads. It pulses only for those who have not asked their
 * system for less motion; `data-skeleton` marks it either way (the browser tests wait for none).
 */
export function Skeleton({ className = "h-4 w-full" }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      data-skeleton=""
      className={`rounded bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800 ${className}`}
    />
  );
}

export function SkeletonRows({ rows = 8 }: { rows?: number }) {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("components.feedback.loading")} className="flex flex-col gap-2 p-3">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-7 w-full" />
      ))}
    </div>
  );
}

/**
 * A page on its way (its code still loading): a small spinner, turning only for those who have not
 * asked their system for less motion, and "Loading" for screen readers, like the skeletons. The
 * router shows it only once a page takes a moment (routes.tsx), so fast pages never flash it.
 */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("components.feedback.loading")} className="flex justify-center p-8">
      <span
        aria-hidden="true"
        className="border-t-accent-600 size-6 rounded-full border-2 border-slate-300 motion-safe:animate-spin dark:border-slate-700 dark:border-t-sky-400"
      />
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 px-4 py-12 text-center text-slate-600 dark:text-slate-300">
      <p className="font-medium text-slate-800 dark:text-slate-100">{title}</p>
      {children}
    </div>
  );
}

/** Why something could not load, with Try again (`onRetry`) unless it is not there at all. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : t("components.feedback.somethingWentWrong");
  return (
    <div
      role="alert"
      className="m-4 rounded-md border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-medium">{t("components.feedback.couldNotLoad")}</p>
      <p className="text-sm">{message}</p>
      {onRetry && !isNotFound(error) && (
        <button type="button" className="mt-2 text-sm underline" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export function PageHeader({ title, actions }: { title: string; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
      <h1 className="text-xl font-semibold">{title}</h1>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

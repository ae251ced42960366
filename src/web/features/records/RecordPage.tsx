import { Link } from "@tanstack/react-router";
import { Tabs } from "radix-ui";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { resourceOf } from "../../api/records.ts";
import { EmptyState, ErrorMessage, isNotFound, Skeleton } from "../../components/Feedback.tsx";
import type { Action, Resource } from "../../../shared/permissions.ts";
import { useCan } from "../auth/session.ts";

export type RecordTab = {
  key: string;
  label: string;
  content: ReactNode;
  /** What the member must be allowed to see the tab at all (the change history: admins and managers). */
  requires?: { action: Action; resource: Resource };
};

type RecordPageProps = {
  title: string;
  subtitle?: ReactNode;
  /** Buttons beside the title (edit, delete, convert…). */
  actions?: ReactNode;
  /** A banner above the tabs, e.g. "this record is deleted". */
  notice?: ReactNode;
  tabs: RecordTab[];
};

/** The frame of every record page: title and actions, then tabs (details, related, timeline, tasks, history). */
export function RecordPage({ title, subtitle, actions, notice, tabs: allTabs }: RecordPageProps) {
  const { t } = useTranslation();
  const can = useCan();
  const tabs = allTabs.filter((tab) => !tab.requires || can(tab.requires.action, tab.requires.resource));
  return (
    <article className="mx-auto flex max-w-5xl flex-col gap-3 p-4">
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h1 className="truncate text-2xl font-semibold">{title}</h1>
          {subtitle && <div className="text-sm text-slate-600 dark:text-slate-300">{subtitle}</div>}
        </div>
        {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
      </header>
      {notice}
      <Tabs.Root defaultValue={tabs[0]?.key}>
        <Tabs.List
          aria-label={t("records.page.sections")}
          className="flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-700"
        >
          {tabs.map((tab) => (
            <Tabs.Trigger
              key={tab.key}
              value={tab.key}
              className="border-b-2 border-transparent px-3 py-2 text-sm whitespace-nowrap text-slate-700 data-[state=active]:border-accent-600 data-[state=active]:font-semibold dark:text-slate-200 dark:data-[state=active]:border-sky-400"
            >
              {tab.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Content key={tab.key} value={tab.key} className="py-3">
            {tab.content}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </article>
  );
}

export function RecordPageSkeleton() {
  const { t } = useTranslation();
  return (
    <div
      role="status"
      aria-label={t("components.feedback.loading")}
      className="mx-auto flex max-w-5xl flex-col gap-3 p-4"
    >
      <Skeleton className="h-8 w-1/2" />
      <Skeleton className="h-4 w-1/3" />
      <Skeleton className="h-48 w-full" />
    </div>
  );
}

/** The record types that have a page of their own, each with its list. */
type RecordPageCollection = "contacts" | "companies" | "leads" | "deals" | "tasks";

/**
 * Why a record page could not load. A record that is not there (never was, deleted for good, or
 * of another workspace: 404) says so and leads back to its list; trying again would not help.
 */
export function RecordPageError({
  collection,
  error,
  onRetry,
}: {
  collection: RecordPageCollection;
  error: unknown;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  if (!isNotFound(error)) return <ErrorMessage error={error} onRetry={onRetry} />;
  const context = resourceOf[collection];
  return (
    <article className="mx-auto max-w-5xl p-4">
      <EmptyState title={t("records.notFound.title", { context })}>
        <Link to={`/${collection}`} className="text-accent-700 underline dark:text-sky-300">
          {t("records.notFound.backToList", { context })}
        </Link>
      </EmptyState>
    </article>
  );
}

/** A definition list of a record's fields. */
export function FieldList({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-2">{children}</dl>;
}

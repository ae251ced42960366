import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { MergeRequest } from "../../../shared/schemas/merge.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatDate } from "../../lib/format.ts";
import { toastWithUndo } from "../../lib/undo.ts";
import { useCan } from "../auth/session.ts";
import {
  undoMerge,
  useDuplicateGroups,
  useMerge,
  type DuplicateCollection,
  type DuplicateGroupRow,
} from "./duplicates.api.ts";
import { MergeGroupDialog } from "./MergeGroupDialog.tsx";

/** The tabs, in the current language. */
const tabs = (): { collection: DuplicateCollection; label: string }[] => [
  { collection: "contacts", label: t("duplicates.page.contacts") },
  { collection: "companies", label: t("duplicates.page.companies") },
];

/** Why a group's records look alike, in the current language. */
function reasonLabel(reason: DuplicateGroupRow["reason"]): string {
  const labels: Record<DuplicateGroupRow["reason"], string> = {
    email: t("duplicates.reason.email"),
    phone: t("duplicates.reason.phone"),
    domain: t("duplicates.reason.domain"),
    name: t("duplicates.reason.name"),
  };
  return labels[reason];
}

/** How sure the server is, in the current language. */
function confidenceLabel(confidence: DuplicateGroupRow["confidence"]): string {
  const labels: Record<DuplicateGroupRow["confidence"], string> = {
    high: t("duplicates.confidence.high"),
    medium: t("duplicates.confidence.medium"),
    low: t("duplicates.confidence.low"),
  };
  return labels[confidence];
}

const confidenceStyles: Record<DuplicateGroupRow["confidence"], string> = {
  high: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100",
  medium: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
  low: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
};

/** The last merge on this page, with its survivor and an Undo that outlives the toast. */
type LastMerge = { id: string; name: string; message: string; undo: () => Promise<unknown> };

function MergedNotice({ merge, collection }: { merge: LastMerge; collection: DuplicateCollection }) {
  const { t } = useTranslation();
  const [isUndoing, setUndoing] = useState(false);
  const undo = () => {
    setUndoing(true);
    merge.undo().then(
      () => toast.success(t("duplicates.merged.undone")),
      (error: unknown) => {
        setUndoing(false);
        toast.error(error instanceof Error ? error.message : t("duplicates.merged.undoFailed"));
      },
    );
  };
  return (
    <div
      role="status"
      className="mb-3 flex flex-wrap items-center gap-2 rounded-md bg-green-50 p-2 text-sm text-green-900 dark:bg-green-950 dark:text-green-100"
    >
      <span>
        {merge.message}{" "}
        <Trans
          i18nKey="duplicates.merged.kept"
          values={{ name: merge.name }}
          components={{
            link: (
              <Link
                to={collection === "contacts" ? "/contacts/$id" : "/companies/$id"}
                params={{ id: merge.id }}
                className="font-medium underline"
              />
            ),
          }}
        />
      </span>
      <Button size="sm" onClick={undo} disabled={isUndoing}>
        {t("duplicates.merged.undo")}
      </Button>
    </div>
  );
}

/** Empty pages the list asks past on its own (the server reads similar names a window at a time). */
const maxEmptyPagesInARow = 20;

/**
 * Duplicates: likely duplicate contacts or companies (tabs), grouped with their reason and
 * confidence, each group mergeable (admins and managers) in a dialog; the toast offers Undo.
 */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const [collection, setCollection] = useState<DuplicateCollection>("contacts");
  return (
    <>
      <PageHeader title={t("duplicates.page.title")} />
      <div
        role="tablist"
        aria-label={t("duplicates.page.recordType")}
        className="mb-4 flex gap-1 border-b border-slate-200 dark:border-slate-700"
      >
        {tabs().map((tab) => (
          <button
            key={tab.collection}
            type="button"
            role="tab"
            id={`duplicates-tab-${tab.collection}`}
            aria-selected={collection === tab.collection}
            aria-controls="duplicates-panel"
            onClick={() => setCollection(tab.collection)}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm font-medium ${collection === tab.collection ? "border-accent-600 text-accent-700 dark:text-accent-300" : "border-transparent text-slate-600 dark:text-slate-300"}`}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="duplicates-panel" aria-labelledby={`duplicates-tab-${collection}`}>
        <DuplicateGroups key={collection} collection={collection} />
      </div>
    </>
  );
}

function DuplicateGroups({ collection }: { collection: DuplicateCollection }) {
  const { t } = useTranslation();
  const can = useCan();
  const client = useQueryClient();
  const groups = useDuplicateGroups(collection);
  const merge = useMerge(collection);
  const [merging, setMerging] = useState<DuplicateGroupRow | null>(null);
  const [lastMerge, setLastMerge] = useState<LastMerge | null>(null);
  const resource = collection === "contacts" ? "contact" : "company";
  const canMerge = can("update", resource) && can("delete", resource);
  const pages = groups.data?.pages ?? [];
  const all = pages.flatMap((page) => page.data);

  // A page without groups is no end while there is a cursor: ask on, a bounded number of times.
  const trailingEmpty = pages.length - 1 - pages.findLastIndex((page) => page.data.length > 0);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = groups;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && trailingEmpty > 0 && trailingEmpty < maxEmptyPagesInARow) {
      void fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, trailingEmpty, fetchNextPage]);

  if (groups.isPending) return <SkeletonRows rows={4} />;
  if (groups.isError) return <ErrorMessage error={groups.error} onRetry={() => void groups.refetch()} />;

  const confirm = (request: MergeRequest) => {
    const survivor = merging?.records.find((r) => r.id === request.survivorId);
    merge.mutate(request, {
      onSuccess: (answer) => {
        setMerging(null);
        const undo = () => undoMerge(client, collection, answer.mergeId).finally(() => setLastMerge(null));
        const count = answer.mergedIds.length + 1;
        const message =
          collection === "contacts"
            ? t("duplicates.merged.contacts", { count })
            : t("duplicates.merged.companies", { count });
        setLastMerge({
          id: answer.survivor.id,
          name: survivor?.name ?? t("duplicates.merged.theSurvivor"),
          message,
          undo,
        });
        toastWithUndo(message, undo);
      },
    });
  };

  return (
    <>
      {lastMerge && <MergedNotice merge={lastMerge} collection={collection} />}
      {all.length === 0 && !hasNextPage && (
        <EmptyState
          title={collection === "contacts" ? t("duplicates.page.emptyContacts") : t("duplicates.page.emptyCompanies")}
        />
      )}
      <ul
        className="flex flex-col gap-3"
        aria-label={
          collection === "contacts" ? t("duplicates.page.groupsContacts") : t("duplicates.page.groupsCompanies")
        }
      >
        {all.map((group) => (
          <li key={group.key} className="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
            <div className="mb-2 flex flex-wrap items-center gap-2">
              <h2 className="text-sm font-semibold">{reasonLabel(group.reason)}</h2>
              <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${confidenceStyles[group.confidence]}`}>
                {confidenceLabel(group.confidence)}
              </span>
              {canMerge && (
                <Button size="sm" className="ml-auto" onClick={() => setMerging(group)}>
                  {t("duplicates.page.merge")}
                </Button>
              )}
            </div>
            <ul className="flex flex-col gap-1 text-sm">
              {group.records.map((record) => (
                <li key={record.id} className="flex flex-wrap gap-x-3">
                  <Link
                    to={collection === "contacts" ? "/contacts/$id" : "/companies/$id"}
                    params={{ id: record.id }}
                    className="font-medium underline"
                  >
                    {record.name || t("duplicates.page.noName")}
                  </Link>
                  {(record.email ?? record.domain) && <span>{record.email ?? record.domain}</span>}
                  {record.phone && <span>{record.phone}</span>}
                  <span className="text-slate-600 dark:text-slate-300">
                    {record.owner
                      ? t("duplicates.page.owner", { name: record.owner.name })
                      : t("duplicates.page.noOwner")}
                    {" · "}
                    {t("duplicates.page.created", { date: formatDate(record.createdAt) })}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {hasNextPage && (
        <div className="mt-3 flex justify-center">
          <Button onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? t("duplicates.page.lookingFurther") : t("duplicates.page.showMore")}
          </Button>
        </div>
      )}
      {merging && (
        <MergeGroupDialog
          collection={collection}
          ids={merging.records.map((r) => r.id)}
          onClose={() => {
            merge.reset();
            setMerging(null);
          }}
          onMerge={confirm}
          isMerging={merge.isPending}
          error={
            merge.error
              ? merge.error instanceof ApiProblem
                ? merge.error.message
                : t("duplicates.page.mergeFailed")
              : null
          }
        />
      )}
    </>
  );
}

import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { EmptyState, ErrorMessage, SkeletonRows } from "../../components/Feedback.tsx";
import { useMembers } from "../users/users.api.ts";
import { useRecordHistory, type HistoryCollection } from "./audit.api.ts";
import { HistoryEntry } from "./HistoryEntry.tsx";
import { useHistoryAccess, type Ownership } from "./useHistoryAccess.ts";

type RecordHistoryProps = {
  collection: HistoryCollection;
  id: string;
  /** The record's owner, assignee and creator: agents see the history of their own records only. */
  record?: Ownership | undefined;
};

function NotAllowed({ role }: { role: boolean }) {
  const { t } = useTranslation();
  return (
    <EmptyState title={role ? t("audit.history.roleCannot") : t("audit.history.notOwner")}>
      <p className="max-w-md text-sm">{t("audit.history.whoSees")}</p>
    </EmptyState>
  );
}

/** A record's History tab: every change to it, newest first, a page at a time. */
export function RecordHistory({ collection, id, record }: RecordHistoryProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const access = useHistoryAccess(record);
  const pages = useRecordHistory(collection, id, access === "allowed");
  const members = useMembers();
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.id, m.name])), [members.data]);
  const entries = pages.data?.pages.flatMap((page) => page.data) ?? [];

  let body;
  if (access !== "allowed") body = <NotAllowed role={access === "role"} />;
  else if (pages.isPending) body = <SkeletonRows rows={4} />;
  else if (pages.isError)
    body =
      pages.error instanceof ApiProblem && pages.error.status === 403 ? (
        <NotAllowed role={false} />
      ) : (
        <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />
      );
  else if (entries.length === 0)
    body = (
      <EmptyState title={t("audit.history.empty")}>
        <p className="text-sm">{t("audit.history.emptyHint")}</p>
      </EmptyState>
    );
  else
    body = (
      <>
        <ol aria-label={t("audit.history.list")} className="flex flex-col">
          {entries.map((entry) => (
            <HistoryEntry key={entry.id} entry={entry} members={names} />
          ))}
        </ol>
        {pages.hasNextPage && (
          <Button
            className="self-center"
            onClick={() => void pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
          >
            {pages.isFetchingNextPage ? t("common.loading") : t("common.loadMore")}
          </Button>
        )}
      </>
    );

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <h2 id={headingId} className="text-lg font-semibold">
        {t("audit.history.title")}
      </h2>
      {body}
    </section>
  );
}

import { useNavigate, useSearch } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Button } from "../../components/Button.tsx";
import { LoadMore } from "../../components/LoadMore.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { useCan } from "../auth/session.ts";
import { useMembers } from "../users/users.api.ts";
import { useAuditLog } from "./audit.api.ts";
import { auditQueryOf } from "./audit-query.ts";
import { parseAuditSearch, type AuditSearch } from "./audit-search.ts";
import { AuditEntryDialog } from "./AuditEntryDialog.tsx";
import { AuditFilters } from "./AuditFilters.tsx";
import { AuditTable } from "./AuditTable.tsx";

/**
 * `/admin/audit-logs` (admins): who did what and when in the workspace, filtered by actor,
 * resource, action and days (the filters live in the URL, so a view can be shared), a page at a
 * time, each entry opening with its changes old | new side by side.
 */
export function AuditLogPage() {
  const { t } = useTranslation();
  const can = useCan();
  const isAllowed = can("read", "auditLog");
  const navigate = useNavigate();
  // The URL's search compared by value: a new object with the same filters is the same view.
  const searchKey = JSON.stringify(useSearch({ strict: false }));
  const search = useMemo(() => parseAuditSearch(JSON.parse(searchKey) as Record<string, unknown>), [searchKey]);
  const query = useMemo(() => auditQueryOf(search), [search]);
  const pages = useAuditLog(query.isValid ? query.filters : {}, isAllowed && query.isValid);
  const members = useMembers();
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.id, m.name])), [members.data]);
  const [openId, setOpenId] = useState<string | null>(null);

  if (!isAllowed)
    return (
      <>
        <PageHeader title={t("audit.page.title")} />
        <EmptyState title={t("audit.page.onlyAdmins")} />
      </>
    );

  const apply = (next: AuditSearch) => void navigate({ to: "/admin/audit-logs", search: next });
  const isFiltered = Object.values(search).some((value) => value !== undefined);
  const entries = pages.data?.pages.flatMap((page) => page.data) ?? [];
  const openIndex = entries.findIndex((entry) => entry.id === openId);
  const neighbour = (offset: number) => {
    const next = entries[openIndex + offset];
    return openIndex >= 0 && next ? () => setOpenId(next.id) : undefined;
  };

  let body;
  if (!query.isValid) body = <p className="text-sm text-red-700 dark:text-red-400">{t("audit.page.correctFilters")}</p>;
  else if (pages.isPending) body = <SkeletonRows rows={6} />;
  else if (pages.isError) body = <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  else if (entries.length === 0)
    body = (
      <EmptyState title={isFiltered ? t("audit.page.noMatches") : t("audit.page.empty")}>
        {isFiltered && <Button onClick={() => apply({})}>{t("audit.filters.clear")}</Button>}
      </EmptyState>
    );
  else
    body = (
      <>
        <AuditTable entries={entries} onOpen={(entry) => setOpenId(entry.id)} />
        <LoadMore pages={pages} />
      </>
    );

  return (
    <>
      <PageHeader title={t("audit.page.title")} />
      <div className="flex min-w-0 flex-col gap-4 p-4">
        <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">
          <Trans i18nKey="audit.page.intro" components={{ code: <code /> }} />
        </p>
        <AuditFilters
          key={searchKey}
          search={search}
          errors={query.isValid ? {} : query.errors}
          members={members.data ?? []}
          onApply={apply}
        />
        {body}
      </div>
      <AuditEntryDialog
        entry={openIndex >= 0 ? (entries[openIndex] ?? null) : null}
        onClose={() => setOpenId(null)}
        members={names}
        onNewer={neighbour(-1)}
        onOlder={neighbour(1)}
      />
    </>
  );
}

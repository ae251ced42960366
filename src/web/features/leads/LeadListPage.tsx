import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { ListFilter } from "../../api/records.ts";
import { Dialog } from "../../components/Dialog.tsx";
import { ViewModeSwitch } from "../lists/ViewModeSwitch.tsx";
import { ListPage } from "../lists/ListPage.tsx";
import { LeadForm } from "./LeadForm.tsx";
import { LeadKanban } from "./LeadKanban.tsx";
import { leadColumns, leadFilterFields } from "./leads.columns.tsx";
import { leadIncludes, type LeadRow } from "./leads.api.ts";

/** Leads as a table or as a kanban board by status, with the list's search, filters and views. */
export function LeadListPage() {
  const { t, i18n } = useTranslation();
  const search = useSearch({ from: "/app/leads" });
  const navigate = useNavigate();
  const [isCreating, setCreating] = useState(false);
  const openCreate = useCallback(() => setCreating(true), []);
  const board = useCallback(
    ({ filters, q }: { filters: ListFilter[]; q: string }) => <LeadKanban filters={filters} q={q} />,
    [],
  );
  // Headers and filter labels are in the current language: computed again when it changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const columns = useMemo(() => leadColumns(), [i18n.language]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const filterFields = useMemo(() => leadFilterFields(), [i18n.language]);
  return (
    <>
      <ListPage<LeadRow>
        title={t("leads.list.title")}
        noun={{ one: t("leads.list.nounOne"), other: t("leads.list.nounOther") }}
        collection="leads"
        search={search}
        columns={columns}
        filterFields={filterFields}
        defaultSort="-createdAt"
        include={leadIncludes}
        recordPath={(l) => `/leads/${l.id}`}
        onCreate={openCreate}
        createLabel={t("leads.list.create")}
        assignLabel={t("common.owner")}
        actions={
          <ViewModeSwitch
            mode={search.mode ?? "table"}
            onChange={(mode) => void navigate({ to: "/leads", search: (previous) => ({ ...previous, mode }) })}
          />
        }
        board={board}
      />
      <Dialog open={isCreating} onOpenChange={setCreating} title={t("leads.list.create")} wide>
        <LeadForm
          onCancel={() => setCreating(false)}
          onDone={(lead) => {
            setCreating(false);
            toast.success(t("leads.list.created", { title: lead.title }));
            void navigate({ to: "/leads/$id", params: { id: lead.id } });
          }}
        />
      </Dialog>
    </>
  );
}

import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import type { ListFilter } from "../../api/records.ts";
import { Dialog } from "../../components/Dialog.tsx";
import { ListPage } from "../lists/ListPage.tsx";
import { DealForm } from "./DealForm.tsx";
import { DealKanban } from "./DealKanban.tsx";
import { dealColumns, dealFilterFields } from "./deals.columns.tsx";
import { dealIncludes, usePipelines, type DealRow } from "./deals.api.ts";
import { ViewModeSwitch } from "../lists/ViewModeSwitch.tsx";

/** Deals as a table or as a kanban board by stage, with the list's search, filters and views. */
export function DealListPage() {
  const { t, i18n } = useTranslation();
  const search = useSearch({ from: "/app/deals" });
  const navigate = useNavigate();
  const [isCreating, setCreating] = useState(false);
  const openCreate = useCallback(() => setCreating(true), []);
  const pipelines = usePipelines();
  // Headers and filter labels are in the current language: computed again when it changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const filterFields = useMemo(() => dealFilterFields(pipelines.data?.data ?? []), [pipelines.data, i18n.language]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const columns = useMemo(() => dealColumns(pipelines.data?.data ?? []), [pipelines.data, i18n.language]);
  const board = useCallback(
    ({ filters, q }: { filters: ListFilter[]; q: string }) => <DealKanban filters={filters} q={q} />,
    [],
  );
  return (
    <>
      <ListPage<DealRow>
        title={t("deals.list.title")}
        noun={{ one: t("deals.list.nounOne"), other: t("deals.list.nounOther") }}
        collection="deals"
        search={search}
        columns={columns}
        filterFields={filterFields}
        defaultSort="-createdAt"
        include={dealIncludes}
        recordPath={(d) => `/deals/${d.id}`}
        onCreate={openCreate}
        createLabel={t("deals.list.new")}
        assignLabel={t("common.owner")}
        actions={
          <ViewModeSwitch
            mode={search.mode ?? "table"}
            onChange={(mode) => void navigate({ to: "/deals", search: (previous) => ({ ...previous, mode }) })}
          />
        }
        board={board}
      />
      <Dialog open={isCreating} onOpenChange={setCreating} title={t("deals.list.new")} wide>
        <DealForm
          onCancel={() => setCreating(false)}
          onDone={(deal) => {
            setCreating(false);
            toast.success(t("deals.list.created", { name: deal.name }));
            void navigate({ to: "/deals/$id", params: { id: deal.id } });
          }}
        />
      </Dialog>
    </>
  );
}

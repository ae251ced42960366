import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useState } from "react";
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
  const search = useSearch({ from: "/app/leads" });
  const navigate = useNavigate();
  const [isCreating, setCreating] = useState(false);
  const openCreate = useCallback(() => setCreating(true), []);
  const board = useCallback(
    ({ filters, q }: { filters: ListFilter[]; q: string }) => <LeadKanban filters={filters} q={q} />,
    [],
  );
  return (
    <>
      <ListPage<LeadRow>
        title="Leads"
        noun={{ one: "lead", other: "leads" }}
        collection="leads"
        search={search}
        columns={leadColumns}
        filterFields={leadFilterFields}
        defaultSort="-createdAt"
        include={leadIncludes}
        recordPath={(l) => `/leads/${l.id}`}
        onCreate={openCreate}
        createLabel="New lead"
        assignLabel="Owner"
        actions={
          <ViewModeSwitch
            mode={search.mode ?? "table"}
            onChange={(mode) => void navigate({ to: "/leads", search: (previous) => ({ ...previous, mode }) })}
          />
        }
        board={board}
      />
      <Dialog open={isCreating} onOpenChange={setCreating} title="New lead" wide>
        <LeadForm
          onCancel={() => setCreating(false)}
          onDone={(lead) => {
            setCreating(false);
            toast.success(`Created the lead “${lead.title}”.`);
            void navigate({ to: "/leads/$id", params: { id: lead.id } });
          }}
        />
      </Dialog>
    </>
  );
}

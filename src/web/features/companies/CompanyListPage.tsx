import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useState } from "react";
import { toast } from "sonner";
import { Dialog } from "../../components/Dialog.tsx";
import { ListPage } from "../lists/ListPage.tsx";
import { companyColumns, companyFilterFields, type CompanyRow } from "./companies.columns.tsx";
import { CompanyForm } from "./CompanyForm.tsx";

export function CompanyListPage() {
  const search = useSearch({ from: "/app/companies" });
  const navigate = useNavigate();
  const [isCreating, setCreating] = useState(false);
  const openCreate = useCallback(() => setCreating(true), []);
  return (
    <>
      <ListPage<CompanyRow>
        title="Companies"
        noun={{ one: "company", other: "companies" }}
        collection="companies"
        search={search}
        columns={companyColumns}
        filterFields={companyFilterFields}
        defaultSort="name"
        include="owner"
        recordPath={(c) => `/companies/${c.id}`}
        onCreate={openCreate}
        createLabel="New company"
        assignLabel="Owner"
      />
      <Dialog open={isCreating} onOpenChange={setCreating} title="New company" wide>
        <CompanyForm
          onCancel={() => setCreating(false)}
          onDone={(company) => {
            setCreating(false);
            toast.success(`Created ${company.name}.`);
            void navigate({ to: "/companies/$id", params: { id: company.id } });
          }}
        />
      </Dialog>
    </>
  );
}

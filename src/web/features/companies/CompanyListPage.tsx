import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Dialog } from "../../components/Dialog.tsx";
import { ListPage } from "../lists/ListPage.tsx";
import { companyColumns, companyFilterFields, type CompanyRow } from "./companies.columns.tsx";
import { CompanyForm } from "./CompanyForm.tsx";

/** Companies as a table, with the list's search, filters, views and bulk actions. */
export function CompanyListPage() {
  const { t, i18n } = useTranslation();
  const search = useSearch({ from: "/app/companies" });
  const navigate = useNavigate();
  const [isCreating, setCreating] = useState(false);
  const openCreate = useCallback(() => setCreating(true), []);
  // Headers and filter labels are in the current language: computed again when it changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const columns = useMemo(() => companyColumns(), [i18n.language]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const filterFields = useMemo(() => companyFilterFields(), [i18n.language]);
  return (
    <>
      <ListPage<CompanyRow>
        title={t("companies.list.title")}
        noun={{ one: t("companies.list.nounOne"), other: t("companies.list.nounOther") }}
        collection="companies"
        search={search}
        columns={columns}
        filterFields={filterFields}
        defaultSort="name"
        include="owner"
        recordPath={(c) => `/companies/${c.id}`}
        onCreate={openCreate}
        createLabel={t("companies.list.create")}
        assignLabel={t("common.owner")}
      />
      <Dialog open={isCreating} onOpenChange={setCreating} title={t("companies.list.create")} wide>
        <CompanyForm
          onCancel={() => setCreating(false)}
          onDone={(company) => {
            setCreating(false);
            toast.success(t("companies.list.created", { name: company.name }));
            void navigate({ to: "/companies/$id", params: { id: company.id } });
          }}
        />
      </Dialog>
    </>
  );
}

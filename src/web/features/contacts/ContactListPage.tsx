import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Dialog } from "../../components/Dialog.tsx";
import { ListPage } from "../lists/ListPage.tsx";
import { ContactForm } from "./ContactForm.tsx";
import { contactColumns, contactFilterFields, contactName, type ContactRow } from "./contacts.columns.tsx";

/** Contacts as a table, with the list's search, filters, views and bulk actions. */
export function ContactListPage() {
  const { t, i18n } = useTranslation();
  const search = useSearch({ from: "/app/contacts" });
  const navigate = useNavigate();
  const [isCreating, setCreating] = useState(false);
  const openCreate = useCallback(() => setCreating(true), []);
  // Headers and filter labels are in the current language: computed again when it changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const columns = useMemo(() => contactColumns(), [i18n.language]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the language is what the words depend on
  const filterFields = useMemo(() => contactFilterFields(), [i18n.language]);
  return (
    <>
      <ListPage<ContactRow>
        title={t("contacts.list.title")}
        noun={{ one: t("contacts.list.nounOne"), other: t("contacts.list.nounOther") }}
        collection="contacts"
        search={search}
        columns={columns}
        filterFields={filterFields}
        defaultSort="-createdAt"
        include="company,owner"
        recordPath={(c) => `/contacts/${c.id}`}
        onCreate={openCreate}
        createLabel={t("contacts.list.create")}
        assignLabel={t("common.owner")}
      />
      <Dialog open={isCreating} onOpenChange={setCreating} title={t("contacts.list.create")} wide>
        <ContactForm
          onCancel={() => setCreating(false)}
          onDone={(contact) => {
            setCreating(false);
            toast.success(t("contacts.list.created", { name: contactName(contact) }));
            void navigate({ to: "/contacts/$id", params: { id: contact.id } });
          }}
        />
      </Dialog>
    </>
  );
}

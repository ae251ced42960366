import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback, useState } from "react";
import { toast } from "sonner";
import { Dialog } from "../../components/Dialog.tsx";
import { ListPage } from "../lists/ListPage.tsx";
import { ContactForm } from "./ContactForm.tsx";
import { contactColumns, contactFilterFields, contactName, type ContactRow } from "./contacts.columns.tsx";

export function ContactListPage() {
  const search = useSearch({ from: "/app/contacts" });
  const navigate = useNavigate();
  const [isCreating, setCreating] = useState(false);
  const openCreate = useCallback(() => setCreating(true), []);
  return (
    <>
      <ListPage<ContactRow>
        title="Contacts"
        noun={{ one: "contact", other: "contacts" }}
        collection="contacts"
        search={search}
        columns={contactColumns}
        filterFields={contactFilterFields}
        defaultSort="-createdAt"
        include="company,owner"
        recordPath={(c) => `/contacts/${c.id}`}
        onCreate={openCreate}
        createLabel="New contact"
        assignLabel="Owner"
      />
      <Dialog open={isCreating} onOpenChange={setCreating} title="New contact" wide>
        <ContactForm
          onCancel={() => setCreating(false)}
          onDone={(contact) => {
            setCreating(false);
            toast.success(`Created ${contactName(contact)}.`);
            void navigate({ to: "/contacts/$id", params: { id: contact.id } });
          }}
        />
      </Dialog>
    </>
  );
}

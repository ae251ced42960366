import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button.tsx";
import { contactName } from "../contacts/contacts.columns.tsx";
import { RecordPicker } from "../records/RecordPicker.tsx";
import type { LeadRow } from "./leads.api.ts";

/** A contact of a lead as the editor shows it: its id, whether it is the primary one, its name. */
export type LeadContactLink = { contactId: string; isPrimary: boolean; label: string };

/** A lead's contacts as the editor shows them, named by their included summaries. */
export function contactLinksOf(lead: LeadRow | undefined): LeadContactLink[] {
  return (lead?.contacts ?? []).map((link) => ({
    contactId: link.contactId,
    isPrimary: link.isPrimary,
    label: link.contact ? contactName(link.contact) || (link.contact.email ?? "") : "",
  }));
}

/** The links as the API takes them. */
export const contactsBody = (links: readonly LeadContactLink[]) =>
  links.map(({ contactId, isPrimary }) => ({ contactId, isPrimary }));

/** The API allows at most this many contacts on a lead (LeadContactsInputSchema). */
const maxContacts = 50;

type LeadContactsEditorProps = {
  links: readonly LeadContactLink[];
  /**
   * Called with the whole new list: exactly one primary whenever there are contacts. A promise it
   * returns (a save) keeps the controls busy until it settles; its error is shown.
   */
  onChange: (links: LeadContactLink[]) => void | Promise<unknown>;
  canEdit: boolean;
  error?: string | undefined;
};

/**
 * The contacts of a lead: add one by typing (the server is searched), make another one primary,
 * remove one. The list always keeps one primary: the first added, or the first left after the
 * primary is removed. Used on the lead page (each change saved at once) and in the lead form.
 * While a change is being saved, every control waits: a second change would go out with the
 * version the first one replaced.
 */
export function LeadContactsEditor({ links, onChange, canEdit, error }: LeadContactsEditorProps) {
  const { t } = useTranslation();
  const [isSaving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const change = async (next: LeadContactLink[]) => {
    setFailure(null);
    setSaving(true);
    try {
      await onChange(next);
    } catch (cause) {
      setFailure(cause instanceof Error ? cause.message : t("leads.contactsEditor.saveFailed"));
    } finally {
      setSaving(false);
    }
  };
  const makePrimary = (contactId: string) =>
    change(links.map((link) => ({ ...link, isPrimary: link.contactId === contactId })));
  const remove = (contactId: string) => {
    const rest = links.filter((link) => link.contactId !== contactId);
    const hasPrimary = rest.some((link) => link.isPrimary);
    return change(rest.map((link, index) => (hasPrimary || index > 0 ? link : { ...link, isPrimary: true })));
  };
  const add = (contactId: string, label: string) => {
    if (!contactId || links.some((link) => link.contactId === contactId)) return;
    return change([...links, { contactId, isPrimary: links.length === 0, label }]);
  };

  return (
    <div className="flex w-full flex-col gap-2">
      {links.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t("leads.contactsEditor.empty")}</p>
      ) : (
        <ul aria-label={t("leads.contactsEditor.list")} className="flex flex-col gap-1">
          {links.map((link) => {
            // A contact without a name (or e-mail) is still named: its link and buttons need one.
            const name = link.label || t("leads.contactsEditor.unnamed");
            return (
              <li key={link.contactId} className="flex flex-wrap items-center gap-2">
                <Link
                  to="/contacts/$id"
                  params={{ id: link.contactId }}
                  className="font-medium text-accent-700 hover:underline dark:text-sky-300"
                >
                  {name}
                </Link>
                {link.isPrimary && (
                  <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-200">
                    {t("leads.contactsEditor.primary")}
                  </span>
                )}
                {canEdit && !link.isPrimary && (
                  <Button
                    size="sm"
                    onClick={() => void makePrimary(link.contactId)}
                    disabled={isSaving}
                    aria-label={t("leads.contactsEditor.makePrimaryNamed", { name })}
                  >
                    {t("leads.contactsEditor.makePrimary")}
                  </Button>
                )}
                {canEdit && (
                  <Button
                    size="sm"
                    onClick={() => void remove(link.contactId)}
                    disabled={isSaving}
                    aria-label={t("leads.contactsEditor.removeNamed", { name })}
                  >
                    {t("common.remove")}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {canEdit && links.length < maxContacts && (
        // A disabled fieldset disables the picker's input: no contact is added while a change is saved.
        <fieldset disabled={isSaving} className="m-0 min-w-0 border-0 p-0">
          <RecordPicker
            collection="contacts"
            label={t("leads.contactsEditor.add")}
            value=""
            onChange={(id, label) => void add(id, label)}
          />
        </fieldset>
      )}
      {(failure ?? error) && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {failure ?? error}
        </p>
      )}
    </div>
  );
}

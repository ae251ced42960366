import { useState } from "react";
import { useTranslation } from "react-i18next";
import { RecordPicker } from "../records/RecordPicker.tsx";

type ContactsToLinkProps = {
  value: string[];
  onChange: (ids: string[]) => void;
  onBlur?: () => void;
  error?: string | undefined;
};

/** The existing contacts a conversion links: each found by typing, shown as a removable chip. */
export function ContactsToLink({ value, onChange, onBlur, error }: ContactsToLinkProps) {
  const { t } = useTranslation();
  const [names, setNames] = useState<Record<string, string>>({});
  return (
    <div className="flex flex-col gap-1.5">
      {value.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-label={t("leads.contactsToLink.list")}>
          {value.map((id) => {
            const name = names[id] ?? t("leads.aContact");
            return (
              <li
                key={id}
                className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2.5 text-sm dark:bg-slate-800"
              >
                {name}
                <button
                  type="button"
                  aria-label={t("leads.contactsToLink.unlink", { name })}
                  className="rounded-full px-1.5 text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-700"
                  onClick={() => onChange(value.filter((v) => v !== id))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <RecordPicker
        collection="contacts"
        label={value.length ? t("leads.contactsToLink.another") : t("leads.contactsToLink.first")}
        value=""
        onChange={(id, label) => {
          if (!id || value.includes(id)) return;
          setNames((all) => ({ ...all, [id]: label }));
          onChange([...value, id]);
        }}
        onBlur={onBlur}
        error={error}
      />
    </div>
  );
}

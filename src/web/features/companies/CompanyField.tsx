import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { InlineField } from "../records/InlineField.tsx";
import { RecordPicker } from "../records/RecordPicker.tsx";

type CompanyFieldProps = {
  company: { id: string; name: string } | null | undefined;
  canEdit: boolean;
  onSave: (companyId: string | null) => Promise<unknown>;
};

/** The company a lead or deal belongs to: a link, edited in place by searching for another company. */
export function CompanyField({ company, canEdit, onSave }: CompanyFieldProps) {
  const { t } = useTranslation();
  return (
    <InlineField
      canEdit={canEdit}
      label={t("companies.field.label")}
      display={
        company ? (
          <Link
            to="/companies/$id"
            params={{ id: company.id }}
            className="font-medium text-accent-700 hover:underline dark:text-sky-300"
          >
            {company.name}
          </Link>
        ) : (
          "—"
        )
      }
      value={company?.id ?? ""}
      renderEditor={({ value, onChange }) => (
        <RecordPicker
          isBare
          autoFocus
          collection="companies"
          label={t("companies.field.label")}
          noneLabel={t("companies.field.none")}
          value={value}
          selected={company ? { id: company.id, label: company.name } : null}
          onChange={onChange}
        />
      )}
      onSave={(v) => onSave(v || null)}
    />
  );
}

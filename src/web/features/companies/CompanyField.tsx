import { Link } from "@tanstack/react-router";
import { useRecordList } from "../../api/records.ts";
import { InlineField } from "../records/InlineField.tsx";
import { relatedOptions } from "../records/related-options.ts";

type CompanyFieldProps = {
  company: { id: string; name: string } | null | undefined;
  canEdit: boolean;
  onSave: (companyId: string | null) => Promise<unknown>;
};

/** The company a lead or deal belongs to: a link, edited in place by choosing another company. */
export function CompanyField({ company, canEdit, onSave }: CompanyFieldProps) {
  // The first 200 by name, plus the current one (relatedOptions), only when the field can be edited.
  const companies = useRecordList<{ id: string; name: string }>(
    "companies",
    { sort: "name", limit: 200 },
    { enabled: canEdit },
  );
  return (
    <InlineField
      canEdit={canEdit}
      label="Company"
      type="select"
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
      options={relatedOptions(
        "No company",
        (companies.data?.data ?? []).map((c) => ({ value: c.id, label: c.name })),
        company ? { value: company.id, label: company.name } : null,
      )}
      onSave={(v) => onSave(v || null)}
    />
  );
}

import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { useRecordList } from "../../api/records.ts";
import { EmptyState } from "../../components/Feedback.tsx";
import { formatMoney, labelOf } from "../../lib/format.ts";

type DealRow = { id: string; name: string; value: string | null; currency: string; status: string };

type RelatedDealsProps = {
  /** The deals' field that points at the record: contactId or companyId. */
  field: "contactId" | "companyId";
  id: string;
  /** "this contact", "this company", in the interface's language (German: "diesem Kontakt", the dative "mit" takes). */
  recordNoun: string;
};

/** The deals of a contact or company, on its record page. */
export function RelatedDeals({ field, id, recordNoun }: RelatedDealsProps) {
  const { t } = useTranslation();
  const deals = useRecordList<DealRow>("deals", { filters: [{ field, op: "eq", value: id }], limit: 50 });
  const headingId = `related-deals-${field}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} className="mb-1 font-semibold">
        {t("deals.related.title")}
      </h2>
      {(deals.data?.data.length ?? 0) === 0 ? (
        <EmptyState title={t("deals.related.empty", { record: recordNoun })} />
      ) : (
        <ul className="flex flex-col gap-1">
          {deals.data?.data.map((deal) => (
            <li key={deal.id}>
              <Link to="/deals/$id" params={{ id: deal.id }} className="text-accent-700 underline dark:text-sky-300">
                {deal.name}
              </Link>{" "}
              <span className="text-sm text-slate-600 dark:text-slate-300">
                {formatMoney(deal.value, deal.currency)} · {labelOf(deal.status)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

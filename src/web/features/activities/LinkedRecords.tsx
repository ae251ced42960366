import { Link } from "@tanstack/react-router";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { labelOf } from "../../lib/format.ts";
import { linkedRecordsOf, recordRoutes, type Linked } from "./linked-records.ts";

/** Links to the records an activity or task belongs to, e.g. "Ada Lovelace (contact), Acme (company)". */
export function LinkedRecords({ row }: { row: Linked }) {
  const { t } = useTranslation();
  const records = linkedRecordsOf(row);
  if (records.length === 0) return <>—</>;
  // Inline, comma-separated: table cells truncate rather than wrap to a taller row.
  return (
    <span>
      {records.map((record, index) => (
        <Fragment key={record.kind}>
          {index > 0 && ", "}
          <Link
            to={recordRoutes[record.kind]}
            params={{ id: record.id }}
            className="text-accent-700 hover:underline dark:text-sky-300"
            title={labelOf(record.kind)}
          >
            {record.label}
            <span className="sr-only">{t("activities.linked.kind", { kind: labelOf(record.kind) })}</span>
          </Link>
        </Fragment>
      ))}
    </span>
  );
}

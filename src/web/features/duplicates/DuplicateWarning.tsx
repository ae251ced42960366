import { Link } from "@tanstack/react-router";
import { useWatch, type Control, type FieldValues } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { t } from "../../i18n/i18n.ts";
import { useDebounced } from "../../lib/use-debounced.ts";
import { usePossibleDuplicates, type DuplicateCollection, type PossibleDuplicateRow } from "./duplicates.api.ts";

/** Why a record looks like a duplicate, in the current language. */
function reasonText(reason: PossibleDuplicateRow["reason"]): string {
  const reasons: Record<PossibleDuplicateRow["reason"], string> = {
    email: t("duplicates.warning.email"),
    phone: t("duplicates.warning.phone"),
    domain: t("duplicates.warning.domain"),
    name: t("duplicates.warning.name"),
  };
  return reasons[reason];
}

/**
 * "This looks like an existing record", under a create form, as the user types (asked after a
 * 400 ms pause): each likely duplicate with why, linking to it. Says nothing when nothing matches
 * or the check fails — it is a hint, the form works without it.
 */
export function DuplicateWarning({
  collection,
  draft,
  excludeId,
}: {
  collection: DuplicateCollection;
  draft: Record<string, string | undefined>;
  excludeId?: string | undefined;
}) {
  const { t } = useTranslation();
  // Debounced as text: the draft is a new object on every render, its content is what matters.
  const settled = useDebounced(JSON.stringify(draft), 400);
  const { data } = usePossibleDuplicates(collection, JSON.parse(settled) as Record<string, string>, excludeId);
  const matches = data?.data ?? [];
  if (matches.length === 0) return null;
  return (
    <div
      role="status"
      className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-medium">
        {collection === "contacts" ? t("duplicates.warning.contact") : t("duplicates.warning.company")}
      </p>
      <ul className="mt-1 flex flex-col gap-0.5">
        {matches.map((match) => (
          <li key={match.id}>
            <Link
              to={collection === "contacts" ? "/contacts/$id" : "/companies/$id"}
              params={{ id: match.id }}
              className="underline"
            >
              {match.name || t("duplicates.page.noName")}
            </Link>{" "}
            <span className="text-amber-800 dark:text-amber-200">
              ({reasonText(match.reason)}
              {match.email ? `, ${match.email}` : match.domain ? `, ${match.domain}` : ""})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

const textOf = (value: unknown) => (typeof value === "string" ? value : undefined);

/** The contact form's hook-in: watches the fields a duplicate is recognised by. */
export function ContactDuplicateWarning<T extends FieldValues>({
  control,
  excludeId,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form holding these fields
  control: Control<T, any, any>;
  excludeId?: string;
}) {
  const values = useWatch({ control }) as Record<string, unknown>;
  const draft = {
    firstName: textOf(values.firstName),
    lastName: textOf(values.lastName),
    email: textOf(values.email),
    phone: textOf(values.phone),
  };
  return <DuplicateWarning collection="contacts" draft={draft} excludeId={excludeId} />;
}

/** The company form's hook-in. */
export function CompanyDuplicateWarning<T extends FieldValues>({
  control,
  excludeId,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form holding these fields
  control: Control<T, any, any>;
  excludeId?: string;
}) {
  const values = useWatch({ control }) as Record<string, unknown>;
  const draft = { name: textOf(values.name), domain: textOf(values.domain), phone: textOf(values.phone) };
  return <DuplicateWarning collection="companies" draft={draft} excludeId={excludeId} />;
}

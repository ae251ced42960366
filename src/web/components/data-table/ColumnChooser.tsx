import { Popover } from "radix-ui";
import { useTranslation } from "react-i18next";
import { Button } from "../Button.tsx";

type ColumnChooserProps = {
  columns: readonly { key: string; header: string }[];
  hidden: readonly string[];
  onChange: (hidden: string[]) => void;
};

/** Shows or hides columns; at least one column always stays. */
export function ColumnChooser({ columns, hidden, onChange }: ColumnChooserProps) {
  const { t } = useTranslation();
  const visibleCount = columns.length - hidden.length;
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <Button>{t("components.table.columns")}</Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={4}
          aria-label={t("components.table.columnsShown")}
          className="z-30 flex min-w-48 flex-col gap-1 rounded-md border border-slate-200 bg-white p-3 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <fieldset>
            <legend className="mb-1 text-sm font-medium">{t("components.table.columnsShown")}</legend>
            {columns.map((column) => {
              const isShown = !hidden.includes(column.key);
              return (
                <label key={column.key} className="flex items-center gap-2 py-0.5 text-sm">
                  <input
                    type="checkbox"
                    checked={isShown}
                    disabled={isShown && visibleCount === 1}
                    onChange={() =>
                      onChange(isShown ? [...hidden, column.key] : hidden.filter((k) => k !== column.key))
                    }
                  />
                  {column.header}
                </label>
              );
            })}
          </fieldset>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

import { useState, type Ref } from "react";
import { useTranslation } from "react-i18next";
import { useController, type Control, type FieldPath, type FieldValues } from "react-hook-form";
import { Combobox, type ComboboxOption } from "../../components/Combobox.tsx";
import { FieldFrame } from "../../components/Field.tsx";
import { useRecordLabel, useRecordSearch, type PickerCollection } from "./useRecordSearch.ts";

export type RecordPickerProps = {
  collection: PickerCollection;
  label: string;
  /** The chosen record's id; "" for none. */
  value: string;
  /** Called with the chosen record's id ("" for none) and its name. */
  onChange: (id: string, label: string) => void;
  /** The chosen record as the caller knows it; otherwise its name is read by id. */
  selected?: { id: string; label: string } | null | undefined;
  /** The choice of no record (its value is ""), e.g. "No company"; offered first. */
  noneLabel?: string | undefined;
  /** Choices offered before the matches, e.g. "Me" for an assignee. */
  extraOptions?: readonly ComboboxOption[] | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  /** Shown without its own visible label (an inline editor whose row says what it is). */
  isBare?: boolean;
  autoFocus?: boolean;
  onBlur?: () => void;
  inputRef?: Ref<HTMLInputElement>;
};

/**
 * Chooses a company, contact, deal or owner by typing: the server is searched as the user types
 * (the list's `q`), so any of millions of records can be picked, and the chosen one shows by name
 * even when it is on no page of results.
 */
export function RecordPicker({
  collection,
  label,
  value,
  onChange,
  selected,
  noneLabel,
  extraOptions = [],
  error,
  hint,
  isBare = false,
  autoFocus,
  onBlur,
  inputRef,
}: RecordPickerProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState<string | null>(null);
  // Names of records chosen here, so a choice shows at once without reading it again.
  const [chosen, setChosen] = useState<ComboboxOption | null>(null);
  const search = useRecordSearch(collection, typed ?? "", typed !== null);

  const fixed = [...(noneLabel !== undefined ? [{ value: "", label: noneLabel }] : []), ...extraOptions];
  // No record chosen: the input stays empty and says so in its placeholder, so typing starts afresh.
  const knownLabel =
    (value === "" ? "" : undefined) ??
    fixed.find((o) => o.value === value)?.label ??
    (chosen?.value === value ? chosen.label : undefined) ??
    (selected?.id === value ? selected.label : undefined) ??
    search.options.find((o) => o.value === value)?.label;
  const fetchedLabel = useRecordLabel(collection, value, knownLabel !== undefined || value === "");
  const selectedLabel = knownLabel ?? fetchedLabel ?? "";

  const isSearching = Boolean(typed?.trim());
  const options = [
    ...(isSearching ? [] : fixed),
    ...search.options.filter((o) => !fixed.some((f) => f.value === o.value)),
  ];

  const combobox = (ids: { id?: string; describedBy?: string | undefined; invalid?: boolean }) => (
    <Combobox
      {...ids}
      label={label}
      value={value}
      selectedLabel={selectedLabel}
      options={options}
      isLoading={search.isLoading}
      hasMore={search.hasMore}
      onSearch={setTyped}
      onChange={(id, option) => {
        setChosen(option);
        setTyped(null);
        onChange(id, option.label);
      }}
      onBlur={() => {
        setTyped(null);
        onBlur?.();
      }}
      inputRef={inputRef}
      placeholder={value === "" && noneLabel !== undefined ? noneLabel : t("records.picker.typeToSearch")}
      autoFocus={autoFocus}
    />
  );

  if (isBare) return <div className="min-w-48 flex-1">{combobox({ invalid: Boolean(error) })}</div>;
  return (
    <FieldFrame label={label} error={error} hint={hint}>
      {combobox}
    </FieldFrame>
  );
}

type RecordPickerFieldProps<TValues extends FieldValues, TTransformed> = Omit<
  RecordPickerProps,
  "value" | "onChange" | "onBlur" | "inputRef" | "error"
> & {
  control: Control<TValues, unknown, TTransformed>;
  /** A field of the form holding the chosen record's id. */
  name: FieldPath<TValues>;
};

/** A RecordPicker bound to a field of a react-hook-form form: its value, blur, focus and error. */
export function RecordPickerField<TValues extends FieldValues, TTransformed = TValues>({
  control,
  name,
  ...picker
}: RecordPickerFieldProps<TValues, TTransformed>) {
  const { field, fieldState } = useController({ control, name });
  return (
    <RecordPicker
      {...picker}
      value={(field.value as string | null | undefined) ?? ""}
      onChange={field.onChange}
      onBlur={field.onBlur}
      inputRef={field.ref}
      error={fieldState.error?.message}
    />
  );
}

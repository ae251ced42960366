import { RecordPicker } from "../records/RecordPicker.tsx";
import type { PickerCollection } from "../records/useRecordSearch.ts";

const pickerCollections: readonly string[] = ["companies", "contacts", "deals", "leads", "users"];
const isPickerCollection = (name: string): name is PickerCollection => pickerCollections.includes(name);

type RecordFilterValueProps = {
  label: string;
  /** What the picker searches: "companies", "contacts", "deals", "leads" or "users". */
  records: string;
  value: string;
  onChange: (id: string) => void;
};

/**
 * The value of a filter on a relation (contacts by company, deals by contact): a record picker that
 * searches the server as the user types, so any of millions of records can be the filter's value.
 */
export function RecordFilterValue({ label, records, value, onChange }: RecordFilterValueProps) {
  if (!isPickerCollection(records)) return null;
  return <RecordPicker isBare collection={records} label={label} value={value} onChange={onChange} />;
}

import { InlineField } from "./InlineField.tsx";
import { RecordPicker } from "./RecordPicker.tsx";

type OwnerFieldProps = {
  owner: { id: string; name: string } | null | undefined;
  canEdit: boolean;
  /** Saves the chosen owner's id, "" for nobody. */
  onSave: (ownerId: string) => Promise<unknown>;
};

/** A record page's Owner: its name, and a picker of the members who can own records on "Edit". */
export function OwnerField({ owner, canEdit, onSave }: OwnerFieldProps) {
  return (
    <InlineField
      label="Owner"
      display={owner?.name ?? "—"}
      value={owner?.id ?? ""}
      canEdit={canEdit}
      renderEditor={({ value, onChange }) => (
        <RecordPicker
          isBare
          autoFocus
          collection="users"
          label="Owner"
          noneLabel="Nobody"
          value={value}
          selected={owner ? { id: owner.id, label: owner.name } : null}
          onChange={onChange}
        />
      )}
      onSave={onSave}
    />
  );
}

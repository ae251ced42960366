import { useTranslation } from "react-i18next";
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
  const { t } = useTranslation();
  return (
    <InlineField
      label={t("common.owner")}
      display={owner?.name ?? "—"}
      value={owner?.id ?? ""}
      canEdit={canEdit}
      renderEditor={({ value, onChange }) => (
        <RecordPicker
          isBare
          autoFocus
          collection="users"
          label={t("common.owner")}
          noneLabel={t("records.owner.nobody")}
          value={value}
          selected={owner ? { id: owner.id, label: owner.name } : null}
          onChange={onChange}
        />
      )}
      onSave={onSave}
    />
  );
}

import { otherReasonPrefix } from "../../../shared/workspace-defaults.ts";
import { useTranslation } from "react-i18next";
import { SelectField, TextAreaField, TextField } from "../../components/Field.tsx";
import { t } from "../../i18n/i18n.ts";

/** The choice that lets people write their own reason. */
const other = "__other__";

/** The longest lost reason the API takes. */
export const maxLostReasonLength = 500;

type LostReasonPickerProps = {
  /** The workspace's reasons, in order; empty: the reason is written freely. */
  reasons: readonly string[];
  /** The reason as it will be sent: one of `reasons`, "Other: …", or any text without a list. */
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  isRequired: boolean;
  autoFocus?: boolean;
};

/** Which choice a reason is: one of the list, "other" for a written one, or a reason from before the list. */
function choiceOf(value: string, reasons: readonly string[]): string {
  if (value === "" || reasons.includes(value)) return value;
  return value.startsWith(otherReasonPrefix) ? other : value;
}

/**
 * Chooses why a lead or deal was lost: one of the workspace's lost reasons, or "Other" with the
 * reason written out (sent as "Other: …"); without a list, a text field. A reason given before
 * the workspace had its list stays choosable as it is.
 */
export function LostReasonPicker({ reasons, value, onChange, error, isRequired, autoFocus }: LostReasonPickerProps) {
  const { t } = useTranslation();
  const required = isRequired ? { required: true, "aria-required": true } : {};
  if (reasons.length === 0) {
    return (
      <TextAreaField
        label={t("leads.fields.lostReason")}
        {...required}
        maxLength={maxLostReasonLength}
        rows={3}
        value={value}
        error={error}
        onChange={(event) => onChange(event.target.value)}
        autoFocus={autoFocus}
      />
    );
  }
  const choice = choiceOf(value, reasons);
  const options = [
    ...reasons.map((reason) => ({ value: reason, label: reason })),
    ...(choice !== other && choice !== "" && !reasons.includes(choice) ? [{ value: choice, label: choice }] : []),
    { value: other, label: t("leads.lostReason.other") },
  ];
  const written = choice === other ? value.slice(otherReasonPrefix.length) : "";
  return (
    <>
      <SelectField
        label={t("leads.fields.lostReason")}
        {...required}
        placeholder={isRequired ? t("leads.lostReason.choose") : t("leads.lostReason.none")}
        options={options}
        value={choice}
        error={choice === other ? undefined : error}
        onChange={(event) => onChange(event.target.value === other ? otherReasonPrefix : event.target.value)}
        autoFocus={autoFocus}
      />
      {choice === other && (
        <TextField
          label={t("leads.lostReason.otherReason")}
          required
          aria-required="true"
          autoComplete="off"
          maxLength={maxLostReasonLength - otherReasonPrefix.length}
          value={written}
          error={error}
          onChange={(event) => onChange(`${otherReasonPrefix}${event.target.value}`)}
        />
      )}
    </>
  );
}

/** Why a picked reason cannot be sent yet, or null: the message for the picker. */
export function lostReasonInputProblem(value: string, isRequired: boolean): string | null {
  const text = value.trim();
  if (text === otherReasonPrefix.trim()) return t("leads.lostReason.writeIt");
  if (!text) return isRequired ? t("leads.lostReason.required") : null;
  if (text.length > maxLostReasonLength) return t("leads.lostReason.tooLong", { count: maxLostReasonLength });
  return null;
}

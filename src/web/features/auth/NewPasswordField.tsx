import { useId, useState, type InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { FieldFrame, inputClass } from "../../components/Field.tsx";
import { usePasswordCheck } from "./password-strength.ts";
import { PasswordStrength } from "./PasswordStrength.tsx";

type NewPasswordFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  error?: string | undefined;
  /** The value typed so far (react-hook-form's `watch`), for the meter. */
  password: string;
  /** The person's name and e-mail: a password built on them is weak (see `personalInputs`). */
  userInputs?: readonly string[];
};

/**
 * A field for choosing a password: a show/hide switch, and the strength meter as you type with the
 * server's rules (12–128 characters, not common, not guessable). Takes `register(…)`'s props.
 */
export function NewPasswordField({ label, error, password, userInputs, ...props }: NewPasswordFieldProps) {
  const { t, i18n } = useTranslation();
  const [isShown, setShown] = useState(false);
  // "Show password" in English; German capitalizes nouns, so the label stays as it is.
  const labelInText = i18n.language === "de" ? label : label.toLowerCase();
  const strengthId = useId();
  const check = usePasswordCheck(password, userInputs);
  return (
    <FieldFrame label={label} error={error}>
      {({ id, describedBy, invalid }) => (
        <>
          <div className="flex gap-2">
            <input
              id={id}
              type={isShown ? "text" : "password"}
              autoComplete="new-password"
              spellCheck={false}
              aria-describedby={[describedBy, strengthId].filter(Boolean).join(" ")}
              aria-invalid={invalid}
              className={`${inputClass} min-w-0 flex-1`}
              {...props}
            />
            <button
              type="button"
              aria-label={
                isShown
                  ? t("auth.password.hideLabel", { label: labelInText })
                  : t("auth.password.showLabel", { label: labelInText })
              }
              onClick={() => setShown(!isShown)}
              className="shrink-0 rounded-md border border-slate-300 px-2.5 text-sm font-medium text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              {isShown ? t("auth.password.hide") : t("auth.password.show")}
            </button>
          </div>
          <PasswordStrength id={strengthId} check={check} length={password.length} />
        </>
      )}
    </FieldFrame>
  );
}

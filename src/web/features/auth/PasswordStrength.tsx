import { useTranslation } from "react-i18next";
import { passwordMinLength, type PasswordCheck, type StrengthScore } from "./password-strength.ts";

const barColour: Record<StrengthScore, string> = {
  0: "bg-red-600",
  1: "bg-red-600",
  2: "bg-amber-500",
  3: "bg-green-600",
  4: "bg-green-700",
};

type PasswordStrengthProps = { id: string; check: PasswordCheck; length: number };

/**
 * The strength meter under a new password: four bars for zxcvbn's score (0–4) with its word, then
 * why the server would refuse it, or zxcvbn's warning and advice. Its text describes the password
 * field (aria-describedby), so it is read with the field rather than at every keystroke.
 */
export function PasswordStrength({ id, check, length }: PasswordStrengthProps) {
  const { t } = useTranslation();
  if (check.state === "empty")
    return (
      <p id={id} className="text-xs text-slate-600 dark:text-slate-400">
        {t("auth.password.emptyHint", { min: passwordMinLength })}
      </p>
    );
  if (check.state !== "checked") {
    const missing = passwordMinLength - length;
    return (
      <p id={id} className="text-xs text-slate-600 dark:text-slate-400">
        {missing > 0
          ? t("auth.password.useAtLeast", { min: passwordMinLength, missing })
          : check.state === "loading"
            ? t("auth.password.checking")
            : t("auth.password.atLeast", { min: passwordMinLength })}
      </p>
    );
  }
  const { verdict } = check;
  return (
    <div id={id} className="flex flex-col gap-1 text-xs">
      <div className="flex items-center gap-2">
        <div
          role="meter"
          aria-label={t("auth.password.meter")}
          aria-valuemin={0}
          aria-valuemax={4}
          aria-valuenow={verdict.score}
          aria-valuetext={t("auth.password.meterValue", { label: verdict.label, score: verdict.score })}
          className="flex flex-1 gap-1"
        >
          {[1, 2, 3, 4].map((bar) => (
            <span
              key={bar}
              aria-hidden="true"
              className={`h-1.5 flex-1 rounded-full ${bar <= verdict.score ? barColour[verdict.score] : "bg-slate-200 dark:bg-slate-700"}`}
            />
          ))}
        </div>
        <span className="w-20 text-right font-medium text-slate-800 dark:text-slate-100">
          <span className="sr-only">{t("auth.password.strength")}</span>
          {verdict.label}
        </span>
      </div>
      {verdict.problem ? (
        <p className="text-red-700 dark:text-red-400">{verdict.problem}</p>
      ) : (
        <p className="text-green-800 dark:text-green-300">{t("auth.password.strongEnough")}</p>
      )}
      {verdict.warning && <p className="text-slate-700 dark:text-slate-300">{verdict.warning}</p>}
      {verdict.suggestion && !verdict.isAcceptable && (
        <p className="text-slate-600 dark:text-slate-400">{verdict.suggestion}</p>
      )}
    </div>
  );
}

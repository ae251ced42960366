import { useTranslation } from "react-i18next";
import { t } from "../../i18n/i18n.ts";

/** What "sealed" means, for the mark's tooltip and the entry's details (without the "Sealed: " in front). */
export function sealedExplanation(): string {
  return t("audit.sealed.explanation");
}

/** A small lock beside an entry that is sealed into the hash chain; its title says what that means. */
export function SealedMark() {
  const { t } = useTranslation();
  return (
    <svg
      role="img"
      aria-label={t("audit.sealed.label")}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      className="inline-block h-3.5 w-3.5 shrink-0 text-slate-500 dark:text-slate-400"
    >
      <title>{t("audit.sealed.tooltip", { explanation: sealedExplanation() })}</title>
      <rect x="3" y="7" width="10" height="7" rx="1.5" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
    </svg>
  );
}

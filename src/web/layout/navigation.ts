import { t } from "../i18n/i18n.ts";

/** The sidebar's and the palette's destinations; `keys` is the "g …" shortcut, `label()` the name shown. */
export const destinations = [
  { to: "/", label: () => t("shell.nav.dashboard"), keys: "g h" },
  { to: "/contacts", label: () => t("shell.nav.contacts"), keys: "g c" },
  { to: "/companies", label: () => t("shell.nav.companies"), keys: "g o" },
  { to: "/leads", label: () => t("shell.nav.leads"), keys: "g l" },
  { to: "/deals", label: () => t("shell.nav.deals"), keys: "g d" },
  { to: "/activities", label: () => t("shell.nav.activities"), keys: "g a" },
  { to: "/tasks", label: () => t("shell.nav.tasks"), keys: "g t" },
  { to: "/duplicates", label: () => t("shell.nav.duplicates"), keys: "g u" },
  { to: "/imports", label: () => t("shell.nav.imports"), keys: "g i" },
] as const satisfies readonly { to: string; label: () => string; keys: string }[];

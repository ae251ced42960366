import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { destinations } from "./navigation.ts";

export function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("shell.nav.label")} className="flex flex-col gap-0.5 p-2">
      {destinations.map((destination) => (
        <Link
          key={destination.to}
          to={destination.to}
          onClick={onNavigate}
          activeOptions={{ exact: destination.to === "/" }}
          className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
          activeProps={{
            className: "bg-accent-50 font-semibold text-accent-700 dark:bg-slate-800 dark:text-sky-300",
            "aria-current": "page",
          }}
        >
          {destination.label()}
        </Link>
      ))}
    </nav>
  );
}

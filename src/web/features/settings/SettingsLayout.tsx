import { Link, Outlet } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { useSettingsPages } from "./settings-pages.ts";

/** The settings area: a side list of the pages the role may see (a row of links on phones), then the page. */
export function SettingsLayout() {
  const { t } = useTranslation();
  const pages = useSettingsPages();
  return (
    <div className="flex min-w-0 flex-col md:flex-row">
      <nav
        aria-label={t("settings.nav.label")}
        className="shrink-0 border-b border-slate-200 p-2 md:w-48 md:border-r md:border-b-0 dark:border-slate-800"
      >
        <p className="hidden px-3 py-2 text-xs font-semibold tracking-wide text-slate-600 uppercase md:block dark:text-slate-400">
          {t("settings.nav.label")}
        </p>
        <ul className="flex flex-wrap gap-1 md:flex-col md:gap-0.5">
          {pages.map((page) => (
            <li key={page.to}>
              <Link
                to={page.to}
                className="block rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
                activeProps={{
                  className: "bg-accent-50 font-semibold text-accent-700 dark:bg-slate-800 dark:text-sky-300",
                  "aria-current": "page",
                }}
              >
                {page.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="min-w-0 flex-1">
        <Outlet />
      </div>
    </div>
  );
}

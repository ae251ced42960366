import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { EmptyState } from "../components/Feedback.tsx";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <main className="p-6">
      <EmptyState title={t("shell.notFound.title")}>
        <Link to="/" className="text-accent-600 underline dark:text-sky-400">
          {t("shell.notFound.dashboard")}
        </Link>
      </EmptyState>
    </main>
  );
}

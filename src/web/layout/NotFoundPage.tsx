import { Link } from "@tanstack/react-router";
import { EmptyState } from "../components/Feedback.tsx";

export function NotFoundPage() {
  return (
    <main className="p-6">
      <EmptyState title="This page does not exist.">
        <Link to="/" className="text-accent-600 underline dark:text-sky-400">
          Go to the dashboard
        </Link>
      </EmptyState>
    </main>
  );
}

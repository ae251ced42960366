import type { ReactNode } from "react";

/** A status shown in place of a form once it has done its work (e.g. "Check your e-mail"). */
export function AuthNotice({ tone = "success", children }: { tone?: "success" | "error"; children: ReactNode }) {
  const toneClass =
    tone === "success"
      ? "border-green-300 bg-green-50 text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-100"
      : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100";
  return (
    <div role={tone === "success" ? "status" : "alert"} className={`rounded-md border p-3 text-sm ${toneClass}`}>
      {children}
    </div>
  );
}

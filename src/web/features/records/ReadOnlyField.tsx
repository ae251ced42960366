import type { ReactNode } from "react";

/** A field of a record page that nobody edits there (set by the server, or elsewhere). */
export function ReadOnlyField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 border-b border-slate-100 py-2 dark:border-slate-800">
      <dt className="text-xs font-medium text-slate-600 uppercase dark:text-slate-400">{label}</dt>
      <dd className="flex min-h-8 items-center break-words">{children}</dd>
    </div>
  );
}

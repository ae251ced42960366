import { isBuiltInType, type BuiltInActivityType } from "./activity-types.ts";

const paths: Record<BuiltInActivityType, string> = {
  call: "M5 4h3l2 5-2.5 1.5a11 11 0 0 0 6 6L15 14l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2",
  email: "M3 6h18v12H3zM3 6l9 7 9-7",
  meeting: "M4 5h16v15H4zM4 9h16M8 3v4M16 3v4",
  note: "M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h5",
};

const tones: Record<BuiltInActivityType, string> = {
  call: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  email: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  meeting: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
  note: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
};

/** A workspace's own types share one pictogram: a tag. */
const otherPath = "M3 12V4h8l10 10-8 8zM7.5 8.5h.01";
const otherTone = "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200";

/** The type's pictogram; decorative, so the type is always also written out beside it. */
export function ActivityTypeIcon({ type }: { type: string }) {
  const isBuiltIn = isBuiltInType(type);
  return (
    <span
      aria-hidden="true"
      className={`inline-flex size-7 shrink-0 items-center justify-center rounded-full ${isBuiltIn ? tones[type] : otherTone}`}
    >
      <svg
        viewBox="0 0 24 24"
        className="size-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d={isBuiltIn ? paths[type] : otherPath} />
      </svg>
    </span>
  );
}

/** What "sealed" means, for the mark's tooltip and the entry's details. */
export const sealedExplanation =
  "Sealed: this entry is in the workspace’s hash chain. Each sealed entry carries a hash of the one before it, so changing or removing any of them breaks the chain, which `keel audit verify` reports.";

/** A small lock beside an entry that is sealed into the hash chain; its title says what that means. */
export function SealedMark() {
  return (
    <svg
      role="img"
      aria-label="Sealed"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      className="inline-block h-3.5 w-3.5 shrink-0 text-slate-500 dark:text-slate-400"
    >
      <title>{sealedExplanation}</title>
      <rect x="3" y="7" width="10" height="7" rx="1.5" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
    </svg>
  );
}

import { useSyncExternalStore } from "react";

/** Phones: at this width and below, lists show cards instead of a table. */
const narrowQuery = "(max-width: 640px)";

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(narrowQuery);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** Whether the screen is phone-sized (≤ 640 px), following rotation and window resizes. */
export function useIsNarrowScreen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(narrowQuery).matches,
    () => false,
  );
}

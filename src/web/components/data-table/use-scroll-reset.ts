import { useEffect, type RefObject } from "react";

/**
 * Scrolls `container` back to its top when `key` changes: a new search, filter or sort starts its
 * list at the first row, also while the previous rows are still shown (on the first render the
 * list is at its top already).
 */
export function useScrollReset(container: RefObject<HTMLElement | null>, key: string | undefined): void {
  useEffect(() => {
    container.current?.scrollTo({ top: 0 });
  }, [container, key]);
}

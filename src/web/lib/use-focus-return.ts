import { useCallback, useLayoutEffect, useRef } from "react";

/**
 * Gives focus back to whatever had it when `open` turned true (the button that opened a dialog),
 * once the dialog has closed: Radix returns focus only to its own trigger, and Keel's dialogs are
 * opened by buttons, shortcuts and menus it does not know. Returns `restoreFocus`, which focuses
 * that element when the dialog is closed and the element still in the document, and says whether it did.
 */
export function useFocusReturn(open: boolean): () => boolean {
  const opener = useRef<Element | null>(null);
  const isOpen = useRef(open);
  // A layout effect runs before the dialog's content mounts and takes focus (a commit later, in its portal).
  useLayoutEffect(() => {
    isOpen.current = open;
    if (open) opener.current = document.activeElement;
    return () => {
      isOpen.current = false;
    };
  }, [open]);
  return useCallback(() => {
    const target = opener.current;
    // Also asked when the content remounts while open (React's development checks): only on closing.
    if (isOpen.current || !(target instanceof HTMLElement) || !target.isConnected) return false;
    opener.current = null;
    target.focus();
    return true;
  }, []);
}

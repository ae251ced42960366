import { useCallback, useEffect, useLayoutEffect, useRef } from "react";

/**
 * Where focus goes back to when a dialog closes: the element that had focus when it opened, else
 * (that element is gone: an item of a menu that closed, an input of a palette that closed) the
 * trigger of the menu it was in, else where the dialog focus came from would go back to.
 */
type Opener = { element: Element | null; menuTrigger: HTMLElement | null; outer: Opener | undefined };

/** The openers of the dialogs open now (or closing, focus not yet given back), the latest last. */
const openers: Opener[] = [];

/**
 * The button that opened the menu `element` is in (a Radix menu is labelled by its trigger), or
 * the button of the outermost menu for an item of a submenu; null outside menus.
 */
function menuTriggerOf(element: Element | null): HTMLElement | null {
  let trigger: HTMLElement | null = null;
  let inside = element;
  for (let depth = 0; inside && depth < 5; depth += 1) {
    const menu = inside.closest('[role="menu"][aria-labelledby]');
    const next = menu && document.getElementById(menu.getAttribute("aria-labelledby") ?? "");
    if (!next) break;
    trigger = next;
    inside = next;
  }
  return trigger;
}

function forget(opener: Opener): void {
  const at = openers.indexOf(opener);
  if (at >= 0) openers.splice(at, 1);
}

function returnTargetOf(opener: Opener | undefined): HTMLElement | null {
  for (let at = opener; at; at = at.outer) {
    if (at.element instanceof HTMLElement && at.element.isConnected) return at.element;
    if (at.menuTrigger?.isConnected) return at.menuTrigger;
  }
  return null;
}

/**
 * Gives focus back to whatever had it when `open` turned true (the button that opened a dialog),
 * once the dialog has closed: Radix returns focus only to its own trigger, and Keel's dialogs are
 * opened by buttons, shortcuts and menus it does not know. When that element is gone (a menu item:
 * the menu closed as the dialog opened), focus goes to the menu's button; when it was in another
 * dialog that has closed since (the command palette), to what that dialog would give focus back to.
 * Returns `restoreFocus`, which focuses that element when the dialog is closed, and says whether it did.
 */
export function useFocusReturn(open: boolean): () => boolean {
  const opener = useRef<Opener | null>(null);
  const isOpen = useRef(open);
  // A layout effect runs before the dialog's content mounts and takes focus (a commit later, in its portal).
  useLayoutEffect(() => {
    isOpen.current = open;
    if (open) {
      const element = document.activeElement;
      const previous = opener.current;
      if (previous) forget(previous);
      opener.current = { element, menuTrigger: menuTriggerOf(element), outer: openers.at(-1) };
      openers.push(opener.current);
    }
    return () => {
      isOpen.current = false;
    };
  }, [open]);
  // Forgotten when the dialog goes away with the page, open or not.
  useEffect(
    () => () => {
      if (opener.current) forget(opener.current);
    },
    [],
  );
  return useCallback(() => {
    const current = opener.current;
    // Also asked when the content remounts while open (React's development checks): only on closing.
    if (isOpen.current || !current) return false;
    opener.current = null;
    forget(current);
    const target = returnTargetOf(current);
    if (!target) return false;
    target.focus();
    return true;
  }, []);
}

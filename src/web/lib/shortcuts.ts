import { useEffect } from "react";

export type Shortcut = { keys: string; description: string; run: () => void };

/** True when the key press is meant for a text field, not for a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Single keys ("c", "/", "?") and two-key sequences ("g c"), ignored while typing in a field
 * or with a modifier held. The sequence waits one second for its second key.
 */
export function useShortcuts(shortcuts: Shortcut[]): void {
  useEffect(() => {
    let pending = "";
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector("[role=dialog]")) return;
      const typed = pending ? `${pending} ${event.key}` : event.key;
      const match = shortcuts.find((s) => s.keys === typed);
      if (match) {
        event.preventDefault();
        pending = "";
        match.run();
        return;
      }
      const isPrefix = shortcuts.some((s) => s.keys.startsWith(`${typed} `));
      pending = isPrefix ? typed : "";
      clearTimeout(timer);
      if (isPrefix) timer = setTimeout(() => (pending = ""), 1000);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      clearTimeout(timer);
    };
  }, [shortcuts]);
}

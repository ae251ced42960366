import { useEffect } from "react";

/**
 * The current page's "create" action, which the `c` shortcut and the command palette run.
 * A page registers it while mounted; the last registered one wins.
 */
const createActions: (() => void)[] = [];

export function useCreateAction(action: (() => void) | null): void {
  useEffect(() => {
    if (!action) return;
    createActions.push(action);
    return () => {
      const index = createActions.lastIndexOf(action);
      if (index >= 0) createActions.splice(index, 1);
    };
  }, [action]);
}

/** Runs the current page's create action; false when the page has none. */
export function runCreateAction(): boolean {
  const action = createActions.at(-1);
  action?.();
  return Boolean(action);
}

/** Whether the current page offers a create action (to the person signed in). */
export function hasCreateAction(): boolean {
  return createActions.length > 0;
}

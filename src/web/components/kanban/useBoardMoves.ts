import { useState } from "react";
import { toast } from "sonner";
import { ApiProblem } from "../../api/client.ts";
import { t } from "../../i18n/i18n.ts";

/** Where a card move stands: being saved, refused as stale (412), or failed to reach the server. */
export type MoveState = "saving" | "conflict" | "failed";

/** A card the user moved whose new column the server has not confirmed yet. */
export type PendingMove<T> = {
  item: T;
  from: string;
  to: string;
  state: MoveState;
  message: string | null;
  /** Whatever else the save needs (a lost reason). */
  extra: Record<string, string> | undefined;
};

/** The control of a card that gets the focus back after the card moved to another column. */
export type MoveControl = "handle" | "select";

type BoardMovesOptions<T> = {
  /** Saves the move with If-Match on the item's version. */
  save: (item: T, to: string, extra: Record<string, string> | undefined) => Promise<T>;
  /** The item as stored now, to retry a move on top of someone else's change. */
  fetchLatest: (id: string) => Promise<T>;
  /** Refetches the board; awaited before a saved card leaves its pending state, so it never jumps back. */
  refresh: () => Promise<unknown>;
  onSaved?: (saved: T, to: string) => void;
};

function without<T>(moves: Record<string, T>, id: string): Record<string, T> {
  const rest = { ...moves };
  delete rest[id];
  return rest;
}

/** True for refusals that asking again cannot fix: the card goes back and the server's message is shown. */
function isRefusal(error: unknown): error is ApiProblem {
  return (
    error instanceof ApiProblem &&
    error.status >= 400 &&
    error.status < 500 &&
    ![401, 408, 412, 429].includes(error.status)
  );
}

/**
 * The moves of a kanban board. A moved card shows in its new column at once. When the server
 * answers 412 (someone else changed the record), the card stays where the user put it, marked as
 * a conflict, until the user retries on the latest version or reloads theirs: nothing is lost.
 * A refused move (a rule, a permission) snaps back with the server's message.
 */
export function useBoardMoves<T extends { id: string }>(options: BoardMovesOptions<T>) {
  const [moves, setMoves] = useState<Record<string, PendingMove<T>>>({});
  // A moved card is a new element in another column; keyboard users keep their place on it.
  const [focusTarget, setFocusTarget] = useState<{ id: string; control: MoveControl } | null>(null);

  const run = async (move: PendingMove<T>, isFresh: boolean) => {
    const id = move.item.id;
    setMoves((all) => ({ ...all, [id]: { ...move, state: "saving", message: null } }));
    try {
      const item = isFresh ? await options.fetchLatest(id) : move.item;
      const saved = await options.save(item, move.to, move.extra);
      await options.refresh();
      setMoves((all) => without(all, id));
      options.onSaved?.(saved, move.to);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 412) {
        setMoves((all) => ({ ...all, [id]: { ...move, state: "conflict", message: error.message } }));
      } else if (isRefusal(error)) {
        setMoves((all) => without(all, id));
        setFocusTarget((target) => target ?? { id, control: "handle" });
        toast.error(error.message);
        void options.refresh();
      } else {
        const message = error instanceof Error ? error.message : t("components.kanban.couldNotSave");
        setMoves((all) => ({ ...all, [id]: { ...move, state: "failed", message } }));
      }
    }
  };

  return {
    moves,
    /** Which card should take the focus when it appears in its new column, and with which control. */
    focusTarget,
    /** Called by the card once it took the focus. */
    clearFocusTarget: () => setFocusTarget(null),
    /**
     * Moves a card. A card whose move is still being saved stays put; moving a card in conflict
     * again applies the new choice to the latest version (or, back to where it was stored, gives up).
     */
    move: (item: T, from: string, to: string, extra?: Record<string, string>, control: MoveControl = "handle") => {
      const previous = moves[item.id];
      if (previous?.state === "saving") return;
      setFocusTarget({ id: item.id, control });
      if (previous) {
        if (to === previous.from) {
          setMoves((all) => without(all, item.id));
          void options.refresh();
        } else if (to !== previous.to || extra) {
          void run({ ...previous, to, extra: extra ?? previous.extra }, true);
        }
        return;
      }
      if (from !== to) void run({ item, from, to, extra, state: "saving", message: null }, false);
    },
    /** Applies the user's move again, on the version stored now. */
    retry: (id: string) => {
      const move = moves[id];
      if (!move) return;
      setFocusTarget({ id, control: "handle" });
      void run(move, true);
    },
    /** Gives up the user's move and shows the stored version. */
    discard: (id: string) => {
      setFocusTarget({ id, control: "handle" });
      setMoves((all) => without(all, id));
      void options.refresh();
    },
  };
}

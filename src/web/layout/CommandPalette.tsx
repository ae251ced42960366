import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { Command } from "cmdk";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { apiRequest } from "../api/client.ts";
import type { Page } from "../api/records.ts";
import { labelOf } from "../lib/format.ts";
import { useDebounced } from "../lib/use-debounced.ts";
import { useFocusReturn } from "../lib/use-focus-return.ts";
import { destinations } from "./navigation.ts";

/** A record found: `type` is its record type ("contact"), shown in the interface's language. */
type Hit = { label: string; type: string; email: string | null; to: string };

type Named = {
  id: string;
  name?: string;
  title?: string;
  firstName?: string;
  lastName?: string;
  email?: string | null;
};

const searched = [
  { collection: "contacts", type: "contact", to: "/contacts/$id" },
  { collection: "companies", type: "company", to: "/companies/$id" },
  { collection: "leads", type: "lead", to: "/leads/$id" },
  { collection: "deals", type: "deal", to: "/deals/$id" },
] as const;

function nameOf(record: Named): string {
  return record.name ?? record.title ?? [record.firstName, record.lastName].filter(Boolean).join(" ");
}

/** Searches every record type at once: one small query per type, in parallel. */
async function searchRecords(q: string, signal: AbortSignal): Promise<Hit[]> {
  const pages = await Promise.all(
    searched.map((s) => apiRequest<Page<Named>>(`/${s.collection}`, { query: { q, limit: 5 }, signal })),
  );
  return pages.flatMap((page, i) => {
    const source = searched[i];
    if (!source) return [];
    return page.data.map((record) => ({
      label: nameOf(record),
      type: source.type,
      email: record.email ?? null,
      to: source.to.replace("$id", record.id),
    }));
  });
}

type CommandPaletteProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  actions: { label: string; run: () => void }[];
};

/** Ctrl/⌘-K: go anywhere, find any record, run a command. */
export function CommandPalette({ open, onOpenChange, actions }: CommandPaletteProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const restoreFocus = useFocusReturn(open);
  // cmdk's dialog takes no handler for where focus goes on closing: it goes back once closed.
  useEffect(() => {
    if (!open) restoreFocus();
  }, [open, restoreFocus]);
  // Pages and commands filter as you type; records are asked of the server once typing pauses.
  const typed = search.trim();
  const query = useDebounced(typed);
  const hits = useQuery({
    queryKey: ["palette-search", query],
    queryFn: ({ signal }) => searchRecords(query, signal),
    enabled: open && query.length >= 2,
    staleTime: 10_000,
  });

  // The best record hit is highlighted when the hits arrive (after typing stopped, so the list
  // would otherwise keep whatever it highlighted before), and Enter opens it.
  const [highlighted, setHighlighted] = useState("");
  const bestHit = hits.data?.[0]?.to;
  const [highlightedHit, setHighlightedHit] = useState<string | undefined>(undefined);
  if (bestHit !== highlightedHit) {
    // Adjusting state to new hits while rendering (React's advice over an effect).
    setHighlightedHit(bestHit);
    if (bestHit) setHighlighted(bestHit);
  }

  // A group shows only with something in it: no heading over nothing while searching.
  const matches = (label: string) => label.toLowerCase().includes(typed.toLowerCase());
  const places = destinations.filter((d) => matches(d.label()));
  const commands = actions.filter((a) => matches(a.label));

  const go = (to: string) => {
    onOpenChange(false);
    setSearch("");
    void navigate({ to });
  };

  return (
    <Command.Dialog
      open={open}
      onOpenChange={onOpenChange}
      label={t("shell.palette.label")}
      shouldFilter={false}
      value={highlighted}
      onValueChange={setHighlighted}
      overlayClassName="fixed inset-0 z-40 bg-slate-950/50"
      contentClassName="fixed top-[12vh] left-1/2 z-50 w-[calc(100vw-1.5rem)] max-w-xl -translate-x-1/2 overflow-hidden rounded-lg bg-white shadow-xl dark:bg-slate-900"
    >
      <Command.Input
        value={search}
        onValueChange={setSearch}
        placeholder={t("shell.palette.placeholder")}
        aria-label={t("shell.palette.inputLabel")}
        className="w-full border-b border-slate-200 bg-transparent px-4 py-3 outline-none dark:border-slate-700"
      />
      <Command.List className="max-h-[60vh] overflow-y-auto p-2">
        <Command.Empty className="px-3 py-2 text-slate-600 dark:text-slate-300">
          {hits.isFetching ? t("shell.palette.searching") : t("shell.palette.noResults")}
        </Command.Empty>
        {query.length >= 2 && (hits.data?.length ?? 0) > 0 && (
          <Command.Group heading={t("shell.palette.records")} className="text-xs text-slate-600 dark:text-slate-400">
            {hits.data?.map((hit) => {
              const detail = hit.email ? `${labelOf(hit.type)} · ${hit.email}` : labelOf(hit.type);
              return (
                <Command.Item
                  key={hit.to}
                  value={hit.to}
                  onSelect={() => go(hit.to)}
                  // Heard apart: read from the text, the name and its type run together.
                  aria-label={`${hit.label}, ${detail}`}
                  className={itemClass}
                >
                  <span>{hit.label}</span>
                  <span className="ml-auto text-xs text-slate-600 dark:text-slate-400">{detail}</span>
                </Command.Item>
              );
            })}
          </Command.Group>
        )}
        {places.length > 0 && (
          <Command.Group heading={t("shell.palette.goTo")} className="text-xs text-slate-600 dark:text-slate-400">
            {places.map((d) => (
              <Command.Item key={d.to} value={`go ${d.to}`} onSelect={() => go(d.to)} className={itemClass}>
                {d.label()}
                <kbd aria-hidden="true" className="ml-auto text-xs text-slate-600 dark:text-slate-400">
                  {d.keys}
                </kbd>
              </Command.Item>
            ))}
          </Command.Group>
        )}
        {commands.length > 0 && (
          <Command.Group heading={t("shell.palette.commands")} className="text-xs text-slate-600 dark:text-slate-400">
            {commands.map((action) => (
              <Command.Item
                key={action.label}
                value={`do ${action.label}`}
                onSelect={() => {
                  onOpenChange(false);
                  action.run();
                }}
                className={itemClass}
              >
                {action.label}
              </Command.Item>
            ))}
          </Command.Group>
        )}
      </Command.List>
    </Command.Dialog>
  );
}

const itemClass =
  "flex cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm text-slate-800 data-[selected=true]:bg-accent-50 dark:text-slate-100 dark:data-[selected=true]:bg-slate-800";

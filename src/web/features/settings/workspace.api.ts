import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import type { UpdateWorkspaceSettings, WorkspaceSettings } from "../../../shared/schemas/workspace-settings.ts";
import { defaultWorkspaceSettings, type ActivityTypeSetting } from "../../../shared/workspace-defaults.ts";
import { apiRequest } from "../../api/client.ts";
import type { Wire } from "../../api/wire.ts";
import { browserFormats, setFormatPreferences, type FormatPreferences } from "../../lib/format.ts";
import { meQuery } from "../auth/session.ts";

export type WorkspaceRow = Wire<WorkspaceSettings>;

/** The active workspace's settings (switching workspaces clears every query, this one too). */
export const workspaceQuery = queryOptions({
  queryKey: ["workspace"],
  queryFn: ({ signal }) => apiRequest<WorkspaceRow>("/workspace", { signal }),
  staleTime: 5 * 60_000,
});

/** The workspace's settings; undefined while they load (or could not be read). */
export function useWorkspaceSettings(): WorkspaceRow | undefined {
  return useQuery(workspaceQuery).data;
}

/** The activity types to offer, in the workspace's order (the four built-in ones until the settings are read). */
export function useActivityTypes(): readonly ActivityTypeSetting[] {
  return useWorkspaceSettings()?.activityTypes ?? defaultWorkspaceSettings.activityTypes;
}

/** What the workspace asks of a lost lead or deal: the reasons to offer (empty: any) and whether one is required. */
export function useLostReasons(kind: "lead" | "deal"): { reasons: readonly string[]; isRequired: boolean } {
  const settings = useWorkspaceSettings();
  if (kind === "lead") return { reasons: settings?.leadLostReasons ?? [], isRequired: true };
  return { reasons: settings?.dealLostReasons ?? [], isRequired: settings?.requireDealLostReason ?? false };
}

/**
 * Shows every value the workspace's way (currency, time zone, date and number formats) from the
 * moment its settings are read, and again whenever they change. Answers whether pages may render:
 * not before the settings arrive (or failed to), so nothing is first shown another way.
 */
export function useWorkspaceFormats(workspaceId: string | null): boolean {
  const settings = useQuery({ ...workspaceQuery, enabled: workspaceId !== null });
  const data = settings.data;
  // Applied while rendering, not in an effect: the pages rendered in this same pass use them.
  useMemo(() => setFormatPreferences(data ? formatsOf(data) : browserFormats), [data]);
  return workspaceId === null || !settings.isPending;
}

function formatsOf(settings: WorkspaceRow): FormatPreferences {
  return {
    currency: settings.baseCurrency,
    timeZone: settings.timeZone,
    dateFormat: settings.dateFormat,
    numberFormat: settings.numberFormat,
  };
}

/** Saves some settings with If-Match on the version they were read at (412 when someone saved meanwhile). */
export function useUpdateWorkspace() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ version, changes }: { version: number; changes: Wire<UpdateWorkspaceSettings> }) =>
      apiRequest<WorkspaceRow>("/workspace", { method: "PATCH", body: changes, ifMatch: version }),
    onSuccess: async (saved) => {
      client.setQueryData(workspaceQuery.queryKey, saved);
      // The workspace's name shows in the account menu and the workspace switcher.
      await client.invalidateQueries({ queryKey: meQuery.queryKey });
    },
  });
}

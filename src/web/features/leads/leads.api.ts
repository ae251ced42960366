import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  ConvertLeadResult,
  ConvertLeadSchema,
  Lead,
  LeadStatusChange,
  UpdateLead,
} from "../../../shared/schemas/lead.ts";
import { apiRequest } from "../../api/client.ts";
import { invalidateCollection } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";

export type LeadRow = Wire<Lead>;

/** The related records a lead card, row or page shows. */
export const leadIncludes = "contacts,company,owner";

/** The lead's primary contact, when its summary was included. */
export function primaryContactOf(lead: LeadRow) {
  return lead.contacts.find((link) => link.isPrimary)?.contact ?? null;
}

/** Saves some fields of a lead with If-Match on the version it was read at; a newer one answers 412. */
export function patchLead(lead: Pick<LeadRow, "id" | "version">, changes: UpdateLead): Promise<LeadRow> {
  return apiRequest<LeadRow>(`/leads/${lead.id}`, { method: "PATCH", body: changes, ifMatch: lead.version });
}

/** A lead as stored now, with what its card shows. */
export function fetchLead(id: string): Promise<LeadRow> {
  return apiRequest<LeadRow>(`/leads/${id}`, { query: { include: leadIncludes } });
}

/** Every status change of a lead, oldest first. */
export function useLeadStatusHistory(id: string) {
  return useQuery({
    queryKey: ["leads", "one", id, "status-history"],
    queryFn: ({ signal }) => apiRequest<{ data: Wire<LeadStatusChange>[] }>(`/leads/${id}/status-history`, { signal }),
    select: (answer) => answer.data,
  });
}

/**
 * Converts a qualified lead (POST /leads/:id/convert, If-Match on its version). Errors are left to
 * the dialog, which puts them on its fields.
 */
export function useConvertLead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ lead, body }: { lead: Pick<LeadRow, "id" | "version">; body: z.input<typeof ConvertLeadSchema> }) =>
      apiRequest<Wire<ConvertLeadResult>>(`/leads/${lead.id}/convert`, { method: "POST", body, ifMatch: lead.version }),
    onError: () => undefined,
    onSuccess: () =>
      Promise.all(
        (["leads", "deals", "companies", "contacts"] as const).map((collection) =>
          invalidateCollection(client, collection),
        ),
      ),
  });
}

/** Moves a lead to another status (with its lost reason when lost). Errors are left to the caller. */
export function useChangeLeadStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      lead,
      status,
      lostReason,
    }: {
      lead: Pick<LeadRow, "id" | "version">;
      status: Lead["status"];
      lostReason?: string;
    }) => patchLead(lead, status === "lost" ? { status, lostReason: lostReason ?? null } : { status }),
    onError: () => undefined,
    onSuccess: () => invalidateCollection(client, "leads"),
  });
}

import { useQuery } from "@tanstack/react-query";
import type { OutboxMessage } from "../../../shared/schemas/mail.ts";
import { apiRequest } from "../../api/client.ts";
import type { Wire } from "../../api/wire.ts";

export type OutboxRow = Wire<OutboxMessage>;

/** The newest e-mails kept for the workspace's members (admins); the outbox has no further pages. */
export function useOutbox(isEnabled = true, limit = 100) {
  return useQuery({
    enabled: isEnabled,
    queryKey: ["outbox", limit],
    queryFn: ({ signal }) => apiRequest<{ data: OutboxRow[] }>("/admin/outbox", { query: { limit }, signal }),
    select: (list) => list.data,
  });
}

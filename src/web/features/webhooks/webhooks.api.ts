import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import type {
  CreateWebhook,
  DeliveryStatus,
  UpdateWebhook,
  Webhook,
  WebhookDelivery,
  WebhookDispatch,
  WebhookWithSecret,
} from "../../../shared/schemas/webhook.ts";
import { apiRequest } from "../../api/client.ts";
import type { Page } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";

export type WebhookRow = Wire<Webhook>;
export type WebhookWithSecretRow = Wire<WebhookWithSecret>;
export type DeliveryRow = Wire<WebhookDelivery>;
export type DeliveryFilters = { status?: DeliveryStatus | undefined; eventType?: string | undefined };

const webhooksKey = ["webhooks"] as const;
const deliveriesKey = ["webhook-deliveries"] as const;

/** The workspace's webhook endpoints (admins), newest first, page by page. */
export function useWebhooks(isEnabled = true, pageSize = 50) {
  return useInfiniteQuery({
    enabled: isEnabled,
    queryKey: [...webhooksKey, pageSize],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<WebhookRow>>("/webhooks", { query: { limit: pageSize, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/**
 * An endpoint's delivery attempts, newest first, page by page, filtered by outcome and event type;
 * read again every 5 seconds while shown, as attempts are made in the background.
 */
export function useWebhookDeliveries(endpointId: string, filters: DeliveryFilters, pageSize = 50) {
  return useInfiniteQuery({
    refetchInterval: 5_000,
    queryKey: [...deliveriesKey, endpointId, filters, pageSize],
    queryFn: ({ pageParam, signal }) =>
      apiRequest<Page<DeliveryRow>>(`/webhooks/${endpointId}/deliveries`, {
        query: { ...filters, limit: pageSize, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

function useWebhookMutation<Input, Output>(request: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: webhooksKey }),
        client.invalidateQueries({ queryKey: deliveriesKey }),
      ]),
  });
}

/** Subscribes a URL; the answer carries the signing secret, the only time it is shown. */
export function useCreateWebhook() {
  return useWebhookMutation((body: Wire<CreateWebhook>) =>
    apiRequest<WebhookWithSecretRow>("/webhooks", { method: "POST", body }),
  );
}

/** Changes an endpoint: its URL, events, description, or whether it is on. */
export function useUpdateWebhook() {
  return useWebhookMutation(({ id, changes }: { id: string; changes: Wire<UpdateWebhook> }) =>
    apiRequest<WebhookRow>(`/webhooks/${id}`, { method: "PATCH", body: changes }),
  );
}

export function useDeleteWebhook() {
  return useWebhookMutation((id: string) => apiRequest<void>(`/webhooks/${id}`, { method: "DELETE" }));
}

/** A new signing secret, answered this once. */
export function useRotateWebhookSecret() {
  return useWebhookMutation((id: string) =>
    apiRequest<WebhookWithSecretRow>(`/webhooks/${id}/rotate-secret`, { method: "POST" }),
  );
}

/** Sends a webhook.test event to the endpoint. */
export function useTestWebhook() {
  return useWebhookMutation((id: string) => apiRequest<WebhookDispatch>(`/webhooks/${id}/test`, { method: "POST" }));
}

/** Sends a logged attempt's event again, now. */
export function useRetryDelivery() {
  return useWebhookMutation((id: string) =>
    apiRequest<WebhookDispatch>(`/webhook-deliveries/${id}/retry`, { method: "POST" }),
  );
}

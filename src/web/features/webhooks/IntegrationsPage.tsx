import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { LoadMore } from "../../components/LoadMore.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { DeliveryLog } from "./DeliveryLog.tsx";
import { summarizeSelectors } from "./event-selectors.ts";
import { WebhookFormDialog } from "./WebhookFormDialog.tsx";
import { WebhookSecret } from "./WebhookSecret.tsx";
import {
  useDeleteWebhook,
  useRotateWebhookSecret,
  useTestWebhook,
  useUpdateWebhook,
  useWebhooks,
  type WebhookRow,
} from "./webhooks.api.ts";

/** On, off by an admin, or off by Keel (with why), and failing since when. */
function Status({ webhook }: { webhook: WebhookRow }) {
  const { t } = useTranslation();
  const badge = webhook.active
    ? "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100"
    : "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100";
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <span className={`w-fit rounded px-1.5 py-0.5 text-xs font-medium ${badge}`}>
        {webhook.active ? t("webhooks.endpoints.on") : t("webhooks.endpoints.off")}
      </span>
      {webhook.disabledReason && <p className="break-words text-red-800 dark:text-red-300">{webhook.disabledReason}</p>}
      {webhook.active && webhook.failingSince && (
        <p className="text-amber-800 dark:text-amber-300">
          {t("webhooks.endpoints.failingSince", { when: formatDateTime(webhook.failingSince) })}
        </p>
      )}
    </div>
  );
}

/**
 * Admin → Integrations: the workspace's webhook endpoints (URL, events, whether they are on),
 * adding one (its signing secret shown once), editing, turning off and on, rotating the secret,
 * sending a test event, deleting, and each endpoint's delivery log with a retry per attempt.
 */
export function IntegrationsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const pages = useWebhooks(can("read", "webhook"));
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const rotate = useRotateWebhookSecret();
  const test = useTestWebhook();
  const [editing, setEditing] = useState<WebhookRow | null | "new">(null);
  const [deleting, setDeleting] = useState<WebhookRow | null>(null);
  const [rotating, setRotating] = useState<WebhookRow | null>(null);
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const [logId, setLogId] = useState<string | null>(null);

  if (!can("read", "webhook"))
    return (
      <>
        <PageHeader title={t("webhooks.page.title")} />
        <EmptyState title={t("webhooks.page.onlyAdmins")} />
      </>
    );

  const canChange = can("update", "webhook");
  const webhooks = pages.data?.pages.flatMap((page) => page.data) ?? [];
  const logOf = webhooks.find((webhook) => webhook.id === logId) ?? null;

  const addButton = can("create", "webhook") && (
    <Button variant="primary" onClick={() => setEditing("new")}>
      {t("webhooks.page.addEndpoint")}
    </Button>
  );

  const toggle = (webhook: WebhookRow) =>
    update.mutate(
      { id: webhook.id, changes: { active: !webhook.active } },
      {
        onSuccess: () =>
          toast.success(
            webhook.active
              ? t("webhooks.toast.turnedOff", { url: webhook.url })
              : t("webhooks.toast.turnedOn", { url: webhook.url }),
          ),
        onError: (error) =>
          toast.error(t("webhooks.toast.couldNotChange", { url: webhook.url, message: error.message })),
      },
    );

  const sendTest = (webhook: WebhookRow) =>
    test.mutate(webhook.id, {
      onSuccess: () => {
        setLogId(webhook.id);
        toast.success(t("webhooks.toast.testSent"));
      },
      onError: (error) => toast.error(t("webhooks.toast.couldNotSendTest", { message: error.message })),
    });

  const actions = (webhook: WebhookRow) => (
    <div className="flex flex-wrap justify-end gap-1">
      <Button
        size="sm"
        aria-label={t("webhooks.endpoints.deliveriesOf", { url: webhook.url })}
        onClick={() => setLogId(webhook.id)}
      >
        {t("webhooks.endpoints.deliveries")}
      </Button>
      {canChange && (
        <>
          <Button
            size="sm"
            aria-label={t("webhooks.endpoints.sendTestTo", { url: webhook.url })}
            disabled={!webhook.active || (test.isPending && test.variables === webhook.id)}
            onClick={() => sendTest(webhook)}
          >
            {t("webhooks.endpoints.sendTest")}
          </Button>
          <Button
            size="sm"
            aria-label={t("webhooks.endpoints.editUrl", { url: webhook.url })}
            onClick={() => setEditing(webhook)}
          >
            {t("common.edit")}
          </Button>
          <Button
            size="sm"
            aria-label={
              webhook.active
                ? t("webhooks.endpoints.turnOffUrl", { url: webhook.url })
                : t("webhooks.endpoints.turnOnUrl", { url: webhook.url })
            }
            disabled={update.isPending && update.variables.id === webhook.id}
            onClick={() => toggle(webhook)}
          >
            {webhook.active ? t("webhooks.endpoints.turnOff") : t("webhooks.endpoints.turnOn")}
          </Button>
          <Button
            size="sm"
            aria-label={t("webhooks.endpoints.rotateSecretOf", { url: webhook.url })}
            onClick={() => setRotating(webhook)}
          >
            {t("webhooks.endpoints.rotateSecret")}
          </Button>
        </>
      )}
      {can("delete", "webhook") && (
        <Button
          size="sm"
          variant="danger"
          aria-label={t("webhooks.endpoints.deleteUrl", { url: webhook.url })}
          onClick={() => setDeleting(webhook)}
        >
          {t("common.delete")}
        </Button>
      )}
    </div>
  );

  let body;
  if (pages.isPending) body = <SkeletonRows rows={3} />;
  else if (pages.isError) body = <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />;
  else if (webhooks.length === 0)
    body = (
      <EmptyState title={t("webhooks.page.empty")}>
        <p className="max-w-md text-sm">{t("webhooks.page.emptyHint")}</p>
        {addButton}
      </EmptyState>
    );
  else
    body = (
      <>
        <table className="hidden w-full text-sm md:table">
          <caption className="sr-only">{t("webhooks.endpoints.caption")}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-left dark:border-slate-700">
              {[t("webhooks.endpoints.url"), t("webhooks.endpoints.events"), t("webhooks.endpoints.status")].map(
                (heading) => (
                  <th key={heading} scope="col" className="px-3 py-2 font-medium">
                    {heading}
                  </th>
                ),
              )}
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <tr key={webhook.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                <td className="max-w-xs px-3 py-2">
                  <p className="font-mono text-xs break-all">{webhook.url}</p>
                  {webhook.description && (
                    <p className="break-words text-slate-600 dark:text-slate-400">{webhook.description}</p>
                  )}
                </td>
                <td className="max-w-xs px-3 py-2 break-words">{summarizeSelectors(webhook.events)}</td>
                <td className="max-w-xs px-3 py-2">
                  <Status webhook={webhook} />
                </td>
                <td className="px-3 py-2">{actions(webhook)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {/* Phones: one card per endpoint. */}
        <ul aria-label={t("webhooks.endpoints.caption")} className="flex flex-col gap-2 md:hidden">
          {webhooks.map((webhook) => (
            <li key={webhook.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
              <p className="font-mono text-xs break-all">{webhook.url}</p>
              {webhook.description && (
                <p className="break-words text-slate-600 dark:text-slate-400">{webhook.description}</p>
              )}
              <p className="mt-2 break-words">{summarizeSelectors(webhook.events)}</p>
              <div className="mt-2">
                <Status webhook={webhook} />
              </div>
              <div className="mt-2">{actions(webhook)}</div>
            </li>
          ))}
        </ul>
        <LoadMore pages={pages} className="p-3" />
      </>
    );

  return (
    <>
      <PageHeader title={t("webhooks.page.title")} actions={webhooks.length > 0 ? addButton : undefined} />
      <div className="flex flex-col gap-6 p-4">
        <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-300">{t("webhooks.page.intro")}</p>
        {body}
        {logOf && <DeliveryLog key={logOf.id} webhook={logOf} canRetry={canChange} />}
      </div>
      <WebhookFormDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        webhook={editing === "new" ? null : editing}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={t("webhooks.delete.title")}
        description={t("webhooks.delete.description", { url: deleting?.url ?? "" })}
        confirmLabel={t("webhooks.delete.confirm")}
        isPending={remove.isPending}
        onConfirm={() => {
          if (!deleting) return;
          const { id, url } = deleting;
          remove.mutate(id, {
            onSuccess: () => {
              setDeleting(null);
              if (logId === id) setLogId(null);
              toast.success(t("webhooks.toast.deleted", { url }));
            },
            onError: (error) => toast.error(t("webhooks.toast.couldNotDelete", { url, message: error.message })),
          });
        }}
      />
      <ConfirmDialog
        open={rotating !== null}
        onOpenChange={(open) => !open && setRotating(null)}
        title={t("webhooks.rotate.title")}
        description={t("webhooks.rotate.description", { url: rotating?.url ?? "" })}
        confirmLabel={t("webhooks.rotate.confirm")}
        isDanger={false}
        isPending={rotate.isPending}
        onConfirm={() => {
          if (!rotating) return;
          const { id, url } = rotating;
          rotate.mutate(id, {
            onSuccess: (rotated) => {
              setRotating(null);
              setNewSecret(rotated.secret);
            },
            onError: (error) => toast.error(t("webhooks.toast.couldNotRotate", { url, message: error.message })),
          });
        }}
      />
      <Dialog
        open={newSecret !== null}
        onOpenChange={(open) => !open && setNewSecret(null)}
        title={t("webhooks.rotate.newSecret")}
      >
        {newSecret && <WebhookSecret secret={newSecret} onDone={() => setNewSecret(null)} />}
      </Dialog>
    </>
  );
}

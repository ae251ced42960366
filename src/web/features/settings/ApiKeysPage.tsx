import { useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { t } from "../../i18n/i18n.ts";
import { formatDate, formatDateTime, labelOf } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { summarizeScopes } from "./api-key-scopes.ts";
import { statusOf, useApiKeys, useRevokeApiKey, type ApiKeyRow, type ApiKeyStatus } from "./api-keys.api.ts";
import { CreateApiKeyDialog } from "./CreateApiKeyDialog.tsx";

const statusClass: Record<ApiKeyStatus, string> = {
  active: "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100",
  revoked: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
  expired: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
};

function StatusBadge({ status }: { status: ApiKeyStatus }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${statusClass[status]}`}>{labelOf(status)}</span>;
}

function lastUsed(key: ApiKeyRow): string {
  if (!key.lastUsedAt) return t("settings.apiKeys.never");
  return key.lastUsedIp
    ? t("settings.apiKeys.usedFrom", { at: formatDateTime(key.lastUsedAt), address: key.lastUsedIp })
    : formatDateTime(key.lastUsedAt);
}

/** Settings → API keys: the workspace's keys, creating one (shown once) and revoking. Admins only. */
export function ApiKeysPage() {
  const { t } = useTranslation();
  const can = useCan();
  const keys = useApiKeys(can("read", "apiKey"));
  const revoke = useRevokeApiKey();
  const [isCreating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);

  if (!can("read", "apiKey"))
    return (
      <>
        <PageHeader title={t("settings.apiKeys.title")} />
        <EmptyState title={t("settings.apiKeys.onlyAdmins")} />
      </>
    );

  const createButton = can("create", "apiKey") && (
    <Button variant="primary" onClick={() => setCreating(true)}>
      {t("settings.apiKeys.create")}
    </Button>
  );

  const revokeButton = (key: ApiKeyRow) =>
    statusOf(key) === "active" &&
    can("delete", "apiKey") && (
      <Button
        variant="danger"
        size="sm"
        aria-label={t("settings.apiKeys.revokeLabel", { name: key.name })}
        onClick={() => setRevoking(key)}
      >
        {t("settings.apiKeys.revoke")}
      </Button>
    );

  let body;
  if (keys.isPending) body = <SkeletonRows rows={4} />;
  else if (keys.isError) body = <ErrorMessage error={keys.error} onRetry={() => void keys.refetch()} />;
  else if (keys.data.length === 0)
    body = (
      <EmptyState title={t("settings.apiKeys.empty")}>
        <p className="max-w-md text-sm">{t("settings.apiKeys.emptyText")}</p>
        {createButton}
      </EmptyState>
    );
  else
    body = (
      <>
        <table className="hidden w-full text-sm md:table">
          <caption className="sr-only">{t("settings.apiKeys.title")}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-left dark:border-slate-700">
              {[
                t("common.name"),
                t("settings.apiKeys.key"),
                t("settings.apiKeys.scopes"),
                t("common.created"),
                t("settings.apiKeys.lastUsed"),
                t("settings.apiKeys.expires"),
                t("common.status"),
              ].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium">
                  {h}
                </th>
              ))}
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                <td className="px-3 py-2 font-medium break-words">{key.name}</td>
                <td className="px-3 py-2 font-mono whitespace-nowrap">{key.prefix}…</td>
                <td className="px-3 py-2">{summarizeScopes(key.scopes)}</td>
                <td className="px-3 py-2">{formatDate(key.createdAt)}</td>
                <td className="px-3 py-2">{lastUsed(key)}</td>
                <td className="px-3 py-2">{key.expiresAt ? formatDate(key.expiresAt) : t("settings.apiKeys.never")}</td>
                <td className="px-3 py-2">
                  <StatusBadge status={statusOf(key)} />
                </td>
                <td className="px-3 py-2 text-right">{revokeButton(key)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {/* Phones: one card per key, every field on its own line, nothing scrolls sideways. */}
        <ul aria-label={t("settings.apiKeys.title")} className="flex flex-col gap-2 p-3 md:hidden">
          {keys.data.map((key) => (
            <li key={key.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
              <div className="flex items-start justify-between gap-2">
                <p className="min-w-0 font-medium break-words">{key.name}</p>
                <StatusBadge status={statusOf(key)} />
              </div>
              <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                <dt className="text-slate-600 dark:text-slate-400">{t("settings.apiKeys.key")}</dt>
                <dd className="font-mono break-all">{key.prefix}…</dd>
                <dt className="text-slate-600 dark:text-slate-400">{t("settings.apiKeys.scopes")}</dt>
                <dd className="break-words">{summarizeScopes(key.scopes)}</dd>
                <dt className="text-slate-600 dark:text-slate-400">{t("common.created")}</dt>
                <dd>{formatDate(key.createdAt)}</dd>
                <dt className="text-slate-600 dark:text-slate-400">{t("settings.apiKeys.lastUsed")}</dt>
                <dd className="break-words">{lastUsed(key)}</dd>
                <dt className="text-slate-600 dark:text-slate-400">{t("settings.apiKeys.expires")}</dt>
                <dd>{key.expiresAt ? formatDate(key.expiresAt) : t("settings.apiKeys.never")}</dd>
              </dl>
              {revokeButton(key) && <div className="mt-2 flex justify-end">{revokeButton(key)}</div>}
            </li>
          ))}
        </ul>
      </>
    );

  return (
    <>
      <PageHeader title={t("settings.apiKeys.title")} actions={keys.data?.length ? createButton : undefined} />
      {body}
      <CreateApiKeyDialog open={isCreating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={t("settings.apiKeys.confirmTitle", { name: revoking?.name ?? "" })}
        description={t("settings.apiKeys.confirmDescription")}
        confirmLabel={t("settings.apiKeys.confirmLabel")}
        isPending={revoke.isPending}
        onConfirm={() => {
          if (!revoking) return;
          const { id, name } = revoking;
          revoke.mutate(id, {
            onSuccess: () => {
              setRevoking(null);
              toast.success(t("settings.apiKeys.revoked", { name }));
            },
            onError: (error) => toast.error(t("settings.apiKeys.couldNotRevoke", { name, message: error.message })),
          });
        }}
      />
    </>
  );
}

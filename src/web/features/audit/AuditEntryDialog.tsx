import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { describeUserAgent } from "../settings/user-agent.ts";
import type { AuditRow } from "./audit.api.ts";
import { actionLabelOf, actorLabelOf, fieldLabelOf } from "./audit-labels.ts";
import { exactValue, type MemberNames } from "./audit-values.ts";
import { ChangesDiff } from "./ChangesDiff.tsx";
import { ResourceLink } from "./ResourceLink.tsx";
import { sealedExplanation } from "./SealedMark.tsx";

type AuditEntryDialogProps = {
  entry: AuditRow | null;
  onClose: () => void;
  members: MemberNames;
  /** The entries before and after this one in the list, for stepping through without closing. */
  onNewer?: (() => void) | undefined;
  onOlder?: (() => void) | undefined;
};

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
      <dd className="min-w-0 wrap-anywhere">{children}</dd>
    </>
  );
}

/** One audit entry in full: who, when, from where, and its field changes old | new side by side. */
export function AuditEntryDialog({ entry, onClose, members, onNewer, onOlder }: AuditEntryDialogProps) {
  const { t } = useTranslation();
  const details = Object.entries(entry?.details ?? {});
  const actorKinds: Record<AuditRow["actor"]["type"], string> = {
    user: t("audit.entry.actorKinds.user"),
    apiKey: t("audit.entry.actorKinds.apiKey"),
    system: t("audit.entry.actorKinds.system"),
  };
  return (
    <Dialog
      open={entry !== null}
      onOpenChange={(isOpen) => !isOpen && onClose()}
      title={entry ? actionLabelOf(entry.action) : ""}
      wide
    >
      {entry && (
        <div className="flex flex-col gap-4 text-sm">
          <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
            <Fact term={t("audit.entry.when")}>
              <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
            </Fact>
            <Fact term={t("audit.entry.actor")}>
              {actorLabelOf(entry)}{" "}
              <span className="text-slate-600 dark:text-slate-400">({actorKinds[entry.actor.type]})</span>
              {entry.actor.onBehalfOf && (
                <span className="block text-slate-600 dark:text-slate-400">
                  {t("audit.entry.actingFor", {
                    name: members.get(entry.actor.onBehalfOf) ?? entry.actor.onBehalfOf,
                  })}
                </span>
              )}
            </Fact>
            <Fact term={t("audit.entry.action")}>
              <code className="text-xs">{entry.action}</code>
            </Fact>
            <Fact term={t("audit.entry.resource")}>
              <ResourceLink entry={entry} isFullId />
            </Fact>
            <Fact term={t("audit.entry.ipAddress")}>{entry.ipAddress ?? "—"}</Fact>
            <Fact term={t("audit.entry.userAgent")}>
              {entry.userAgent ? (
                <>
                  {describeUserAgent(entry.userAgent)}
                  <span className="block font-mono text-xs text-slate-600 dark:text-slate-400">{entry.userAgent}</span>
                </>
              ) : (
                "—"
              )}
            </Fact>
            <Fact term={t("audit.entry.requestId")}>
              <code className="text-xs">{entry.requestId ?? "—"}</code>
            </Fact>
            <Fact term={t("audit.entry.sealed")}>
              {entry.sealed
                ? t("audit.entry.sealedYes", { explanation: sealedExplanation() })
                : t("audit.entry.notSealed")}
            </Fact>
          </dl>
          {entry.changes && Object.keys(entry.changes).length > 0 ? (
            <ChangesDiff changes={entry.changes} />
          ) : (
            <p className="text-slate-600 dark:text-slate-400">{t("audit.entry.noChanges")}</p>
          )}
          {details.length > 0 && (
            <section aria-label={t("audit.entry.otherDetails")}>
              <h3 className="mb-1 font-semibold">{t("audit.entry.details")}</h3>
              <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                {details.map(([key, value]) => (
                  <Fact key={key} term={fieldLabelOf(key)}>
                    <pre className="font-sans whitespace-pre-wrap wrap-anywhere">{exactValue(value) ?? "—"}</pre>
                  </Fact>
                ))}
              </dl>
            </section>
          )}
          {(onNewer || onOlder) && (
            <div className="flex justify-between gap-2">
              <Button size="sm" onClick={onNewer} disabled={!onNewer}>
                {t("audit.entry.newer")}
              </Button>
              <Button size="sm" onClick={onOlder} disabled={!onOlder}>
                {t("audit.entry.older")}
              </Button>
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}

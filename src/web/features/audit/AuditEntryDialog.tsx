import type { ReactNode } from "react";
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

const actorKinds: Record<AuditRow["actor"]["type"], string> = {
  user: "member",
  apiKey: "API key",
  system: "automatic",
};

/** One audit entry in full: who, when, from where, and its field changes old | new side by side. */
export function AuditEntryDialog({ entry, onClose, members, onNewer, onOlder }: AuditEntryDialogProps) {
  const details = Object.entries(entry?.details ?? {});
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
            <Fact term="When">
              <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
            </Fact>
            <Fact term="Actor">
              {actorLabelOf(entry)}{" "}
              <span className="text-slate-600 dark:text-slate-400">({actorKinds[entry.actor.type]})</span>
              {entry.actor.onBehalfOf && (
                <span className="block text-slate-600 dark:text-slate-400">
                  acting for {members.get(entry.actor.onBehalfOf) ?? entry.actor.onBehalfOf}
                </span>
              )}
            </Fact>
            <Fact term="Action">
              <code className="text-xs">{entry.action}</code>
            </Fact>
            <Fact term="Resource">
              <ResourceLink entry={entry} isFullId />
            </Fact>
            <Fact term="IP address">{entry.ipAddress ?? "—"}</Fact>
            <Fact term="User agent">
              {entry.userAgent ? (
                <>
                  {describeUserAgent(entry.userAgent)}
                  <span className="block font-mono text-xs text-slate-600 dark:text-slate-400">{entry.userAgent}</span>
                </>
              ) : (
                "—"
              )}
            </Fact>
            <Fact term="Request id">
              <code className="text-xs">{entry.requestId ?? "—"}</code>
            </Fact>
            <Fact term="Sealed">
              {entry.sealed
                ? sealedExplanation.replace(/^Sealed: /, "Yes: ")
                : "Not yet: it joins the hash chain shortly."}
            </Fact>
          </dl>
          {entry.changes && Object.keys(entry.changes).length > 0 ? (
            <ChangesDiff changes={entry.changes} />
          ) : (
            <p className="text-slate-600 dark:text-slate-400">No field changes recorded with this entry.</p>
          )}
          {details.length > 0 && (
            <section aria-label="Other details">
              <h3 className="mb-1 font-semibold">Details</h3>
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
                ← Newer entry
              </Button>
              <Button size="sm" onClick={onOlder} disabled={!onOlder}>
                Older entry →
              </Button>
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}

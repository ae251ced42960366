import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { historyResources, type AuditActorType } from "../../../shared/schemas/audit.ts";
import { Button } from "../../components/Button.tsx";
import { FieldFrame, inputClass, SelectField, TextField } from "../../components/Field.tsx";
import type { MemberRow } from "../users/users.api.ts";
import { actionLabelOf, resourceLabelOf, shortId } from "./audit-labels.ts";
import { auditQueryOf, type AuditFilterErrors } from "./audit-query.ts";
import type { AuditSearch } from "./audit-search.ts";

/** Actions offered as you type (any other action, or a prefix such as `contact.`, works as well). */
const suggestedActions = [
  ...historyResources.flatMap((resource) =>
    ["created", "updated", "deleted", "restored"].map((verb) => `${resource}.${verb}`),
  ),
  "lead.converted",
  "lead.status_changed",
  "deal.stage_changed",
  "task.completed",
  "auth.sign_in",
  "auth.sign_in_failed",
  "access.denied",
  "api_key.created",
  "webhook.updated",
  "member.role_changed",
  "settings.updated",
  ...historyResources.map((resource) => `${resource}.`),
];

type AuditFiltersProps = {
  search: AuditSearch;
  /** Errors of filters that came with the URL. */
  errors: AuditFilterErrors;
  members: MemberRow[];
  onApply: (search: AuditSearch) => void;
};

const cleaned = (value: string | undefined) => value?.trim() || undefined;

/**
 * The audit log's filters: actor, resource type and id, action, and a range of days. Applying
 * checks them with the API's schema first (a resource id must be a UUID) and puts them in the URL.
 */
export function AuditFilters({ search, errors: urlErrors, members, onApply }: AuditFiltersProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AuditSearch>(search);
  /** Actor kinds in the actor picker, beside the members: they filter by `actorType`. */
  const actorKinds: { type: AuditActorType; label: string }[] = [
    { type: "apiKey", label: t("audit.filters.anyApiKey") },
    { type: "system", label: t("audit.filters.keel") },
    { type: "user", label: t("audit.filters.anyMember") },
  ];
  const [errors, setErrors] = useState<AuditFilterErrors>(urlErrors);
  const set = (field: keyof AuditSearch) => (value: string) =>
    setDraft((previous) => ({ ...previous, [field]: value }));
  const actorValue = draft.actorId ?? (draft.actorType ? `type:${draft.actorType}` : "");
  const isMember = (id: string) => members.some((member) => member.id === id);
  const resourceTypes = [
    ...new Set<string>([...historyResources, ...(draft.resourceType ? [draft.resourceType] : [])]),
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: AuditSearch = {
      actorId: cleaned(draft.actorId),
      actorType: draft.actorType,
      resourceType: cleaned(draft.resourceType),
      resourceId: cleaned(draft.resourceId),
      action: cleaned(draft.action),
      from: cleaned(draft.from),
      to: cleaned(draft.to),
    };
    const checked = auditQueryOf(next);
    setErrors(checked.isValid ? {} : checked.errors);
    if (checked.isValid) onApply(next);
  };

  return (
    <form
      role="search"
      aria-label={t("audit.filters.label")}
      onSubmit={submit}
      noValidate
      className="flex flex-col gap-3"
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-3">
        <FieldFrame label={t("audit.filters.actor")} error={errors.actorId ?? errors.actorType}>
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              className={inputClass}
              value={actorValue}
              onChange={(event) => {
                const value = event.target.value;
                const type = value.startsWith("type:") ? (value.slice(5) as AuditActorType) : undefined;
                setDraft((previous) => ({ ...previous, actorType: type, actorId: type || !value ? undefined : value }));
              }}
            >
              <option value="">{t("audit.filters.anyone")}</option>
              <optgroup label={t("audit.filters.members")}>
                {members.map((member) => (
                  <option key={member.id} value={member.id}>
                    {member.name} ({member.email})
                  </option>
                ))}
                {draft.actorId && !isMember(draft.actorId) && (
                  <option value={draft.actorId}>{t("audit.filters.otherActor", { id: shortId(draft.actorId) })}</option>
                )}
              </optgroup>
              <optgroup label={t("audit.filters.kinds")}>
                {actorKinds.map((kind) => (
                  <option key={kind.type} value={`type:${kind.type}`}>
                    {kind.label}
                  </option>
                ))}
              </optgroup>
            </select>
          )}
        </FieldFrame>
        <SelectField
          label={t("audit.filters.resourceType")}
          placeholder={t("audit.filters.any")}
          options={resourceTypes.map((type) => ({ value: type, label: resourceLabelOf(type) }))}
          value={draft.resourceType ?? ""}
          onChange={(event) => set("resourceType")(event.target.value)}
          error={errors.resourceType}
        />
        <TextField
          label={t("audit.filters.resourceId")}
          placeholder="0190f6c2-…"
          autoComplete="off"
          spellCheck={false}
          value={draft.resourceId ?? ""}
          onChange={(event) => set("resourceId")(event.target.value)}
          error={errors.resourceId}
          hint={t("audit.filters.resourceIdHint")}
        />
        <TextField
          label={t("audit.filters.action")}
          list="audit-log-actions"
          autoComplete="off"
          spellCheck={false}
          placeholder="contact.updated"
          value={draft.action ?? ""}
          onChange={(event) => set("action")(event.target.value)}
          error={errors.action}
          hint={t("audit.filters.actionHint")}
        />
        <datalist id="audit-log-actions">
          {suggestedActions.map((action) => (
            <option key={action} value={action}>
              {actionLabelOf(action)}
            </option>
          ))}
        </datalist>
        <TextField
          label={t("audit.filters.from")}
          type="date"
          value={draft.from ?? ""}
          onChange={(event) => set("from")(event.target.value)}
          error={errors.from}
        />
        <TextField
          label={t("audit.filters.to")}
          type="date"
          value={draft.to ?? ""}
          onChange={(event) => set("to")(event.target.value)}
          error={errors.to}
          hint={t("audit.filters.toHint")}
        />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary">
          {t("audit.filters.apply")}
        </Button>
        <Button
          variant="ghost"
          onClick={() => {
            setDraft({});
            setErrors({});
            onApply({});
          }}
        >
          {t("audit.filters.clear")}
        </Button>
      </div>
    </form>
  );
}

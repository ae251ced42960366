import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { UpdateWorkspaceSettingsSchema } from "../../../shared/schemas/workspace-settings.ts";
import type { DateFormat, NumberFormat } from "../../../shared/workspace-defaults.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { useUnsavedChangesGuard } from "../../lib/forms.ts";
import { ListEditor } from "./ListEditor.tsx";
import { useUpdateWorkspace, workspaceQuery, type WorkspaceRow } from "./workspace.api.ts";
import { changesOf, draftOf, lineError, newItemId, type DraftErrors, type WorkspaceDraft } from "./workspace-draft.ts";
import {
  countryOptions,
  currencyOptions,
  dateFormatOptions,
  monthOptions,
  numberFormatOptions,
  timeZoneOptions,
} from "./workspace-options.ts";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-3 border-b border-slate-200 pb-5 dark:border-slate-800">
      <h2 className="text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

/** Problem paths → messages, the first one for each path. */
function errorsOf(issues: { path: string; message: string }[]): DraftErrors {
  const errors: DraftErrors = {};
  for (const issue of issues) errors[issue.path] ??= issue.message;
  return errors;
}

const fieldNames = new Set([
  "name",
  "baseCurrency",
  "timeZone",
  "dateFormat",
  "numberFormat",
  "fiscalYearStartMonth",
  "defaultPhoneCountry",
  "leadLostReasons",
  "dealLostReasons",
  "requireDealLostReason",
  "customerOnWonDeal",
  "agentsSeeOwnRecordsOnly",
  "activityTypes",
]);

/** A yes/no setting: a checkbox, its label and a line that says what it does. */
function CheckboxSetting(props: {
  label: string;
  hint: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input
        type="checkbox"
        className="mt-0.5 h-4 w-4 accent-accent-600"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span>
        <span className="font-medium">{props.label}</span>
        <span className="block text-slate-600 dark:text-slate-400">{props.hint}</span>
      </span>
    </label>
  );
}

/**
 * The workspace's settings as one form, saved with one PATCH of what changed (If-Match on the
 * version it was opened at). Checked with the API's own schema first; the server's field errors
 * land on the same fields and list lines.
 */
export function WorkspaceForm({ settings }: { settings: WorkspaceRow }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const update = useUpdateWorkspace();
  const [saved, setSaved] = useState(settings);
  const [draft, setDraft] = useState<WorkspaceDraft>(() => draftOf(settings));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<string | undefined>();
  /** The settings someone else saved meanwhile (after a 412). */
  const [theirs, setTheirs] = useState<WorkspaceRow | null>(null);
  const changes = changesOf(draft, saved);
  const isDirty = Object.keys(changes).length > 0;
  useUnsavedChangesGuard(isDirty && !update.isPending);

  const currencies = useMemo(() => currencyOptions(saved.baseCurrency), [saved.baseCurrency]);
  const zones = useMemo(() => timeZoneOptions(saved.timeZone), [saved.timeZone]);
  const countries = useMemo(() => countryOptions(saved.defaultPhoneCountry ?? undefined), [saved.defaultPhoneCountry]);
  const months = useMemo(() => monthOptions(), []);
  const dateFormats = useMemo(() => dateFormatOptions(), []);
  const numberFormats = useMemo(() => numberFormatOptions(), []);

  const set = <K extends keyof WorkspaceDraft>(field: K, value: WorkspaceDraft[K]) =>
    setDraft((current) => ({ ...current, [field]: value }));

  const startFrom = (next: WorkspaceRow) => {
    setSaved(next);
    setDraft(draftOf(next));
    setErrors({});
    setFormError(undefined);
    setTheirs(null);
  };

  /** Sends the admin's changes (against the version opened) as a change of `version`. */
  const save = async (version: number) => {
    const body = changesOf(draft, saved);
    const checked = UpdateWorkspaceSettingsSchema.safeParse(body);
    if (!checked.success) {
      setErrors(errorsOf(checked.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }))));
      setFormError(t("settings.workspace.needsCorrection"));
      return;
    }
    try {
      const stored = await update.mutateAsync({ version, changes: body });
      startFrom(stored);
      toast.success(t("settings.workspace.saved"));
    } catch (error) {
      if (error instanceof ApiProblem && error.isStale) {
        setTheirs(await client.fetchQuery({ ...workspaceQuery, staleTime: 0 }).catch(() => null));
        setFormError(t("settings.workspace.stale"));
        return;
      }
      const fieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];
      setErrors(errorsOf(fieldErrors));
      const isPlaced = fieldErrors.length > 0 && fieldErrors.every((e) => fieldNames.has(e.path.split(".")[0] ?? ""));
      setFormError(
        isPlaced
          ? t("settings.workspace.needsCorrection")
          : error instanceof Error
            ? error.message
            : t("settings.workspace.couldNotSave"),
      );
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!isDirty) return;
    void save(saved.version);
  };

  const field = (name: keyof WorkspaceDraft) => errors[name];

  return (
    <form noValidate onSubmit={onSubmit} className="flex max-w-3xl flex-col gap-5 p-4">
      <Section title={t("settings.workspace.general")}>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <TextField
            label={t("common.name")}
            autoComplete="off"
            maxLength={100}
            value={draft.name}
            error={field("name")}
            onChange={(e) => set("name", e.target.value)}
          />
          <SelectField
            label={t("settings.workspace.currency")}
            hint={t("settings.workspace.currencyHint")}
            options={currencies}
            value={draft.baseCurrency}
            error={field("baseCurrency")}
            onChange={(e) => set("baseCurrency", e.target.value)}
          />
          <SelectField
            label={t("settings.workspace.timeZone")}
            hint={t("settings.workspace.timeZoneHint")}
            options={zones}
            value={draft.timeZone}
            error={field("timeZone")}
            onChange={(e) => set("timeZone", e.target.value)}
          />
          <SelectField
            label={t("settings.workspace.phoneCountry")}
            hint={t("settings.workspace.phoneCountryHint")}
            placeholder={t("common.none")}
            options={countries}
            value={draft.defaultPhoneCountry}
            error={field("defaultPhoneCountry")}
            onChange={(e) => set("defaultPhoneCountry", e.target.value)}
          />
        </div>
      </Section>

      <Section title={t("settings.workspace.formats")}>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <SelectField
            label={t("settings.workspace.dateFormat")}
            options={dateFormats}
            value={draft.dateFormat}
            error={field("dateFormat")}
            onChange={(e) => set("dateFormat", e.target.value as DateFormat)}
          />
          <SelectField
            label={t("settings.workspace.numberFormat")}
            options={numberFormats}
            value={draft.numberFormat}
            error={field("numberFormat")}
            onChange={(e) => set("numberFormat", e.target.value as NumberFormat)}
          />
          <SelectField
            label={t("settings.workspace.fiscalYear")}
            options={months}
            value={draft.fiscalYearStartMonth}
            error={field("fiscalYearStartMonth")}
            onChange={(e) => set("fiscalYearStartMonth", e.target.value)}
          />
        </div>
      </Section>

      <Section title={t("settings.workspace.lostReasons")}>
        <p className="text-sm text-slate-600 dark:text-slate-400">{t("settings.workspace.lostReasonsText")}</p>
        <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
          <ListEditor
            label={t("settings.workspace.leadLostReasons.label")}
            words={{
              item: t("settings.workspace.leadLostReasons.item"),
              newItem: t("settings.workspace.leadLostReasons.newItem"),
              addItem: t("settings.workspace.leadLostReasons.addItem"),
              writeFirst: t("settings.workspace.leadLostReasons.writeFirst"),
            }}
            items={draft.leadLostReasons}
            onChange={(items) => set("leadLostReasons", items)}
            newItem={(text) => ({ id: newItemId(), text })}
            errorOf={(index) => lineError(errors, "leadLostReasons", index)}
            listError={errors.leadLostReasons}
            maxLength={100}
            maxItems={50}
          />
          <ListEditor
            label={t("settings.workspace.dealLostReasons.label")}
            words={{
              item: t("settings.workspace.dealLostReasons.item"),
              newItem: t("settings.workspace.dealLostReasons.newItem"),
              addItem: t("settings.workspace.dealLostReasons.addItem"),
              writeFirst: t("settings.workspace.dealLostReasons.writeFirst"),
            }}
            items={draft.dealLostReasons}
            onChange={(items) => set("dealLostReasons", items)}
            newItem={(text) => ({ id: newItemId(), text })}
            errorOf={(index) => lineError(errors, "dealLostReasons", index)}
            listError={errors.dealLostReasons}
            maxLength={100}
            maxItems={50}
          />
        </div>
        <CheckboxSetting
          label={t("settings.workspace.requireLostReason")}
          hint={t("settings.workspace.requireLostReasonHint")}
          checked={draft.requireDealLostReason}
          onChange={(checked) => set("requireDealLostReason", checked)}
        />
        <CheckboxSetting
          label={t("settings.workspace.customerOnWonDeal")}
          hint={t("settings.workspace.customerOnWonDealHint")}
          checked={draft.customerOnWonDeal}
          onChange={(checked) => set("customerOnWonDeal", checked)}
        />
      </Section>

      <Section title={t("settings.workspace.access")}>
        <CheckboxSetting
          label={t("settings.workspace.agentsSeeOwnRecordsOnly")}
          hint={t("settings.workspace.agentsSeeOwnRecordsOnlyHint")}
          checked={draft.agentsSeeOwnRecordsOnly}
          onChange={(checked) => set("agentsSeeOwnRecordsOnly", checked)}
        />
      </Section>

      <Section title={t("settings.workspace.activityTypes.label")}>
        <ListEditor
          label={t("settings.workspace.activityTypes.label")}
          isHeadingHidden
          words={{
            item: t("settings.workspace.activityTypes.item"),
            newItem: t("settings.workspace.activityTypes.newItem"),
            addItem: t("settings.workspace.activityTypes.addItem"),
            writeFirst: t("settings.workspace.activityTypes.writeFirst"),
          }}
          hint={t("settings.workspace.activityTypes.hint")}
          items={draft.activityTypes}
          onChange={(items) => set("activityTypes", items)}
          newItem={(text) => ({ id: newItemId(), key: "", text })}
          errorOf={(index) => lineError(errors, "activityTypes", index)}
          listError={errors.activityTypes}
          noteOf={(item) => (item.key ? undefined : t("settings.workspace.activityTypes.newNote"))}
          maxLength={50}
          minItems={1}
          maxItems={30}
        />
      </Section>

      <FormError message={formError} />
      <div className="flex flex-wrap justify-end gap-2">
        {theirs && (
          <>
            <Button onClick={() => startFrom(theirs)}>{t("settings.workspace.showTheirs")}</Button>
            <Button variant="primary" onClick={() => void save(theirs.version)} disabled={update.isPending}>
              {t("settings.workspace.saveOverTheirs")}
            </Button>
          </>
        )}
        {!theirs && (
          <>
            <Button onClick={() => startFrom(saved)} disabled={!isDirty || update.isPending}>
              {t("settings.workspace.discard")}
            </Button>
            <Button type="submit" variant="primary" disabled={!isDirty || update.isPending}>
              {t("settings.workspace.save")}
            </Button>
          </>
        )}
      </div>
    </form>
  );
}

import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState, type FormEvent, type ReactNode } from "react";
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

const correctionMessage = "Some settings need a correction: see the messages below.";
const staleMessage =
  "Someone else changed the settings since you opened them. Your changes are still here: save them over theirs, or show theirs instead.";

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
  "activityTypes",
]);

/**
 * The workspace's settings as one form, saved with one PATCH of what changed (If-Match on the
 * version it was opened at). Checked with the API's own schema first; the server's field errors
 * land on the same fields and list lines.
 */
export function WorkspaceForm({ settings }: { settings: WorkspaceRow }) {
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
      setFormError(correctionMessage);
      return;
    }
    try {
      const stored = await update.mutateAsync({ version, changes: body });
      startFrom(stored);
      toast.success("Saved the workspace's settings.");
    } catch (error) {
      if (error instanceof ApiProblem && error.isStale) {
        setTheirs(await client.fetchQuery({ ...workspaceQuery, staleTime: 0 }).catch(() => null));
        setFormError(staleMessage);
        return;
      }
      const fieldErrors = error instanceof ApiProblem ? error.fieldErrors : [];
      setErrors(errorsOf(fieldErrors));
      const isPlaced = fieldErrors.length > 0 && fieldErrors.every((e) => fieldNames.has(e.path.split(".")[0] ?? ""));
      setFormError(isPlaced ? correctionMessage : error instanceof Error ? error.message : "Could not save.");
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
      <Section title="General">
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <TextField
            label="Name"
            autoComplete="off"
            maxLength={100}
            value={draft.name}
            error={field("name")}
            onChange={(e) => set("name", e.target.value)}
          />
          <SelectField
            label="Default currency"
            hint="New deals get it; totals and amounts without a currency are shown in it."
            options={currencies}
            value={draft.baseCurrency}
            error={field("baseCurrency")}
            onChange={(e) => set("baseCurrency", e.target.value)}
          />
          <SelectField
            label="Time zone"
            hint="Dates and times are shown, and entered, on its clock."
            options={zones}
            value={draft.timeZone}
            error={field("timeZone")}
            onChange={(e) => set("timeZone", e.target.value)}
          />
          <SelectField
            label="Default phone country"
            hint="Phone numbers written without a country code belong to it."
            placeholder="None"
            options={countries}
            value={draft.defaultPhoneCountry}
            error={field("defaultPhoneCountry")}
            onChange={(e) => set("defaultPhoneCountry", e.target.value)}
          />
        </div>
      </Section>

      <Section title="Formats">
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <SelectField
            label="Date format"
            options={dateFormatOptions}
            value={draft.dateFormat}
            error={field("dateFormat")}
            onChange={(e) => set("dateFormat", e.target.value as DateFormat)}
          />
          <SelectField
            label="Number format"
            options={numberFormatOptions}
            value={draft.numberFormat}
            error={field("numberFormat")}
            onChange={(e) => set("numberFormat", e.target.value as NumberFormat)}
          />
          <SelectField
            label="Fiscal year starts in"
            options={months}
            value={draft.fiscalYearStartMonth}
            error={field("fiscalYearStartMonth")}
            onChange={(e) => set("fiscalYearStartMonth", e.target.value)}
          />
        </div>
      </Section>

      <Section title="Lost reasons">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Offered, in this order, when a lead or a deal is lost; people can still choose “Other” and write their own. An
          empty list lets people write any reason.
        </p>
        <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
          <ListEditor
            label="Lead lost reasons"
            itemNoun="Lead lost reason"
            items={draft.leadLostReasons}
            onChange={(items) => set("leadLostReasons", items)}
            newItem={(text) => ({ id: newItemId(), text })}
            errorOf={(index) => lineError(errors, "leadLostReasons", index)}
            listError={errors.leadLostReasons}
            maxLength={100}
            maxItems={50}
          />
          <ListEditor
            label="Deal lost reasons"
            itemNoun="Deal lost reason"
            items={draft.dealLostReasons}
            onChange={(items) => set("dealLostReasons", items)}
            newItem={(text) => ({ id: newItemId(), text })}
            errorOf={(index) => lineError(errors, "dealLostReasons", index)}
            listError={errors.dealLostReasons}
            maxLength={100}
            maxItems={50}
          />
        </div>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 h-4 w-4 accent-accent-600"
            checked={draft.requireDealLostReason}
            onChange={(e) => set("requireDealLostReason", e.target.checked)}
          />
          <span>
            <span className="font-medium">A deal moved to a lost stage must have a reason</span>
            <span className="block text-slate-600 dark:text-slate-400">
              Otherwise the reason is asked for, and may be left out.
            </span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 h-4 w-4 accent-accent-600"
            checked={draft.customerOnWonDeal}
            onChange={(e) => set("customerOnWonDeal", e.target.checked)}
          />
          <span>
            <span className="font-medium">A won deal makes its contact a customer</span>
            <span className="block text-slate-600 dark:text-slate-400">
              The contact&apos;s lifecycle changes from lead to customer when the deal is won.
            </span>
          </span>
        </label>
      </Section>

      <Section title="Activity types">
        <ListEditor
          label="Activity types"
          isHeadingHidden
          itemNoun="Activity type"
          hint="What people log on timelines. Renaming a type renames it on every activity; activities of a removed type keep it."
          items={draft.activityTypes}
          onChange={(items) => set("activityTypes", items)}
          newItem={(text) => ({ id: newItemId(), key: "", text })}
          errorOf={(index) => lineError(errors, "activityTypes", index)}
          listError={errors.activityTypes}
          noteOf={(item) => (item.key ? undefined : "New: added when you save")}
          maxLength={50}
          minItems={1}
          maxItems={30}
        />
      </Section>

      <FormError message={formError} />
      <div className="flex flex-wrap justify-end gap-2">
        {theirs && (
          <>
            <Button onClick={() => startFrom(theirs)}>Show their version</Button>
            <Button variant="primary" onClick={() => void save(theirs.version)} disabled={update.isPending}>
              Save mine over theirs
            </Button>
          </>
        )}
        {!theirs && (
          <>
            <Button onClick={() => startFrom(saved)} disabled={!isDirty || update.isPending}>
              Discard changes
            </Button>
            <Button type="submit" variant="primary" disabled={!isDirty || update.isPending}>
              Save settings
            </Button>
          </>
        )}
      </div>
    </form>
  );
}

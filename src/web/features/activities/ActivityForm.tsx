import { useId } from "react";
import { useForm, useWatch, type Resolver } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { CreateActivitySchema, missingLinkIssues, type Activity } from "../../../shared/schemas/activity.ts";
import { useCreateRecord } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextAreaField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { fromLocalInput, labelOf, toLocalInput } from "../../lib/format.ts";
import { applyServerErrors, bodyResolver, useUnsavedChangesGuard } from "../../lib/forms.ts";
import { RecordPickerField } from "../records/RecordPicker.tsx";
import { useActivityTypes } from "../settings/workspace.api.ts";
import { fieldsOfType, labelOfTypeSetting, type ActivityType } from "./activity-types.ts";
import type { RecordLink } from "./Timeline.tsx";

/** What the form holds: text as typed; converted to the API's types by `toActivityInput`. */
export type ActivityValues = {
  type: ActivityType;
  subject: string;
  body: string;
  direction: "" | NonNullable<Activity["direction"]>;
  occurredAt: string;
  durationMinutes: string;
  outcome: string;
  /**
   * The records the activity is about ("" for none): others besides the one it is logged on, which
   * is fixed; without one (the activities page), at least one of them.
   */
  contactId: string;
  companyId: string;
  dealId: string;
  leadId: string;
};

const fieldNames = [
  "type",
  "subject",
  "body",
  "direction",
  "occurredAt",
  "durationMinutes",
  "outcome",
  "contactId",
  "companyId",
  "dealId",
  "leadId",
];

/** The records an activity can be about besides the one it is logged on, with a picker each. */
const alsoAbout = [
  { field: "contactId", collection: "contacts" },
  { field: "companyId", collection: "companies" },
  { field: "dealId", collection: "deals" },
] as const;

/** The records an activity logged on no record can be linked to: any of the four, at least one. */
const linkPickers = [...alsoAbout, { field: "leadId", collection: "leads" }] as const;

type PickerField = (typeof linkPickers)[number]["field"];

/**
 * Form values → the body of POST /activities, linked to the record (when logged on one) and to
 * the records picked; fields the type has not are left out.
 */
export function toActivityInput(values: ActivityValues, link?: RecordLink): Record<string, unknown> {
  const fields = fieldsOfType(values.type);
  const duration = values.durationMinutes.trim();
  return {
    type: values.type,
    subject: values.subject,
    body: values.body.trim() ? values.body : null,
    direction: fields.direction && values.direction ? values.direction : null,
    occurredAt: fromLocalInput(values.occurredAt) ?? undefined,
    durationMinutes: fields.duration && duration !== "" ? Number(duration) : null,
    outcome: fields.outcome && values.outcome.trim() ? values.outcome : null,
    ...Object.fromEntries(linkPickers.flatMap(({ field }) => (values[field] ? [[field, values[field]]] : []))),
    ...(link ? { [link.field]: link.id } : {}),
  };
}

/**
 * Validates what would be sent with the shared CreateActivitySchema. Linked to nothing, the schema
 * names each link field; the form says it once, on the first picker (where focus goes).
 */
const activityResolver = (link?: RecordLink): Resolver<ActivityValues> =>
  bodyResolver(
    CreateActivitySchema,
    (values: ActivityValues) => toActivityInput(values, link),
    fieldNames,
    (path) => (missingLinkIssues.some((issue) => issue.path === path) ? linkPickers[0].field : path.split(".")[0]),
  );

/** A blank form, of the workspace's first activity type. */
const emptyValues = (type: ActivityType): ActivityValues => ({
  type,
  subject: "",
  body: "",
  direction: "outbound",
  occurredAt: toLocalInput(new Date().toISOString()),
  durationMinutes: "",
  outcome: "",
  contactId: "",
  companyId: "",
  dealId: "",
  leadId: "",
});

type ActivityFormProps = {
  /** The record it is logged on; absent (the activities page): the user picks what it is about. */
  link?: RecordLink | undefined;
  onDone: (activity: Wire<Activity>) => void;
  onCancel: () => void;
};

/**
 * Logs an activity of one of the workspace's types, showing the fields of the chosen type: on a
 * record (and perhaps others), or, from the activities page, on the records picked.
 */
export function ActivityForm({ link, onDone, onCancel }: ActivityFormProps) {
  const { t } = useTranslation();
  const linkHintId = useId();
  const create = useCreateRecord<Wire<Activity>>("activities");
  const types = useActivityTypes();
  const firstType = types[0]?.key ?? "note";
  const form = useForm<ActivityValues>({ resolver: activityResolver(link), defaultValues: emptyValues(firstType) });
  const { errors, isDirty, isSubmitting } = form.formState;
  useUnsavedChangesGuard(isDirty && !isSubmitting);
  const type = useWatch({ control: form.control, name: "type" });
  const fields = fieldsOfType(type);
  const pickerLabels: Record<PickerField, { label: string; noneLabel: string }> = {
    contactId: { label: t("activities.form.contact"), noneLabel: t("activities.form.noContact") },
    companyId: { label: t("activities.form.company"), noneLabel: t("activities.form.noCompany") },
    dealId: { label: t("activities.form.deal"), noneLabel: t("activities.form.noDeal") },
    leadId: { label: t("activities.form.lead"), noneLabel: t("activities.form.noLead") },
  };
  const pickers = link ? alsoAbout.filter(({ field }) => field !== link.field) : linkPickers;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const activity = await create.mutateAsync(toActivityInput(values, link));
      form.reset(emptyValues(firstType));
      onDone(activity);
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">
          {t("activities.form.type")}
        </legend>
        <div className="grid grid-cols-2 gap-1.5 sm:grid-cols-4">
          {types.map((option) => (
            <label
              key={option.key}
              className="flex cursor-pointer items-center justify-center gap-1.5 rounded-md border border-slate-300 px-2 py-1.5 text-sm has-checked:border-accent-600 has-checked:bg-accent-50 has-checked:font-semibold has-focus-visible:outline-2 has-focus-visible:outline-accent-600 dark:border-slate-600 dark:has-checked:border-sky-400 dark:has-checked:bg-slate-800"
            >
              <input type="radio" value={option.key} className="sr-only" {...form.register("type")} />
              {labelOfTypeSetting(option)}
            </label>
          ))}
        </div>
        {errors.type?.message && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {errors.type.message}
          </p>
        )}
      </fieldset>
      <TextField
        label={t("activities.form.subject")}
        hint={t("activities.form.subjectHint")}
        autoComplete="off"
        error={errors.subject?.message}
        {...form.register("subject")}
      />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField
          label={t("activities.form.occurredAt")}
          type="datetime-local"
          error={errors.occurredAt?.message}
          {...form.register("occurredAt")}
        />
        {fields.direction && (
          <SelectField
            label={t("activities.form.direction")}
            placeholder={t("activities.form.directionNotRecorded")}
            options={[
              { value: "outbound", label: labelOf("outbound") },
              { value: "inbound", label: labelOf("inbound") },
            ]}
            error={errors.direction?.message}
            {...form.register("direction")}
          />
        )}
        {fields.duration && (
          <TextField
            label={t("activities.form.durationMinutes")}
            type="number"
            inputMode="numeric"
            min={0}
            max={1440}
            step={1}
            error={errors.durationMinutes?.message}
            {...form.register("durationMinutes")}
          />
        )}
        {fields.outcome && (
          <TextField
            label={t("activities.form.outcome")}
            hint={t("activities.form.outcomeHint")}
            error={errors.outcome?.message}
            {...form.register("outcome")}
          />
        )}
      </div>
      <fieldset className="flex flex-col gap-1" aria-describedby={link ? undefined : linkHintId}>
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">
          {link ? t("activities.form.alsoAbout") : t("activities.form.about")}
        </legend>
        {!link && (
          <p id={linkHintId} className="text-xs text-slate-600 dark:text-slate-400">
            {t("activities.form.aboutHint")}
          </p>
        )}
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          {pickers.map(({ field, collection }) => (
            <RecordPickerField
              key={field}
              control={form.control}
              name={field}
              collection={collection}
              label={pickerLabels[field].label}
              noneLabel={pickerLabels[field].noneLabel}
            />
          ))}
        </div>
      </fieldset>
      <TextAreaField
        label={type === "note" ? t("activities.form.note") : t("activities.form.notes")}
        hint={t("activities.form.bodyHint")}
        rows={5}
        error={errors.body?.message}
        {...form.register("body")}
      />
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {t("activities.form.submit")}
        </Button>
      </div>
    </form>
  );
}

import { useForm, useWatch, type Resolver } from "react-hook-form";
import { CreateActivitySchema, type Activity } from "../../../shared/schemas/activity.ts";
import { useCreateRecord } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextAreaField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { fromLocalInput, toLocalInput } from "../../lib/format.ts";
import { applyServerErrors, bodyResolver, useUnsavedChangesGuard } from "../../lib/forms.ts";
import { RecordPickerField } from "../records/RecordPicker.tsx";
import { useActivityTypes } from "../settings/workspace.api.ts";
import { fieldsOfType, type ActivityType } from "./activity-types.ts";
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
  /** Other records the activity is about too ("" for none); the record it is logged on is fixed. */
  contactId: string;
  companyId: string;
  dealId: string;
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
];

/** The records an activity can be about besides the one it is logged on, with a picker each. */
const alsoAbout = [
  { field: "contactId", collection: "contacts", label: "Contact", noneLabel: "No contact" },
  { field: "companyId", collection: "companies", label: "Company", noneLabel: "No company" },
  { field: "dealId", collection: "deals", label: "Deal", noneLabel: "No deal" },
] as const;

/** Form values → the body of POST /activities, linked to the record; fields the type has not are left out. */
export function toActivityInput(values: ActivityValues, link: RecordLink): Record<string, unknown> {
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
    ...Object.fromEntries(alsoAbout.flatMap(({ field }) => (values[field] ? [[field, values[field]]] : []))),
    [link.field]: link.id,
  };
}

/** Validates what would be sent with the shared CreateActivitySchema; errors on link fields go on the form. */
const activityResolver = (link: RecordLink): Resolver<ActivityValues> =>
  bodyResolver(CreateActivitySchema, (values: ActivityValues) => toActivityInput(values, link), fieldNames);

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
});

type ActivityFormProps = {
  link: RecordLink;
  onDone: (activity: Wire<Activity>) => void;
  onCancel: () => void;
};

/** Logs an activity of one of the workspace's types on a record, showing the fields of the chosen type. */
export function ActivityForm({ link, onDone, onCancel }: ActivityFormProps) {
  const create = useCreateRecord<Wire<Activity>>("activities");
  const types = useActivityTypes();
  const firstType = types[0]?.key ?? "note";
  const form = useForm<ActivityValues>({ resolver: activityResolver(link), defaultValues: emptyValues(firstType) });
  const { errors, isDirty, isSubmitting } = form.formState;
  useUnsavedChangesGuard(isDirty && !isSubmitting);
  const type = useWatch({ control: form.control, name: "type" });
  const fields = fieldsOfType(type);

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
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">Type</legend>
        <div className="grid grid-cols-2 gap-1.5 sm:grid-cols-4">
          {types.map((option) => (
            <label
              key={option.key}
              className="flex cursor-pointer items-center justify-center gap-1.5 rounded-md border border-slate-300 px-2 py-1.5 text-sm has-checked:border-accent-600 has-checked:bg-accent-50 has-checked:font-semibold has-focus-visible:outline-2 has-focus-visible:outline-accent-600 dark:border-slate-600 dark:has-checked:border-sky-400 dark:has-checked:bg-slate-800"
            >
              <input type="radio" value={option.key} className="sr-only" {...form.register("type")} />
              {option.label}
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
        label="Subject"
        hint="Optional for a note"
        autoComplete="off"
        error={errors.subject?.message}
        {...form.register("subject")}
      />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField
          label="Occurred at"
          type="datetime-local"
          error={errors.occurredAt?.message}
          {...form.register("occurredAt")}
        />
        {fields.direction && (
          <SelectField
            label="Direction"
            placeholder="Not recorded"
            options={[
              { value: "outbound", label: "Outbound" },
              { value: "inbound", label: "Inbound" },
            ]}
            error={errors.direction?.message}
            {...form.register("direction")}
          />
        )}
        {fields.duration && (
          <TextField
            label="Duration (minutes)"
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
            label="Outcome"
            hint="e.g. Left a voicemail, Agreed next steps"
            error={errors.outcome?.message}
            {...form.register("outcome")}
          />
        )}
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">Also about</legend>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          {alsoAbout
            .filter(({ field }) => field !== link.field)
            .map(({ field, collection, label, noneLabel }) => (
              <RecordPickerField
                key={field}
                control={form.control}
                name={field}
                collection={collection}
                label={label}
                noneLabel={noneLabel}
              />
            ))}
        </div>
      </fieldset>
      <TextAreaField
        label={type === "note" ? "Note" : "Notes"}
        hint="Plain text; **bold**, *italic*, lists and links are shown formatted."
        rows={5}
        error={errors.body?.message}
        {...form.register("body")}
      />
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          Log activity
        </Button>
      </div>
    </form>
  );
}

import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { CreateLeadSchema, UpdateLeadSchema, leadPriorities } from "../../../shared/schemas/lead.ts";
import { useCreateRecord, useUpdateRecord } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { decimalFromInput, labelOf } from "../../lib/format.ts";
import {
  applyServerErrors,
  bodyResolver,
  changedFields,
  useOpenedVersion,
  useUnsavedChangesGuard,
} from "../../lib/forms.ts";
import { RecordPickerField } from "../records/RecordPicker.tsx";
import { boardStatuses, leadStatusLabel } from "./lead-status.ts";
import type { LeadRow } from "./leads.api.ts";
import { contactLinksOf, contactsBody, LeadContactsEditor, type LeadContactLink } from "./LeadContactsEditor.tsx";
import { useLostReasons } from "../settings/workspace.api.ts";
import { currencyOptions } from "../settings/workspace-options.ts";
import { LostReasonPicker } from "./LostReasonPicker.tsx";

/** The form's own values: what the inputs hold, all text. */
type LeadValues = {
  title: string;
  status: (typeof boardStatuses)[number];
  lostReason: string;
  priority: (typeof leadPriorities)[number];
  estimatedValue: string;
  currency: string;
  source: string;
  companyId: string;
  contacts: LeadContactLink[];
  ownerId: string;
};
const fieldNames = [
  "title",
  "status",
  "lostReason",
  "priority",
  "estimatedValue",
  "currency",
  "source",
  "companyId",
  "contacts",
  "ownerId",
];
/** Schema issues about one contact of the list belong to the list. */
const fieldOf = (path: string) => path.split(".")[0];

function valuesOf(lead?: LeadRow): LeadValues {
  return {
    title: lead?.title ?? "",
    status: "new",
    lostReason: "",
    priority: lead?.priority ?? "medium",
    estimatedValue: lead?.estimatedValue ?? "",
    currency: lead?.currency ?? "",
    source: lead?.source ?? "",
    companyId: lead?.companyId ?? "",
    contacts: contactLinksOf(lead),
    ownerId: lead?.ownerId ?? "",
  };
}

/** Inputs → API body; status and lost reason only when creating (the status control moves leads). */
function bodyOf(values: LeadValues, lead?: LeadRow): z.input<typeof CreateLeadSchema> {
  return {
    title: values.title,
    ...(lead ? {} : { status: values.status, lostReason: values.status === "lost" ? values.lostReason : undefined }),
    priority: values.priority,
    estimatedValue: decimalFromInput(values.estimatedValue) || null,
    currency: values.currency.trim().toUpperCase() || null,
    source: values.source.trim() || null,
    companyId: values.companyId || null,
    ownerId: values.ownerId || (lead ? null : undefined),
    contacts: contactsBody(values.contacts),
  };
}

type LeadFormProps = {
  /** The lead to edit; absent: create one. */
  lead?: LeadRow;
  onDone: (lead: LeadRow) => void;
  onCancel: () => void;
};

/** Creates or edits a lead: checked against the shared schema first, then the server's answer. */
export function LeadForm({ lead, onDone, onCancel }: LeadFormProps) {
  const { t } = useTranslation();
  const create = useCreateRecord<LeadRow>("leads");
  const update = useUpdateRecord<LeadRow>("leads");
  const openedVersion = useOpenedVersion(lead);
  const lostReasons = useLostReasons("lead").reasons;
  const form = useForm<LeadValues>({
    resolver: bodyResolver(
      lead ? UpdateLeadSchema : CreateLeadSchema,
      (v: LeadValues) => bodyOf(v, lead),
      fieldNames,
      fieldOf,
    ),
    defaultValues: valuesOf(lead),
  });
  const { errors, isDirty, isSubmitting, dirtyFields } = form.formState;
  useUnsavedChangesGuard(isDirty && !isSubmitting);
  const status = useWatch({ control: form.control, name: "status" });

  const onSubmit = form.handleSubmit(async (values) => {
    const body = bodyOf(values, lead);
    try {
      let saved: LeadRow;
      if (lead) {
        const changes = changedFields(body, { ...dirtyFields, contacts: Boolean(dirtyFields.contacts) });
        if (Object.keys(changes).length === 0) return onDone(lead);
        saved = await update.mutateAsync({ id: lead.id, version: openedVersion ?? lead.version, changes });
      } else {
        saved = await create.mutateAsync(body);
      }
      form.reset(valuesOf(saved));
      onDone(saved);
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField
        label={t("leads.fields.title")}
        autoComplete="off"
        error={errors.title?.message}
        {...form.register("title")}
      />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {!lead && (
          <SelectField
            label={t("common.status")}
            options={boardStatuses.map((s) => ({ value: s, label: leadStatusLabel(s) }))}
            error={errors.status?.message}
            {...form.register("status")}
          />
        )}
        <SelectField
          label={t("leads.fields.priority")}
          options={leadPriorities.map((p) => ({ value: p, label: labelOf(p) }))}
          error={errors.priority?.message}
          {...form.register("priority")}
        />
        <TextField
          label={t("leads.fields.estimatedValue")}
          inputMode="decimal"
          error={errors.estimatedValue?.message}
          {...form.register("estimatedValue")}
        />
        <SelectField
          label={t("leads.fields.currency")}
          placeholder={t("common.none")}
          hint={t("leads.form.currencyHint")}
          options={currencyOptions(lead?.currency ?? undefined)}
          error={errors.currency?.message}
          {...form.register("currency")}
        />
        <TextField label={t("leads.fields.source")} error={errors.source?.message} {...form.register("source")} />
        <RecordPickerField
          control={form.control}
          name="companyId"
          collection="companies"
          label={t("leads.fields.company")}
          noneLabel={t("leads.form.noCompany")}
          selected={lead?.company ? { id: lead.company.id, label: lead.company.name } : null}
        />
        <RecordPickerField
          control={form.control}
          name="ownerId"
          collection="users"
          label={t("common.owner")}
          noneLabel={lead ? t("leads.form.nobody") : t("common.me")}
          selected={lead?.owner ? { id: lead.owner.id, label: lead.owner.name } : null}
        />
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium">{t("leads.fields.contacts")}</legend>
        <Controller
          control={form.control}
          name="contacts"
          render={({ field }) => (
            <LeadContactsEditor
              links={field.value}
              onChange={field.onChange}
              canEdit
              error={errors.contacts?.message ?? errors.contacts?.root?.message}
            />
          )}
        />
      </fieldset>
      {!lead && status === "lost" && (
        <Controller
          control={form.control}
          name="lostReason"
          render={({ field }) => (
            <LostReasonPicker
              reasons={lostReasons}
              value={field.value}
              onChange={field.onChange}
              error={errors.lostReason?.message}
              isRequired
            />
          )}
        />
      )}
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {lead ? t("leads.form.save") : t("leads.form.create")}
        </Button>
      </div>
    </form>
  );
}

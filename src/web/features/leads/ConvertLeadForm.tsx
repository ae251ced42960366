import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { Controller, useForm, useWatch, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { ConvertLeadSchema } from "../../../shared/schemas/lead.ts";
import { ApiProblem } from "../../api/client.ts";
import { recordKeys } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { formatMoney } from "../../lib/format.ts";
import { useCan } from "../auth/session.ts";
import { defaultPipeline, offeredStages, usePipelines } from "../deals/deals.api.ts";
import { bodyResolver } from "../../lib/forms.ts";
import { contactName } from "../contacts/contacts.columns.tsx";
import { RecordPicker } from "../records/RecordPicker.tsx";
import { ContactsToLink } from "./ContactsToLink.tsx";
import { convertBody, convertDefaults, convertFieldNames, convertFieldOf, type ConvertValues } from "./convert-lead.ts";
import { useConvertLead, type LeadRow } from "./leads.api.ts";

const schemaResolver = bodyResolver<ConvertValues>(ConvertLeadSchema, convertBody, convertFieldNames, convertFieldOf);

/** The shared schema's checks, plus the choices it cannot see: a chosen link needs something chosen. */
const resolver: Resolver<ConvertValues> = async (values, context, options) => {
  const result = await schemaResolver(values, context, options);
  const errors = { ...result.errors };
  if (values.companyMode === "existing" && !values.companyId)
    errors.companyId = { type: "required", message: "Choose a company" };
  if (values.contactMode === "existing" && values.contactIds.length === 0)
    errors.contactIds = { type: "required", message: "Choose at least one contact" };
  return Object.keys(errors).length ? { values: {}, errors } : result;
};

const radioClass = "flex items-center gap-2 text-sm";

/** The convert dialog's form: what to do with the company, the contacts and the deal, and a summary. */
export function ConvertLeadForm({ lead, onClose }: { lead: LeadRow; onClose: () => void }) {
  const can = useCan();
  const navigate = useNavigate();
  const client = useQueryClient();
  const convert = useConvertLead();
  const summaryId = useId();
  const pipelines = usePipelines().data?.data ?? [];
  const form = useForm<ConvertValues>({ resolver, defaultValues: convertDefaults(lead) });
  const values = useWatch({ control: form.control }) as ConvertValues;
  const companyMode = values.companyMode;
  // The name of the company chosen to link, for the summary.
  const [linkedCompany, setLinkedCompany] = useState<{ id: string; label: string } | null>(null);
  const contactMode = values.contactMode;
  const { errors, isSubmitting } = form.formState;
  const fallbackPipeline = defaultPipeline(pipelines);
  const pipeline = pipelines.find((p) => p.id === values.pipelineId) ?? fallbackPipeline;
  const stage = pipeline?.stages.find((s) => s.id === values.stageId) ?? offeredStages(pipeline)[0];
  const leadContacts = lead.contacts.map((link) => ({
    ...link,
    name: link.contact ? contactName(link.contact) : "A contact",
  }));
  const primaryName = leadContacts.find((c) => c.isPrimary)?.name;

  const onSubmit = form.handleSubmit(async (input) => {
    try {
      const result = await convert.mutateAsync({ lead, body: convertBody(input) });
      toast.success(`Converted into the deal “${result.deal.name}”.`);
      onClose();
      void navigate({ to: "/deals/$id", params: { id: result.deal.id } });
    } catch (error) {
      if (!(error instanceof ApiProblem)) {
        form.setError("root", { message: "Could not convert. Check your connection and try again." });
      } else if (error.isStale) {
        void client.invalidateQueries({ queryKey: recordKeys.one("leads", lead.id) });
        form.setError("root", {
          message:
            "Someone else changed this lead meanwhile. Close this dialog to see their version, then convert again.",
        });
      } else {
        let isPlaced = false;
        for (const fieldError of error.fieldErrors) {
          const field = convertFieldOf(fieldError.path);
          if (field) form.setError(field, { message: fieldError.message }, { shouldFocus: !isPlaced });
          isPlaced ||= Boolean(field);
        }
        if (!isPlaced || error.fieldErrors.some((e) => !convertFieldOf(e.path)))
          form.setError("root", { message: error.message });
      }
    }
  });

  const companyLine =
    companyMode === "new"
      ? `Creates the company “${values.companyName.trim() || "…"}”.`
      : companyMode === "existing"
        ? `Links the company “${linkedCompany?.id === values.companyId ? linkedCompany.label : "…"}”.`
        : lead.company
          ? `Keeps the lead's company “${lead.company.name}”.`
          : "No company.";
  const contactLine =
    contactMode === "new"
      ? `Creates the contact “${[values.contactFirstName, values.contactLastName].join(" ").trim() || "…"}” and links it to the lead.`
      : contactMode === "existing"
        ? `Links ${values.contactIds.length} existing ${values.contactIds.length === 1 ? "contact" : "contacts"} to the lead.`
        : leadContacts.length
          ? `Keeps the lead's ${leadContacts.length} ${leadContacts.length === 1 ? "contact" : "contacts"}${primaryName ? `; ${primaryName} becomes the deal's contact` : ""}.`
          : "No contact.";
  const dealValue = values.dealValue.trim() || "0";
  const dealLine = `Creates the deal “${values.dealName.trim() || lead.title}” worth ${
    values.dealCurrency.trim()
      ? formatMoney(dealValue, values.dealCurrency.trim().toUpperCase())
      : `${dealValue} (workspace currency)`
  } in ${pipeline ? `${pipeline.name}, stage ${stage?.name ?? "…"}` : "the default pipeline"}.`;

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 font-semibold">Company</legend>
        <label className={radioClass}>
          <input type="radio" value="keep" {...form.register("companyMode")} />
          {lead.company ? `Keep “${lead.company.name}”` : "No company"}
        </label>
        <label className={radioClass}>
          <input type="radio" value="existing" {...form.register("companyMode")} />
          Link an existing company
        </label>
        {can("create", "company") && (
          <label className={radioClass}>
            <input type="radio" value="new" {...form.register("companyMode")} />
            Create a new company
          </label>
        )}
        {companyMode === "existing" && (
          <Controller
            control={form.control}
            name="companyId"
            render={({ field }) => (
              <RecordPicker
                collection="companies"
                label="Company to link"
                value={field.value}
                selected={linkedCompany}
                onChange={(id, label) => {
                  field.onChange(id);
                  setLinkedCompany({ id, label });
                }}
                onBlur={field.onBlur}
                inputRef={field.ref}
                error={errors.companyId?.message}
              />
            )}
          />
        )}
        {companyMode === "new" && (
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <TextField
              label="Company name"
              autoComplete="off"
              error={errors.companyName?.message}
              {...form.register("companyName")}
            />
            <TextField
              label="Domain"
              autoComplete="off"
              hint="e.g. acme.com (optional)"
              error={errors.companyDomain?.message}
              {...form.register("companyDomain")}
            />
          </div>
        )}
      </fieldset>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 font-semibold">Contacts</legend>
        {leadContacts.length > 0 && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            The lead's contacts: {leadContacts.map((c) => `${c.name}${c.isPrimary ? " (primary)" : ""}`).join(", ")}.
            They stay linked.
          </p>
        )}
        <label className={radioClass}>
          <input type="radio" value="keep" {...form.register("contactMode")} />
          {leadContacts.length ? "Only the lead's contacts" : "No contact"}
        </label>
        <label className={radioClass}>
          <input type="radio" value="existing" {...form.register("contactMode")} />
          Also link other existing contacts
        </label>
        {can("create", "contact") && (
          <label className={radioClass}>
            <input type="radio" value="new" {...form.register("contactMode")} />
            Also create a new contact
          </label>
        )}
        {contactMode === "existing" && (
          <Controller
            control={form.control}
            name="contactIds"
            render={({ field }) => (
              <ContactsToLink
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={errors.contactIds?.message}
              />
            )}
          />
        )}
        {contactMode === "new" && (
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <TextField
              label="First name"
              autoComplete="off"
              error={errors.contactFirstName?.message}
              {...form.register("contactFirstName")}
            />
            <TextField
              label="Last name"
              autoComplete="off"
              error={errors.contactLastName?.message}
              {...form.register("contactLastName")}
            />
            <TextField
              label="E-mail"
              type="email"
              autoComplete="off"
              error={errors.contactEmail?.message}
              {...form.register("contactEmail")}
            />
            <TextField
              label="Phone"
              type="tel"
              hint="Any way it is written; without + and country code, the workspace's phone country"
              error={errors.contactPhone?.message}
              {...form.register("contactPhone")}
            />
          </div>
        )}
      </fieldset>

      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <legend className="mb-1 font-semibold">Deal</legend>
        <div className="sm:col-span-2">
          <TextField
            label="Deal name"
            autoComplete="off"
            error={errors.dealName?.message}
            {...form.register("dealName")}
          />
        </div>
        <TextField
          label="Value"
          inputMode="decimal"
          hint="Blank: 0"
          error={errors.dealValue?.message}
          {...form.register("dealValue")}
        />
        <TextField
          label="Currency"
          maxLength={3}
          autoComplete="off"
          hint="Blank: the workspace's currency"
          error={errors.dealCurrency?.message}
          {...form.register("dealCurrency")}
        />
        <SelectField
          label="Pipeline"
          placeholder={fallbackPipeline ? `Default pipeline (${fallbackPipeline.name})` : "Default pipeline"}
          options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
          error={errors.pipelineId?.message}
          {...form.register("pipelineId", { onChange: () => form.setValue("stageId", "") })}
        />
        <SelectField
          label="Stage"
          placeholder={`First stage${offeredStages(pipeline)[0] ? ` (${offeredStages(pipeline)[0]?.name})` : ""}`}
          options={offeredStages(pipeline).map((s) => ({ value: s.id, label: s.name }))}
          error={errors.stageId?.message}
          {...form.register("stageId")}
        />
        <TextField
          label="Expected close"
          type="date"
          error={errors.expectedCloseDate?.message}
          {...form.register("expectedCloseDate")}
        />
      </fieldset>

      <section aria-labelledby={summaryId} className="rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-800">
        <h3 id={summaryId} className="mb-1 font-semibold">
          What happens
        </h3>
        <ul className="list-disc pl-5">
          <li>{companyLine}</li>
          <li>{contactLine}</li>
          <li>{dealLine}</li>
          <li>Marks the lead converted; this cannot be undone.</li>
        </ul>
      </section>

      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          Convert
        </Button>
      </div>
    </form>
  );
}

import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useId, useState } from "react";
import { Controller, useForm, useWatch, type Resolver } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { ConvertLeadSchema } from "../../../shared/schemas/lead.ts";
import { ApiProblem } from "../../api/client.ts";
import { recordKeys } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { t } from "../../i18n/i18n.ts";
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
    errors.companyId = { type: "required", message: t("leads.convert.chooseCompany") };
  if (values.contactMode === "existing" && values.contactIds.length === 0)
    errors.contactIds = { type: "required", message: t("leads.convert.chooseContacts") };
  return Object.keys(errors).length ? { values: {}, errors } : result;
};

const radioClass = "flex items-center gap-2 text-sm";

/** The convert dialog's form: what to do with the company, the contacts and the deal, and a summary. */
export function ConvertLeadForm({ lead, onClose }: { lead: LeadRow; onClose: () => void }) {
  const { t } = useTranslation();
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
    name: link.contact ? contactName(link.contact) : t("leads.aContact"),
  }));
  const primaryName = leadContacts.find((c) => c.isPrimary)?.name;

  const onSubmit = form.handleSubmit(async (input) => {
    try {
      const result = await convert.mutateAsync({ lead, body: convertBody(input) });
      toast.success(t("leads.convert.converted", { name: result.deal.name }));
      onClose();
      void navigate({ to: "/deals/$id", params: { id: result.deal.id } });
    } catch (error) {
      if (!(error instanceof ApiProblem)) {
        form.setError("root", { message: t("leads.convert.failed") });
      } else if (error.isStale) {
        void client.invalidateQueries({ queryKey: recordKeys.one("leads", lead.id) });
        form.setError("root", {
          message: t("leads.convert.stale"),
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
      ? t("leads.convert.summary.newCompany", { name: values.companyName.trim() || "…" })
      : companyMode === "existing"
        ? t("leads.convert.summary.linkCompany", {
            name: linkedCompany?.id === values.companyId ? linkedCompany.label : "…",
          })
        : lead.company
          ? t("leads.convert.summary.keepCompany", { name: lead.company.name })
          : t("leads.convert.summary.noCompany");
  const contactLine =
    contactMode === "new"
      ? t("leads.convert.summary.newContact", {
          name: [values.contactFirstName, values.contactLastName].join(" ").trim() || "…",
        })
      : contactMode === "existing"
        ? t("leads.convert.summary.linkContacts", { count: values.contactIds.length })
        : leadContacts.length
          ? primaryName
            ? t("leads.convert.summary.keepContactsWithPrimary", { count: leadContacts.length, name: primaryName })
            : t("leads.convert.summary.keepContacts", { count: leadContacts.length })
          : t("leads.convert.summary.noContact");
  const dealValue = values.dealValue.trim() || "0";
  const dealLine = t("leads.convert.summary.deal", {
    name: values.dealName.trim() || lead.title,
    value: values.dealCurrency.trim()
      ? formatMoney(dealValue, values.dealCurrency.trim().toUpperCase())
      : t("leads.convert.summary.workspaceCurrency", { value: dealValue }),
    where: pipeline
      ? t("leads.convert.summary.pipelineStage", { pipeline: pipeline.name, stage: stage?.name ?? "…" })
      : t("leads.convert.summary.defaultPipeline"),
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 font-semibold">{t("leads.fields.company")}</legend>
        <label className={radioClass}>
          <input type="radio" value="keep" {...form.register("companyMode")} />
          {lead.company ? t("leads.convert.keepCompany", { name: lead.company.name }) : t("leads.convert.noCompany")}
        </label>
        <label className={radioClass}>
          <input type="radio" value="existing" {...form.register("companyMode")} />
          {t("leads.convert.linkCompany")}
        </label>
        {can("create", "company") && (
          <label className={radioClass}>
            <input type="radio" value="new" {...form.register("companyMode")} />
            {t("leads.convert.newCompany")}
          </label>
        )}
        {companyMode === "existing" && (
          <Controller
            control={form.control}
            name="companyId"
            render={({ field }) => (
              <RecordPicker
                collection="companies"
                label={t("leads.convert.companyToLink")}
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
              label={t("leads.convert.companyName")}
              autoComplete="off"
              error={errors.companyName?.message}
              {...form.register("companyName")}
            />
            <TextField
              label={t("leads.convert.domain")}
              autoComplete="off"
              hint={t("leads.convert.domainHint")}
              error={errors.companyDomain?.message}
              {...form.register("companyDomain")}
            />
          </div>
        )}
      </fieldset>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 font-semibold">{t("leads.fields.contacts")}</legend>
        {leadContacts.length > 0 && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {t("leads.convert.leadContacts", {
              names: leadContacts
                .map((c) => (c.isPrimary ? t("leads.convert.primaryName", { name: c.name }) : c.name))
                .join(", "),
            })}
          </p>
        )}
        <label className={radioClass}>
          <input type="radio" value="keep" {...form.register("contactMode")} />
          {leadContacts.length ? t("leads.convert.onlyLeadContacts") : t("leads.convert.noContact")}
        </label>
        <label className={radioClass}>
          <input type="radio" value="existing" {...form.register("contactMode")} />
          {t("leads.convert.linkContacts")}
        </label>
        {can("create", "contact") && (
          <label className={radioClass}>
            <input type="radio" value="new" {...form.register("contactMode")} />
            {t("leads.convert.newContact")}
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
              label={t("leads.convert.firstName")}
              autoComplete="off"
              error={errors.contactFirstName?.message}
              {...form.register("contactFirstName")}
            />
            <TextField
              label={t("leads.convert.lastName")}
              autoComplete="off"
              error={errors.contactLastName?.message}
              {...form.register("contactLastName")}
            />
            <TextField
              label={t("common.email")}
              type="email"
              autoComplete="off"
              error={errors.contactEmail?.message}
              {...form.register("contactEmail")}
            />
            <TextField
              label={t("common.phone")}
              type="tel"
              hint={t("leads.convert.phoneHint")}
              error={errors.contactPhone?.message}
              {...form.register("contactPhone")}
            />
          </div>
        )}
      </fieldset>

      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <legend className="mb-1 font-semibold">{t("leads.fields.deal")}</legend>
        <div className="sm:col-span-2">
          <TextField
            label={t("leads.convert.dealName")}
            autoComplete="off"
            error={errors.dealName?.message}
            {...form.register("dealName")}
          />
        </div>
        <TextField
          label={t("leads.convert.value")}
          inputMode="decimal"
          hint={t("leads.convert.valueHint")}
          error={errors.dealValue?.message}
          {...form.register("dealValue")}
        />
        <TextField
          label={t("leads.fields.currency")}
          maxLength={3}
          autoComplete="off"
          hint={t("leads.convert.currencyHint")}
          error={errors.dealCurrency?.message}
          {...form.register("dealCurrency")}
        />
        <SelectField
          label={t("leads.convert.pipeline")}
          placeholder={
            fallbackPipeline
              ? t("leads.convert.defaultPipelineNamed", { name: fallbackPipeline.name })
              : t("leads.convert.defaultPipeline")
          }
          options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
          error={errors.pipelineId?.message}
          {...form.register("pipelineId", { onChange: () => form.setValue("stageId", "") })}
        />
        <SelectField
          label={t("leads.convert.stage")}
          placeholder={
            offeredStages(pipeline)[0]
              ? t("leads.convert.firstStageNamed", { name: offeredStages(pipeline)[0]?.name })
              : t("leads.convert.firstStage")
          }
          options={offeredStages(pipeline).map((s) => ({ value: s.id, label: s.name }))}
          error={errors.stageId?.message}
          {...form.register("stageId")}
        />
        <TextField
          label={t("leads.convert.expectedClose")}
          type="date"
          error={errors.expectedCloseDate?.message}
          {...form.register("expectedCloseDate")}
        />
      </fieldset>

      <section aria-labelledby={summaryId} className="rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-800">
        <h3 id={summaryId} className="mb-1 font-semibold">
          {t("leads.convert.summary.title")}
        </h3>
        <ul className="list-disc pl-5">
          <li>{companyLine}</li>
          <li>{contactLine}</li>
          <li>{dealLine}</li>
          <li>{t("leads.convert.summary.final")}</li>
        </ul>
      </section>

      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {t("leads.convert.submit")}
        </Button>
      </div>
    </form>
  );
}

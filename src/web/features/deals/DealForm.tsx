import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { CreateDealSchema, UpdateDealSchema } from "../../../shared/schemas/deal.ts";
import { useCreateRecord, useUpdateRecord } from "../../api/records.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { contactName } from "../contacts/contacts.columns.tsx";
import { RecordPickerField } from "../records/RecordPicker.tsx";
import { defaultPipeline, offeredStages, usePipelines, type DealRow, type PipelineRow } from "./deals.api.ts";
import { LostReasonPicker } from "../leads/LostReasonPicker.tsx";
import { useLostReasons, useWorkspaceSettings } from "../settings/workspace.api.ts";
import { currencyOptions } from "../settings/workspace-options.ts";
import { decimalFromInput } from "../../lib/format.ts";
import {
  applyServerErrors,
  bodyResolver,
  changedFields,
  useOpenedVersion,
  useUnsavedChangesGuard,
} from "../../lib/forms.ts";

/** The form's own values: what the inputs hold, all text. */
type DealValues = {
  name: string;
  value: string;
  currency: string;
  pipelineId: string;
  stageId: string;
  probability: string;
  expectedCloseDate: string;
  companyId: string;
  contactId: string;
  ownerId: string;
  lostReason: string;
};
const fieldNames = [
  "name",
  "value",
  "currency",
  "pipelineId",
  "stageId",
  "probability",
  "expectedCloseDate",
  "companyId",
  "contactId",
  "ownerId",
  "lostReason",
];

function valuesOf(deal?: DealRow): DealValues {
  return {
    name: deal?.name ?? "",
    value: deal?.value ?? "0",
    currency: deal?.currency ?? "",
    pipelineId: deal?.pipelineId ?? "",
    stageId: deal?.stageId ?? "",
    probability: deal ? String(deal.probability) : "",
    expectedCloseDate: deal?.expectedCloseDate ?? "",
    companyId: deal?.companyId ?? "",
    contactId: deal?.contactId ?? "",
    ownerId: deal?.ownerId ?? "",
    lostReason: deal?.lostReason ?? "",
  };
}

/** Whether the chosen stage (blank: the pipeline's first) is a lost one: then the form asks why. */
function isLostStage(pipeline: PipelineRow | undefined, stageId: string): boolean {
  return Boolean(stageId && pipeline?.stages.find((stage) => stage.id === stageId)?.isLost);
}

/**
 * Inputs → API body: blanks mean "the default" (currency, pipeline, stage, probability) or "none";
 * a lost reason only for a lost stage.
 */
function bodyOf(values: DealValues, isEdit: boolean, isLost: boolean): z.input<typeof CreateDealSchema> {
  return {
    name: values.name,
    value: decimalFromInput(values.value),
    currency: values.currency.trim().toUpperCase() || undefined,
    pipelineId: values.pipelineId || undefined,
    stageId: values.stageId || undefined,
    probability: values.probability.trim() === "" ? undefined : Number(values.probability),
    expectedCloseDate: values.expectedCloseDate || null,
    companyId: values.companyId || null,
    contactId: values.contactId || null,
    ownerId: values.ownerId || (isEdit ? null : undefined),
    lostReason: isLost ? values.lostReason.trim() || (isEdit ? null : undefined) : undefined,
  };
}

type DealFormProps = {
  /** The deal to edit; absent: create one. */
  deal?: DealRow;
  onDone: (deal: DealRow) => void;
  onCancel: () => void;
};

/** Creates or edits a deal: checked against the shared schema first, then the server's answer. */
export function DealForm({ deal, onDone, onCancel }: DealFormProps) {
  const { t } = useTranslation();
  const isEdit = Boolean(deal);
  const create = useCreateRecord<DealRow>("deals");
  const update = useUpdateRecord<DealRow>("deals");
  const pipelines = usePipelines().data?.data ?? [];
  const lostReasons = useLostReasons("deal");
  const openedVersion = useOpenedVersion(deal);
  const pipelineOf = (id: string) =>
    pipelines.find((p) => p.id === id) ?? (id ? undefined : defaultPipeline(pipelines));
  const toBody = (v: DealValues) => bodyOf(v, isEdit, isLostStage(pipelineOf(v.pipelineId), v.stageId));
  const form = useForm<DealValues>({
    resolver: bodyResolver(isEdit ? UpdateDealSchema : CreateDealSchema, toBody, fieldNames),
    defaultValues: valuesOf(deal),
  });
  const { errors, isDirty, isSubmitting, dirtyFields } = form.formState;
  useUnsavedChangesGuard(isDirty && !isSubmitting);
  const pipelineId = useWatch({ control: form.control, name: "pipelineId" });
  const pipeline = pipelineOf(pipelineId);
  const stageId = useWatch({ control: form.control, name: "stageId" });

  const onSubmit = form.handleSubmit(async (values) => {
    const body = toBody(values);
    try {
      let saved: DealRow;
      if (deal) {
        const changes = changedFields(body, dirtyFields);
        // A new pipeline without a chosen stage means its first stage.
        if (changes.pipelineId !== undefined) changes.stageId = body.stageId;
        if (Object.keys(changes).length === 0) return onDone(deal);
        saved = await update.mutateAsync({ id: deal.id, version: openedVersion ?? deal.version, changes });
      } else {
        saved = await create.mutateAsync(body);
      }
      form.reset(valuesOf(saved));
      onDone(saved);
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  const pipelineField = form.register("pipelineId");
  const workspaceCurrency = useWorkspaceSettings()?.baseCurrency ?? "USD";
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField label={t("common.name")} autoComplete="off" error={errors.name?.message} {...form.register("name")} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField
          label={t("deals.fields.value")}
          inputMode="decimal"
          error={errors.value?.message}
          {...form.register("value")}
        />
        <SelectField
          label={t("deals.fields.currency")}
          placeholder={t("deals.form.workspaceCurrency", { currency: workspaceCurrency })}
          options={currencyOptions(deal?.currency)}
          error={errors.currency?.message}
          {...form.register("currency")}
        />
        <SelectField
          label={t("deals.fields.pipeline")}
          placeholder={isEdit ? undefined : t("deals.form.defaultPipeline")}
          options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
          error={errors.pipelineId?.message}
          {...pipelineField}
          onChange={(event) => {
            void pipelineField.onChange(event);
            form.setValue("stageId", "", { shouldDirty: true });
          }}
        />
        <SelectField
          label={t("deals.fields.stage")}
          placeholder={t("deals.form.firstStage")}
          options={offeredStages(pipeline, deal?.stageId).map((s) => ({ value: s.id, label: s.label }))}
          error={errors.stageId?.message}
          {...form.register("stageId")}
        />
        <TextField
          label={t("deals.fields.probabilityPercent")}
          type="number"
          min={0}
          max={100}
          step={1}
          hint={t("deals.form.probabilityHint")}
          error={errors.probability?.message}
          {...form.register("probability")}
        />
        <TextField
          label={t("deals.fields.expectedClose")}
          type="date"
          error={errors.expectedCloseDate?.message}
          {...form.register("expectedCloseDate")}
        />
        <RecordPickerField
          control={form.control}
          name="companyId"
          collection="companies"
          label={t("deals.fields.company")}
          noneLabel={t("deals.fields.noCompany")}
          selected={deal?.company ? { id: deal.company.id, label: deal.company.name } : null}
        />
        <RecordPickerField
          control={form.control}
          name="contactId"
          collection="contacts"
          label={t("deals.fields.contact")}
          noneLabel={t("deals.fields.noContact")}
          selected={deal?.contact ? { id: deal.contact.id, label: contactName(deal.contact) } : null}
        />
        <RecordPickerField
          control={form.control}
          name="ownerId"
          collection="users"
          label={t("common.owner")}
          noneLabel={isEdit ? t("deals.form.nobody") : t("common.me")}
          selected={deal?.owner ? { id: deal.owner.id, label: deal.owner.name } : null}
        />
      </div>
      {isLostStage(pipeline, stageId) && (
        <Controller
          control={form.control}
          name="lostReason"
          render={({ field }) => (
            <LostReasonPicker
              reasons={lostReasons.reasons}
              value={field.value}
              onChange={field.onChange}
              error={errors.lostReason?.message}
              isRequired={lostReasons.isRequired}
            />
          )}
        />
      )}
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isEdit ? t("deals.form.save") : t("deals.form.create")}
        </Button>
      </div>
    </form>
  );
}

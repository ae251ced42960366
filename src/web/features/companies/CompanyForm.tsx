import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { CreateCompanySchema, type Company } from "../../../shared/schemas/company.ts";
import { useCreateRecord, useUpdateRecord } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver, useOpenedVersion, useUnsavedChangesGuard } from "../../lib/forms.ts";
import { CompanyDuplicateWarning } from "../duplicates/DuplicateWarning.tsx";
import { RecordPickerField } from "../records/RecordPicker.tsx";
import { countryOptions } from "../settings/workspace-options.ts";
import { decimalFromInput } from "../../lib/format.ts";

type CompanyValues = {
  name: string;
  domain: string;
  industry: string;
  phone: string;
  employeeCount: string;
  annualRevenue: string;
  city: string;
  country: string;
  ownerId: string;
};
const fieldNames = ["name", "domain", "industry", "phone", "employeeCount", "annualRevenue", "address", "ownerId"];

function valuesOf(company?: Wire<Company>): CompanyValues {
  return {
    name: company?.name ?? "",
    domain: company?.domain ?? "",
    industry: company?.industry ?? "",
    phone: company?.phone ?? "",
    employeeCount: company?.employeeCount?.toString() ?? "",
    annualRevenue: company?.annualRevenue ?? "",
    city: company?.address?.city ?? "",
    country: company?.address?.country ?? "",
    ownerId: company?.ownerId ?? "",
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());

/** Form values → the API body: numbers from their text, the address from its parts. */
function toBody(values: CompanyValues) {
  const address = { city: values.city.trim() || undefined, country: values.country.trim() || undefined };
  return {
    name: values.name,
    domain: orNull(values.domain),
    industry: orNull(values.industry),
    phone: orNull(values.phone),
    employeeCount: values.employeeCount.trim() === "" ? null : Number(values.employeeCount),
    annualRevenue: decimalFromInput(values.annualRevenue) || null,
    address: address.city || address.country ? address : null,
    ownerId: orNull(values.ownerId),
  };
}

type CompanyFormProps = { company?: Wire<Company>; onDone: (company: Wire<Company>) => void; onCancel: () => void };

/** Creates or edits a company: checked against the shared schema first, then the server's answer. */
export function CompanyForm({ company, onDone, onCancel }: CompanyFormProps) {
  const { t } = useTranslation();
  const create = useCreateRecord<Wire<Company>>("companies");
  const update = useUpdateRecord<Wire<Company>>("companies");
  const openedVersion = useOpenedVersion(company);
  const form = useForm<CompanyValues>({
    resolver: bodyResolver(CreateCompanySchema, toBody, [...fieldNames, "city", "country"], (path) =>
      path.startsWith("address.") ? path.slice(8) : path.split(".")[0],
    ),
    defaultValues: valuesOf(company),
  });
  const { errors, isDirty, isSubmitting } = form.formState;
  useUnsavedChangesGuard(isDirty && !isSubmitting);
  const savedCountry = company?.address?.country ?? undefined;
  const countries = useMemo(() => countryOptions(savedCountry), [savedCountry]);

  const onSubmit = form.handleSubmit(async (values) => {
    const body = toBody(values);
    try {
      const saved = company
        ? await update.mutateAsync({ id: company.id, version: openedVersion ?? company.version, changes: body })
        : await create.mutateAsync(body);
      form.reset(valuesOf(saved));
      onDone(saved);
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField label={t("common.name")} error={errors.name?.message} {...form.register("name")} />
        <TextField
          label={t("companies.fields.domain")}
          placeholder="example.com"
          error={errors.domain?.message}
          {...form.register("domain")}
        />
        <TextField
          label={t("companies.fields.industry")}
          error={errors.industry?.message}
          {...form.register("industry")}
        />
        <TextField
          label={t("common.phone")}
          type="tel"
          hint={t("companies.form.phoneHint")}
          error={errors.phone?.message}
          {...form.register("phone")}
        />
        <TextField
          label={t("companies.fields.employees")}
          inputMode="numeric"
          error={errors.employeeCount?.message}
          {...form.register("employeeCount")}
        />
        <TextField
          label={t("companies.fields.annualRevenue")}
          inputMode="decimal"
          error={errors.annualRevenue?.message}
          {...form.register("annualRevenue")}
        />
        <TextField label={t("companies.fields.city")} error={errors.city?.message} {...form.register("city")} />
        <SelectField
          label={t("companies.fields.country")}
          placeholder={t("common.none")}
          options={countries}
          error={errors.country?.message}
          {...form.register("country")}
        />
        <RecordPickerField
          control={form.control}
          name="ownerId"
          collection="users"
          label={t("common.owner")}
          noneLabel={t("common.me")}
          selected={company?.owner ? { id: company.owner.id, label: company.owner.name } : null}
        />
      </div>
      {!company && <CompanyDuplicateWarning control={form.control} />}
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {company ? t("companies.form.save") : t("companies.form.create")}
        </Button>
      </div>
    </form>
  );
}

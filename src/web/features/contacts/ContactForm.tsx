import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { CreateContactSchema, lifecycles, type Contact } from "../../../shared/schemas/contact.ts";
import { useCreateRecord, useUpdateRecord } from "../../api/records.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField, TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { labelOf } from "../../lib/format.ts";
import { applyServerErrors, bodyResolver, useOpenedVersion, useUnsavedChangesGuard } from "../../lib/forms.ts";
import { ContactDuplicateWarning } from "../duplicates/DuplicateWarning.tsx";
import { RecordPickerField } from "../records/RecordPicker.tsx";

type ContactValues = z.input<typeof CreateContactSchema>;
const fieldNames = [
  "firstName",
  "lastName",
  "email",
  "phone",
  "jobTitle",
  "companyId",
  "ownerId",
  "lifecycle",
  "source",
  "tags",
];

type ContactFormProps = {
  /** The contact to edit; absent: create one. */
  contact?: Wire<Contact>;
  onDone: (contact: Wire<Contact>) => void;
  onCancel: () => void;
};

function valuesOf(contact?: Wire<Contact>): ContactValues {
  return {
    firstName: contact?.firstName ?? "",
    lastName: contact?.lastName ?? "",
    email: contact?.email ?? "",
    phone: contact?.phone ?? "",
    jobTitle: contact?.jobTitle ?? "",
    companyId: contact?.companyId ?? "",
    ownerId: contact?.ownerId ?? "",
    lifecycle: contact?.lifecycle ?? "lead",
    source: contact?.source ?? "",
  };
}

const orNull = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);

/** Form values → the API body: cleared optional fields are null; no owner chosen means "me". */
function toBody(values: ContactValues) {
  return {
    firstName: values.firstName,
    lastName: values.lastName ?? "",
    email: orNull(values.email),
    phone: orNull(values.phone),
    jobTitle: orNull(values.jobTitle),
    companyId: orNull(values.companyId),
    ownerId: orNull(values.ownerId) ?? undefined,
    lifecycle: values.lifecycle,
    source: orNull(values.source),
  };
}

/** Creates or edits a contact: checked against the shared schema first, then the server's answer. */
export function ContactForm({ contact, onDone, onCancel }: ContactFormProps) {
  const { t } = useTranslation();
  const create = useCreateRecord<Wire<Contact>>("contacts");
  const update = useUpdateRecord<Wire<Contact>>("contacts");
  const openedVersion = useOpenedVersion(contact);
  const form = useForm<ContactValues>({
    resolver: bodyResolver(CreateContactSchema, toBody, fieldNames),
    defaultValues: valuesOf(contact),
  });
  const { errors, isDirty, isSubmitting } = form.formState;
  useUnsavedChangesGuard(isDirty && !isSubmitting);

  const onSubmit = form.handleSubmit(async (values) => {
    const body = toBody(values);
    try {
      const saved = contact
        ? await update.mutateAsync({ id: contact.id, version: openedVersion ?? contact.version, changes: body })
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
        <TextField
          label={t("contacts.fields.firstName")}
          autoComplete="off"
          error={errors.firstName?.message}
          {...form.register("firstName")}
        />
        <TextField
          label={t("contacts.fields.lastName")}
          autoComplete="off"
          error={errors.lastName?.message}
          {...form.register("lastName")}
        />
        <TextField
          label={t("common.email")}
          type="email"
          autoComplete="off"
          error={errors.email?.message}
          {...form.register("email")}
        />
        <TextField
          label={t("common.phone")}
          type="tel"
          hint={t("contacts.form.phoneHint")}
          error={errors.phone?.message}
          {...form.register("phone")}
        />
        <TextField
          label={t("contacts.fields.jobTitle")}
          error={errors.jobTitle?.message}
          {...form.register("jobTitle")}
        />
        <RecordPickerField
          control={form.control}
          name="companyId"
          collection="companies"
          label={t("contacts.fields.company")}
          noneLabel={t("contacts.form.noCompany")}
          selected={contact?.company ? { id: contact.company.id, label: contact.company.name } : null}
        />
        <SelectField
          label={t("contacts.fields.lifecycle")}
          options={lifecycles.map((l) => ({ value: l, label: labelOf(l) }))}
          error={errors.lifecycle?.message}
          {...form.register("lifecycle")}
        />
        <RecordPickerField
          control={form.control}
          name="ownerId"
          collection="users"
          label={t("common.owner")}
          noneLabel={t("common.me")}
          selected={contact?.owner ? { id: contact.owner.id, label: contact.owner.name } : null}
        />
        <TextField label={t("contacts.fields.source")} error={errors.source?.message} {...form.register("source")} />
      </div>
      {!contact && <ContactDuplicateWarning control={form.control} />}
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {contact ? t("contacts.form.save") : t("contacts.form.create")}
        </Button>
      </div>
    </form>
  );
}

import { useId, useState } from "react";
import { useController, useForm, type Resolver } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { CreateWebhookSchema, UpdateWebhookSchema } from "../../../shared/schemas/webhook.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { applyServerErrors, bodyResolver, changedFields } from "../../lib/forms.ts";
import { effectiveSelectors } from "./event-selectors.ts";
import { EventPicker } from "./EventPicker.tsx";
import { WebhookSecret } from "./WebhookSecret.tsx";
import { useCreateWebhook, useUpdateWebhook, type WebhookRow, type WebhookWithSecretRow } from "./webhooks.api.ts";

type Values = { url: string; events: string[]; description: string };
const fieldNames = ["url", "events", "description"];

/** Form values → the body of POST /webhooks (and, its changed fields, of PATCH). */
export function toWebhookInput(values: Values) {
  return {
    url: values.url.trim(),
    events: effectiveSelectors(values.events),
    description: values.description.trim() || null,
  };
}

const createResolver: Resolver<Values> = bodyResolver(CreateWebhookSchema, toWebhookInput, fieldNames);
const updateResolver: Resolver<Values> = bodyResolver(UpdateWebhookSchema, toWebhookInput, fieldNames);

type WebhookFormDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The endpoint to edit; none: a new one, whose secret is shown once it is created. */
  webhook?: WebhookRow | null;
};

/** Creates an endpoint (then shows its secret once) or edits one. */
export function WebhookFormDialog({ open, onOpenChange, webhook = null }: WebhookFormDialogProps) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<WebhookWithSecretRow | null>(null);
  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) setCreated(null);
  };
  let title = t("webhooks.form.addTitle");
  if (created) title = t("webhooks.form.secretTitle");
  else if (webhook) title = t("webhooks.form.editTitle");
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={title}
      description={created ? undefined : t("webhooks.form.description")}
      wide
    >
      {created ? (
        <WebhookSecret secret={created.secret} onDone={() => close(false)} />
      ) : (
        <WebhookForm
          key={webhook?.id ?? "new"}
          webhook={webhook}
          onCancel={() => close(false)}
          onCreated={setCreated}
          onSaved={() => close(false)}
        />
      )}
    </Dialog>
  );
}

function WebhookForm({
  webhook,
  onCancel,
  onCreated,
  onSaved,
}: {
  webhook: WebhookRow | null;
  onCancel: () => void;
  onCreated: (created: WebhookWithSecretRow) => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const form = useForm<Values>({
    resolver: webhook ? updateResolver : createResolver,
    defaultValues: {
      url: webhook?.url ?? "",
      events: webhook?.events ?? [],
      description: webhook?.description ?? "",
    },
  });
  const { errors, isSubmitting, dirtyFields } = form.formState;
  const events = useController({ control: form.control, name: "events" });
  const eventsErrorId = useId();

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      if (!webhook) {
        onCreated(await create.mutateAsync(toWebhookInput(values)));
        return;
      }
      const changes = changedFields(toWebhookInput(values), dirtyFields);
      if (Object.keys(changes).length > 0) await update.mutateAsync({ id: webhook.id, changes });
      onSaved();
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField
        label={t("webhooks.form.url")}
        type="url"
        placeholder="https://example.com/keel-webhooks"
        hint={t("webhooks.form.urlHint")}
        error={errors.url?.message}
        autoComplete="off"
        {...form.register("url")}
      />
      <EventPicker
        value={events.field.value}
        onChange={events.field.onChange}
        error={errors.events?.message ?? errors.events?.root?.message}
        errorId={eventsErrorId}
      />
      <TextField
        label={t("webhooks.form.descriptionLabel")}
        hint={t("webhooks.form.descriptionHint")}
        error={errors.description?.message}
        autoComplete="off"
        {...form.register("description")}
      />
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {webhook
            ? isSubmitting
              ? t("common.saving")
              : t("common.save")
            : isSubmitting
              ? t("webhooks.form.adding")
              : t("webhooks.form.add")}
        </Button>
      </div>
    </form>
  );
}

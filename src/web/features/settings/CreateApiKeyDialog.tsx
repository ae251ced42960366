import { useId, useState } from "react";
import { useController, useForm, type Resolver } from "react-hook-form";
import { Trans, useTranslation } from "react-i18next";
import { toast } from "sonner";
import { apiResources } from "../../../shared/permissions.ts";
import { CreateApiKeySchema } from "../../../shared/schemas/api-key.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { TextField } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { labelOf } from "../../lib/format.ts";
import { applyServerErrors, bodyResolver } from "../../lib/forms.ts";
import { effectiveScopes, isImplied } from "./api-key-scopes.ts";
import { useCreateApiKey, type CreatedApiKeyRow } from "./api-keys.api.ts";

type Values = { name: string; scopes: string[]; expiresAt: string };
const fieldNames = ["name", "scopes", "expiresAt"];

/** A date (YYYY-MM-DD) as the end of that day in local time: the key works through the day chosen. */
function endOfDay(date: string): string {
  const end = new Date(`${date}T23:59:59.999`);
  return Number.isNaN(end.getTime()) ? date : end.toISOString();
}

/** Form values → the body of POST /api-keys. */
export function toApiKeyInput(values: Values) {
  return {
    name: values.name,
    scopes: effectiveScopes(values.scopes),
    ...(values.expiresAt ? { expiresAt: endOfDay(values.expiresAt) } : {}),
  };
}

const resolver: Resolver<Values> = bodyResolver(CreateApiKeySchema, toApiKeyInput, fieldNames);

function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

type CreateApiKeyDialogProps = { open: boolean; onOpenChange: (open: boolean) => void };

/** Two steps: name, scopes and expiry; then the new key, shown this once, to copy. */
export function CreateApiKeyDialog({ open, onOpenChange }: CreateApiKeyDialogProps) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedApiKeyRow | null>(null);
  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) setCreated(null);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={created ? t("settings.createApiKey.copyTitle") : t("settings.createApiKey.title")}
      description={created ? undefined : t("settings.createApiKey.description")}
      wide
    >
      {created ? (
        <NewKey created={created} onDone={() => close(false)} />
      ) : (
        <CreateApiKeyForm onCancel={() => close(false)} onCreated={setCreated} />
      )}
    </Dialog>
  );
}

function CreateApiKeyForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (created: CreatedApiKeyRow) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateApiKey();
  const form = useForm<Values>({ resolver, defaultValues: { name: "", scopes: [], expiresAt: "" } });
  const { errors, isSubmitting } = form.formState;
  const scopes = useController({ control: form.control, name: "scopes" });
  const scopesErrorId = useId();

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      onCreated(await create.mutateAsync(toApiKeyInput(values)));
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  const chosen = scopes.field.value;
  const toggle = (scope: string, isOn: boolean) =>
    scopes.field.onChange(isOn ? [...chosen, scope] : chosen.filter((s) => s !== scope));

  const checkbox = (scope: string, label: string) => {
    const implied = isImplied(scope, chosen);
    return (
      <input
        type="checkbox"
        aria-label={label}
        checked={implied || chosen.includes(scope)}
        disabled={implied}
        onChange={(event) => toggle(scope, event.target.checked)}
        className="h-4 w-4 accent-accent-600"
      />
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <TextField
        label={t("common.name")}
        hint={t("settings.createApiKey.nameHint")}
        error={errors.name?.message}
        autoComplete="off"
        {...form.register("name")}
      />
      <fieldset
        aria-describedby={errors.scopes ? scopesErrorId : undefined}
        aria-invalid={Boolean(errors.scopes)}
        className="min-w-0"
      >
        <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">
          {t("settings.apiKeys.scopes")}
        </legend>
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left dark:border-slate-700">
              <th scope="col" className="py-1 font-medium">
                {t("settings.createApiKey.resource")}
              </th>
              <th scope="col" className="w-16 py-1 text-center font-medium">
                {t("settings.createApiKey.read")}
              </th>
              <th scope="col" className="w-16 py-1 text-center font-medium">
                {t("settings.createApiKey.write")}
              </th>
            </tr>
          </thead>
          <tbody>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th scope="row" className="py-1 text-left font-medium">
                {t("settings.createApiKey.allResources")}
              </th>
              <td className="text-center">{checkbox("*:read", t("settings.createApiKey.readAll"))}</td>
              <td className="text-center">{checkbox("*:write", t("settings.createApiKey.writeAll"))}</td>
            </tr>
            {apiResources.map((resource) => (
              <tr key={resource}>
                <th scope="row" className="py-1 text-left font-normal">
                  {labelOf(resource)}
                </th>
                <td className="text-center">
                  {checkbox(`${resource}:read`, t("settings.createApiKey.readResource", { resource }))}
                </td>
                <td className="text-center">
                  {checkbox(`${resource}:write`, t("settings.createApiKey.writeResource", { resource }))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {errors.scopes && (
          <p id={scopesErrorId} role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
            {errors.scopes.message ?? errors.scopes.root?.message}
          </p>
        )}
      </fieldset>
      <TextField
        label={t("settings.createApiKey.expiresOn")}
        type="date"
        min={today()}
        hint={t("settings.createApiKey.expiresHint")}
        error={errors.expiresAt?.message}
        {...form.register("expiresAt")}
      />
      <FormError message={errors.root?.message} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? t("settings.createApiKey.creating") : t("settings.apiKeys.create")}
        </Button>
      </div>
    </form>
  );
}

function NewKey({ created, onDone }: { created: CreatedApiKeyRow; onDone: () => void }) {
  const { t } = useTranslation();
  const [isCopied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
      toast.success(t("settings.createApiKey.copied"));
    } catch {
      toast.error(t("settings.createApiKey.couldNotCopy"));
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <p
        role="status"
        className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
      >
        <Trans i18nKey="settings.createApiKey.copyNow" components={{ strong: <strong /> }} />
      </p>
      <TextField
        label={t("settings.createApiKey.keyLabel", { name: created.name })}
        value={created.key}
        readOnly
        onFocus={(event) => event.currentTarget.select()}
        className="font-mono text-sm"
      />
      <p className="text-sm text-slate-600 dark:text-slate-300">
        <Trans i18nKey="settings.createApiKey.sendAs" components={{ code: <code /> }} />
      </p>
      <div className="flex justify-end gap-2">
        <Button onClick={() => void copy()}>{isCopied ? t("common.copied") : t("settings.createApiKey.copy")}</Button>
        <Button variant="primary" onClick={onDone}>
          {t("common.done")}
        </Button>
      </div>
    </div>
  );
}

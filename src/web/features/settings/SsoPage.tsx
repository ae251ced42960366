import { useState } from "react";
import { useForm, type FieldErrors, type Resolver } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { roles } from "../../../shared/permissions.ts";
import { EmailDomainSchema, SaveSsoSettingsSchema } from "../../../shared/schemas/sso.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { FieldFrame, SelectField, TextAreaField, TextField, inputClass } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
import { t } from "../../i18n/i18n.ts";
import { labelOf } from "../../lib/format.ts";
import { applyServerErrors, bodyResolver, useUnsavedChangesGuard } from "../../lib/forms.ts";
import { useCan } from "../auth/session.ts";
import {
  useDeleteSsoSettings,
  useSaveSsoSettings,
  useSsoLinks,
  useSsoSettings,
  type SsoSettingsRow,
} from "./sso.api.ts";

type Values = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedDomains: string;
  defaultRole: (typeof roles)[number];
  enabled: boolean;
};
const fieldNames = ["issuer", "clientId", "clientSecret", "allowedDomains", "defaultRole", "enabled"];

/** The domains typed, separated by commas, spaces or lines, in lower case (as they are stored). */
const domainsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[\s,;]+/)
    .filter(Boolean);

/** Form values → the body of PUT /sso: an empty secret field keeps the stored secret. */
export function toSsoBody(values: Values) {
  return {
    issuer: values.issuer,
    clientId: values.clientId,
    ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
    allowedDomains: domainsOf(values.allowedDomains),
    defaultRole: values.defaultRole,
    enabled: values.enabled,
  };
}

function valuesOf(settings: SsoSettingsRow | null): Values {
  return {
    issuer: settings?.issuer ?? "",
    clientId: settings?.clientId ?? "",
    clientSecret: "",
    allowedDomains: settings?.allowedDomains.join(", ") ?? "",
    defaultRole: settings?.defaultRole ?? "agent",
    enabled: settings?.enabled ?? true,
  };
}

const bodyErrors = bodyResolver<Values>(SaveSsoSettingsSchema, toSsoBody, fieldNames);

/** The shared schema's checks, plus what it cannot know: a first setup needs a secret; which domain is wrong. */
function resolverFor(isSetUp: boolean): Resolver<Values> {
  return async (values, context, options) => {
    const result = await bodyErrors(values, context, options);
    const errors: FieldErrors<Values> = { ...result.errors };
    if (!isSetUp && !values.clientSecret) {
      errors.clientSecret ??= { type: "required", message: t("settings.sso.secretRequired") };
    }
    const wrong = domainsOf(values.allowedDomains).find((domain) => !EmailDomainSchema.safeParse(domain).success);
    if (wrong) {
      errors.allowedDomains = { type: "pattern", message: t("settings.sso.notADomain", { domain: wrong }) };
    }
    return Object.keys(errors).length > 0 ? { values: {}, errors } : result;
  };
}

/** A read-only value (a URL the admin pastes elsewhere) with a button that copies it. */
function CopyField(props: { label: string; copyLabel: string; copied: string; value: string; hint: string }) {
  const { label, copyLabel, copied, value, hint } = props;
  const { t } = useTranslation();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(copied);
    } catch {
      toast.error(t("settings.sso.couldNotCopy"));
    }
  };
  return (
    <FieldFrame label={label} hint={hint}>
      {({ id, describedBy }) => (
        <div className="flex min-w-0 gap-2">
          <input
            id={id}
            aria-describedby={describedBy}
            value={value}
            readOnly
            onFocus={(event) => event.currentTarget.select()}
            className={`${inputClass} min-w-0 font-mono text-sm`}
          />
          <Button aria-label={copyLabel} onClick={() => void copy()}>
            {t("common.copy")}
          </Button>
        </div>
      )}
    </FieldFrame>
  );
}

function StatusLine({ settings }: { settings: SsoSettingsRow | null }) {
  const { t } = useTranslation();
  const [text, tone] = !settings
    ? [t("settings.sso.status.notSetUp"), "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100"]
    : settings.enabled
      ? [t("settings.sso.status.on"), "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100"]
      : [t("settings.sso.status.off"), "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100"];
  return <p className={`rounded-md px-3 py-2 text-sm font-medium ${tone}`}>{text}</p>;
}

/** Settings → Single sign-on: the workspace's OpenID Connect provider. Admins only. */
export function SsoPage() {
  const { t } = useTranslation();
  const can = useCan();
  const isAdmin = can("read", "sso");
  const settings = useSsoSettings(isAdmin);
  const links = useSsoLinks(isAdmin);

  if (!isAdmin)
    return (
      <>
        <PageHeader title={t("settings.sso.title")} />
        <EmptyState title={t("settings.sso.onlyAdmins")} />
      </>
    );

  let body;
  if (settings.isPending || links.isPending) body = <SkeletonRows rows={6} />;
  else if (settings.isError) body = <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} />;
  else if (links.isError) body = <ErrorMessage error={links.error} onRetry={() => void links.refetch()} />;
  else
    body = (
      <div className="flex max-w-2xl min-w-0 flex-col gap-6 p-4">
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("settings.sso.intro")}</p>
        <StatusLine settings={settings.data} />
        <section aria-labelledby="sso-at-provider" className="flex flex-col gap-3">
          <h2 id="sso-at-provider" className="text-lg font-semibold">
            {t("settings.sso.atProvider")}
          </h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t("settings.sso.atProviderText")}</p>
          <CopyField
            label={t("settings.sso.redirectUri")}
            copyLabel={t("settings.sso.copyRedirectUri")}
            copied={t("settings.sso.copiedRedirectUri")}
            value={links.data.redirectUri}
            hint={t("settings.sso.redirectUriHint")}
          />
          <CopyField
            label={t("settings.sso.signInLink")}
            copyLabel={t("settings.sso.copySignInLink")}
            copied={t("settings.sso.copiedSignInLink")}
            value={links.data.signInUrl}
            hint={t("settings.sso.signInLinkHint")}
          />
        </section>
        <SsoSettingsForm key={settings.data?.updatedAt ?? "new"} settings={settings.data} />
      </div>
    );

  return (
    <>
      <PageHeader title={t("settings.sso.title")} />
      {body}
    </>
  );
}

function SsoSettingsForm({ settings }: { settings: SsoSettingsRow | null }) {
  const { t } = useTranslation();
  const can = useCan();
  const save = useSaveSsoSettings();
  const remove = useDeleteSsoSettings();
  const [isDeleting, setDeleting] = useState(false);
  const isSetUp = settings !== null;
  const form = useForm<Values>({ resolver: resolverFor(isSetUp), defaultValues: valuesOf(settings) });
  const { errors, isSubmitting, isDirty } = form.formState;
  useUnsavedChangesGuard(isDirty && !isSubmitting);
  const canChange = can("update", "sso");

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await save.mutateAsync(toSsoBody(values));
      toast.success(values.enabled ? t("settings.sso.savedOn") : t("settings.sso.savedOff"));
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <section aria-labelledby="sso-settings" className="flex flex-col gap-3">
      <h2 id="sso-settings" className="text-lg font-semibold">
        {t("settings.sso.yourProvider")}
      </h2>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <TextField
          label={t("settings.sso.issuer")}
          type="url"
          inputMode="url"
          placeholder="https://login.example.com"
          hint={t("settings.sso.issuerHint")}
          error={errors.issuer?.message}
          autoComplete="off"
          disabled={!canChange}
          {...form.register("issuer")}
        />
        <TextField
          label={t("settings.sso.clientId")}
          error={errors.clientId?.message}
          autoComplete="off"
          disabled={!canChange}
          {...form.register("clientId")}
        />
        <TextField
          label={t("settings.sso.clientSecret")}
          type="password"
          autoComplete="new-password"
          hint={isSetUp ? t("settings.sso.secretStoredHint") : t("settings.sso.secretNewHint")}
          error={errors.clientSecret?.message}
          disabled={!canChange}
          {...form.register("clientSecret")}
        />
        <TextAreaField
          label={t("settings.sso.allowedDomains")}
          rows={2}
          placeholder="example.com, example.org"
          hint={t("settings.sso.allowedDomainsHint")}
          error={errors.allowedDomains?.message}
          disabled={!canChange}
          {...form.register("allowedDomains")}
        />
        <SelectField
          label={t("settings.sso.defaultRole")}
          options={roles.map((role) => ({ value: role, label: labelOf(role) }))}
          hint={t("settings.sso.defaultRoleHint")}
          error={errors.defaultRole?.message}
          disabled={!canChange}
          {...form.register("defaultRole")}
        />
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 h-4 w-4 accent-accent-600"
            disabled={!canChange}
            {...form.register("enabled")}
          />
          <span>
            <span className="font-medium">{t("settings.sso.enabled")}</span>
            <span className="block text-slate-600 dark:text-slate-400">{t("settings.sso.enabledHint")}</span>
          </span>
        </label>
        <FormError message={errors.root?.message} />
        {canChange && (
          <div className="flex flex-wrap justify-between gap-2">
            {isSetUp && can("delete", "sso") ? (
              <Button variant="danger" onClick={() => setDeleting(true)}>
                {t("settings.sso.delete")}
              </Button>
            ) : (
              <span />
            )}
            <Button type="submit" variant="primary" disabled={isSubmitting}>
              {isSubmitting ? t("common.saving") : t("common.save")}
            </Button>
          </div>
        )}
      </form>
      <ConfirmDialog
        open={isDeleting}
        onOpenChange={setDeleting}
        title={t("settings.sso.confirmTitle")}
        description={t("settings.sso.confirmDescription")}
        confirmLabel={t("settings.sso.delete")}
        isPending={remove.isPending}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              setDeleting(false);
              toast.success(t("settings.sso.deleted"));
            },
            onError: (error) => toast.error(t("settings.sso.couldNotDelete", { message: error.message })),
          })
        }
      />
    </section>
  );
}

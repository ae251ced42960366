import { useState } from "react";
import { useForm, type FieldErrors, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { roles } from "../../../shared/permissions.ts";
import { EmailDomainSchema, SaveSsoSettingsSchema } from "../../../shared/schemas/sso.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { EmptyState, ErrorMessage, PageHeader, SkeletonRows } from "../../components/Feedback.tsx";
import { FieldFrame, SelectField, TextAreaField, TextField, inputClass } from "../../components/Field.tsx";
import { FormError } from "../../components/FormError.tsx";
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
const roleOptions = roles.map((role) => ({ value: role, label: labelOf(role) }));

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
      errors.clientSecret ??= { type: "required", message: "Required to set single sign-on up" };
    }
    const wrong = domainsOf(values.allowedDomains).find((domain) => !EmailDomainSchema.safeParse(domain).success);
    if (wrong) {
      errors.allowedDomains = { type: "pattern", message: `“${wrong}” is not a domain name such as example.com` };
    }
    return Object.keys(errors).length > 0 ? { values: {}, errors } : result;
  };
}

/** A read-only value (a URL the admin pastes elsewhere) with a button that copies it. */
function CopyField({ label, noun, value, hint }: { label: string; noun: string; value: string; hint: string }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(`Copied the ${noun}.`);
    } catch {
      toast.error("Could not copy: select the text and copy it by hand.");
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
          <Button aria-label={`Copy the ${noun}`} onClick={() => void copy()}>
            Copy
          </Button>
        </div>
      )}
    </FieldFrame>
  );
}

function StatusLine({ settings }: { settings: SsoSettingsRow | null }) {
  const [text, tone] = !settings
    ? [
        "Not set up: members sign in with their password.",
        "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
      ]
    : settings.enabled
      ? [
          "On: members can sign in through your provider.",
          "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100",
        ]
      : [
          "Off: the settings are kept, nobody signs in with them.",
          "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100",
        ];
  return <p className={`rounded-md px-3 py-2 text-sm font-medium ${tone}`}>{text}</p>;
}

/** Settings → Single sign-on: the workspace's OpenID Connect provider. Admins only. */
export function SsoPage() {
  const can = useCan();
  const isAdmin = can("read", "sso");
  const settings = useSsoSettings(isAdmin);
  const links = useSsoLinks(isAdmin);

  if (!isAdmin)
    return (
      <>
        <PageHeader title="Single sign-on" />
        <EmptyState title="Only admins manage single sign-on." />
      </>
    );

  let body;
  if (settings.isPending || links.isPending) body = <SkeletonRows rows={6} />;
  else if (settings.isError) body = <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} />;
  else if (links.isError) body = <ErrorMessage error={links.error} onRetry={() => void links.refetch()} />;
  else
    body = (
      <div className="flex max-w-2xl min-w-0 flex-col gap-6 p-4">
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Let members sign in with your organisation’s identity provider (Okta, Microsoft Entra ID, Google Workspace,
          Keycloak… anything that speaks OpenID Connect). Keel matches people by their verified e-mail address and adds
          newcomers with the default role. Their provider, not Keel, asks for a second factor.
        </p>
        <StatusLine settings={settings.data} />
        <section aria-labelledby="sso-at-provider" className="flex flex-col gap-3">
          <h2 id="sso-at-provider" className="text-lg font-semibold">
            At your provider
          </h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Register Keel as a web application (authorization code flow) with this redirect URI, then copy its issuer,
            client id and client secret below.
          </p>
          <CopyField
            label="Redirect URI"
            noun="redirect URI"
            value={links.data.redirectUri}
            hint="Where your provider sends people back to Keel."
          />
          <CopyField
            label="Sign-in link"
            noun="sign-in link"
            value={links.data.signInUrl}
            hint="Share it, or bookmark it: it signs members in to this workspace through your provider."
          />
        </section>
        <SsoSettingsForm key={settings.data?.updatedAt ?? "new"} settings={settings.data} />
      </div>
    );

  return (
    <>
      <PageHeader title="Single sign-on" />
      {body}
    </>
  );
}

function SsoSettingsForm({ settings }: { settings: SsoSettingsRow | null }) {
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
      toast.success(values.enabled ? "Saved: single sign-on is on." : "Saved: single sign-on is off.");
    } catch (error) {
      applyServerErrors(form, error, fieldNames);
    }
  });

  return (
    <section aria-labelledby="sso-settings" className="flex flex-col gap-3">
      <h2 id="sso-settings" className="text-lg font-semibold">
        Your provider
      </h2>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        <TextField
          label="Issuer URL"
          type="url"
          inputMode="url"
          placeholder="https://login.example.com"
          hint="The provider’s issuer, as its /.well-known/openid-configuration states it."
          error={errors.issuer?.message}
          autoComplete="off"
          disabled={!canChange}
          {...form.register("issuer")}
        />
        <TextField
          label="Client ID"
          error={errors.clientId?.message}
          autoComplete="off"
          disabled={!canChange}
          {...form.register("clientId")}
        />
        <TextField
          label="Client secret"
          type="password"
          autoComplete="new-password"
          hint={
            isSetUp
              ? "A secret is stored; it is never shown. Leave empty to keep it."
              : "Stored encrypted; never shown again."
          }
          error={errors.clientSecret?.message}
          disabled={!canChange}
          {...form.register("clientSecret")}
        />
        <TextAreaField
          label="Allowed e-mail domains"
          rows={2}
          placeholder="example.com, example.org"
          hint="Only people with an e-mail address of these domains may sign in. Empty: any e-mail address your provider has verified."
          error={errors.allowedDomains?.message}
          disabled={!canChange}
          {...form.register("allowedDomains")}
        />
        <SelectField
          label="Default role"
          options={roleOptions}
          hint="The role of people who join the workspace by signing in. Members keep theirs."
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
            <span className="font-medium">Members can sign in through this provider</span>
            <span className="block text-slate-600 dark:text-slate-400">
              Keel checks that it can reach the issuer when you save.
            </span>
          </span>
        </label>
        <FormError message={errors.root?.message} />
        {canChange && (
          <div className="flex flex-wrap justify-between gap-2">
            {isSetUp && can("delete", "sso") ? (
              <Button variant="danger" onClick={() => setDeleting(true)}>
                Delete settings
              </Button>
            ) : (
              <span />
            )}
            <Button type="submit" variant="primary" disabled={isSubmitting}>
              {isSubmitting ? "Saving…" : "Save"}
            </Button>
          </div>
        )}
      </form>
      <ConfirmDialog
        open={isDeleting}
        onOpenChange={setDeleting}
        title="Delete the single sign-on settings?"
        description="Nobody can sign in through your provider any more; members who have no password must reset theirs. The client secret is forgotten."
        confirmLabel="Delete settings"
        isPending={remove.isPending}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              setDeleting(false);
              toast.success("Deleted the single sign-on settings.");
            },
            onError: (error) => toast.error(`Could not delete: ${error.message}`),
          })
        }
      />
    </section>
  );
}

import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { TextField } from "../../components/Field.tsx";

/** An endpoint's signing secret, shown this once (after creation or rotation), with a copy button. */
export function WebhookSecret({ secret, onDone }: { secret: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [isCopied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
      toast.success(t("webhooks.toast.secretCopied"));
    } catch {
      toast.error(t("webhooks.toast.couldNotCopy"));
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <p
        role="status"
        className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
      >
        <Trans i18nKey="webhooks.secret.warning" components={{ strong: <strong /> }} />
      </p>
      <TextField
        label={t("webhooks.secret.label")}
        value={secret}
        readOnly
        onFocus={(event) => event.currentTarget.select()}
        className="font-mono text-sm"
      />
      <p className="text-sm text-slate-600 dark:text-slate-300">
        <Trans i18nKey="webhooks.secret.verify" components={{ code: <code /> }} />
      </p>
      <div className="flex justify-end gap-2">
        <Button onClick={() => void copy()}>{isCopied ? t("common.copied") : t("webhooks.secret.copy")}</Button>
        <Button variant="primary" onClick={onDone}>
          {t("common.done")}
        </Button>
      </div>
    </div>
  );
}

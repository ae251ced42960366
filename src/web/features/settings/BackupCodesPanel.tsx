import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { toast } from "sonner";
import { Button } from "../../components/Button.tsx";
import { t } from "../../i18n/i18n.ts";
import { useMe } from "../auth/session.ts";

/** The text of a backup codes file (and of the clipboard): what they are, then one code a line. */
export function backupCodesText(codes: readonly string[], email: string | undefined): string {
  return [
    email ? t("settings.backupCodes.fileTitleFor", { email }) : t("settings.backupCodes.fileTitle"),
    t("settings.backupCodes.fileExplanation"),
    "",
    ...codes,
    "",
  ].join("\n");
}

/** Saves the codes as a .txt file through the browser's download. */
function download(text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = "keel-backup-codes.txt";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** New backup codes, shown this once: to copy or download, then Done. */
export function BackupCodesPanel({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const email = useMe()?.user.email;
  const [isCopied, setCopied] = useState(false);
  const text = backupCodesText(codes, email);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success(t("settings.backupCodes.copied"));
    } catch {
      toast.error(t("settings.backupCodes.couldNotCopy"));
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <p
        role="status"
        className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
      >
        <Trans i18nKey="settings.backupCodes.saveNow" components={{ strong: <strong /> }} />
      </p>
      <ol
        aria-label={t("settings.backupCodes.listLabel")}
        className="grid grid-cols-1 gap-x-6 gap-y-1 rounded-md bg-slate-50 p-3 font-mono text-base min-[360px]:grid-cols-2 dark:bg-slate-800"
      >
        {codes.map((code) => (
          <li key={code} className="select-all">
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={() => void copy()}>{isCopied ? t("common.copied") : t("settings.backupCodes.copy")}</Button>
        <Button onClick={() => download(text)}>{t("settings.backupCodes.download")}</Button>
        <Button variant="primary" onClick={onDone}>
          {t("common.done")}
        </Button>
      </div>
    </div>
  );
}

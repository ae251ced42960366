import { useState } from "react";
import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import {
  duplicatePolicies,
  importResources,
  type DuplicatePolicy,
  type ImportMapping,
  type ImportResource,
} from "../../../shared/schemas/import.ts";
import { ApiProblem } from "../../api/client.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField } from "../../components/Field.tsx";
import { ErrorMessage, PageHeader } from "../../components/Feedback.tsx";
import { useCan } from "../auth/session.ts";
import { t } from "../../i18n/i18n.ts";
import { formatDateTime, formatNumber, labelOf } from "../../lib/format.ts";
import { DryRunCheck } from "./DryRunCheck.tsx";
import { ImportProgress } from "./ImportProgress.tsx";
import {
  isVCardFile,
  useDryRun,
  useImport,
  useImports,
  useStartImport,
  useUpdateImport,
  useUpload,
  useVCardImport,
  type UploadedRow,
  type VCardsImported,
} from "./imports.api.ts";
import { importResourceName } from "./import-labels.ts";
import { MappingTable, missingRequired } from "./MappingTable.tsx";
import { UploadDropZone } from "./UploadDropZone.tsx";

/** What each duplicate policy does, in the current language. */
function policyLabel(policy: DuplicatePolicy): string {
  switch (policy) {
    case "skip":
      return t("imports.policies.skip");
    case "update":
      return t("imports.policies.update");
    case "create":
      return t("imports.policies.create");
  }
}

/** Server errors about `mapping.<header>`, by header. */
function mappingErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiProblem)) return {};
  return Object.fromEntries(
    error.fieldErrors.filter((e) => e.path.startsWith("mapping.")).map((e) => [e.path.slice(8), e.message]),
  );
}

/**
 * Mapping, duplicate policy, dry run and start of an uploaded file. The import is followed (polled
 * while its dry run works): its progress, then its report, show below the settings.
 */
function ImportSetup({ uploaded, onStarted }: { uploaded: UploadedRow; onStarted: (id: string) => void }) {
  const { t } = useTranslation();
  const [mapping, setMapping] = useState<ImportMapping>(uploaded.mapping);
  const [policy, setPolicy] = useState<DuplicatePolicy>(uploaded.onDuplicate);
  // Changed here since the last dry run: its report is not about these settings.
  const [isStale, setStale] = useState(false);
  const followed = useImport(uploaded.id);
  const current = followed.data ?? uploaded;
  const save = useUpdateImport();
  const dryRun = useDryRun();
  const start = useStartImport();
  const missing = missingRequired(uploaded.resource, mapping);
  const saved = () => save.mutateAsync({ id: uploaded.id, mapping, onDuplicate: policy });
  const run = async (step: "dry-run" | "start") => {
    try {
      await saved();
      if (step === "dry-run") {
        await dryRun.mutateAsync(uploaded.id);
        setStale(false);
      } else onStarted((await start.mutateAsync(uploaded.id)).id);
    } catch (error) {
      if (Object.keys(mappingErrors(error)).length === 0)
        toast.error(error instanceof ApiProblem ? error.message : t("imports.failed"));
    }
  };
  const busy = save.isPending || dryRun.isPending || start.isPending || current.status === "validating";
  return (
    <section aria-labelledby="mapping-heading" className="flex flex-col gap-4">
      <h2 id="mapping-heading" className="text-lg font-semibold">
        {t("imports.setup.heading", {
          file: uploaded.fileName,
          rows: uploaded.rowsTotal.toLocaleString(),
          resource: importResourceName(uploaded.resource),
        })}
      </h2>
      <MappingTable
        resource={uploaded.resource}
        columns={uploaded.columns}
        sampleRows={uploaded.sampleRows}
        mapping={mapping}
        errors={mappingErrors(save.error)}
        onChange={(header, field) => {
          setMapping((mapped) => ({ ...mapped, [header]: field }));
          setStale(true);
        }}
      />
      <SelectField
        label={t("imports.setup.duplicates")}
        hint={t("imports.setup.duplicatesHint")}
        value={policy}
        options={duplicatePolicies.map((p) => ({ value: p, label: policyLabel(p) }))}
        onChange={(event) => {
          setPolicy(event.target.value as DuplicatePolicy);
          setStale(true);
        }}
      />
      {missing.length > 0 && <p role="alert">{t("imports.setup.missing", { fields: missing.join(", ") })}</p>}
      <DryRunCheck row={current} isStale={isStale} />
      <div className="flex gap-2">
        <Button disabled={busy || missing.length > 0} onClick={() => void run("dry-run")}>
          {t("imports.setup.dryRun")}
        </Button>
        <Button variant="primary" disabled={busy || missing.length > 0} onClick={() => void run("start")}>
          {t("imports.setup.start")}
        </Button>
      </div>
    </section>
  );
}

function ImportHistory({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const history = useImports();
  if (history.error) return <ErrorMessage error={history.error} />;
  const rows = history.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading" className="mb-2 text-lg font-semibold">
        {t("imports.history.title")}
      </h2>
      {rows.length === 0 ? (
        <p className="text-slate-600 dark:text-slate-400">{t("imports.history.empty")}</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {rows.map((row) => (
            <li key={row.id} className="flex items-center justify-between gap-2 py-2">
              <span>
                {row.fileName} · {importResourceName(row.resource)} · {labelOf(row.status)} ·{" "}
                {formatDateTime(row.createdAt)} ·{" "}
                {t("imports.history.counts", { created: row.created, updated: row.updated, failed: row.failed })}
              </span>
              <Button size="sm" onClick={() => onOpen(row.id)}>
                {t("imports.history.open")}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {history.hasNextPage && (
        <Button size="sm" onClick={() => void history.fetchNextPage()}>
          {t("common.more")}
        </Button>
      )}
    </section>
  );
}

/** The contacts a vCard file made, or why none were (each card's problems, by card and property). */
function VCardResult({ imported, error }: { imported: VCardsImported | undefined; error: Error | null }) {
  const { t } = useTranslation();
  if (imported) {
    return (
      <div role="status" className="flex flex-wrap items-center gap-3">
        <p>{t("imports.vcard.created", { count: imported.created, number: formatNumber(imported.created) })}</p>
        <Link to="/contacts" className="font-medium text-accent-700 underline dark:text-sky-300">
          {t("imports.vcard.openContacts")}
        </Link>
      </div>
    );
  }
  if (!error) return null;
  const cards = error instanceof ApiProblem ? error.fieldErrors : [];
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-medium">{t("imports.vcard.noneCreated", { message: error.message })}</p>
      {cards.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {cards.map((problem) => (
            <li key={`${problem.path}:${problem.message}`}>
              <span className="font-mono">{problem.path}</span>: {problem.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** /imports: upload a file, map its columns, check and run it, follow it, undo it; the history. */
export function ImportsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [resource, setResource] = useState<ImportResource>("contacts");
  const [uploaded, setUploaded] = useState<UploadedRow | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const upload = useUpload();
  const vcards = useVCardImport();
  const opened = useImport(openId);
  const onFile = (file: File) => {
    // A vCard file needs no mapping: its cards become contacts at once, all or none.
    if (isVCardFile(file)) {
      upload.reset();
      vcards.mutate(file);
      return;
    }
    vcards.reset();
    upload.mutate(
      { resource, file },
      {
        onSuccess: (answer) => {
          setUploaded(answer);
          setOpenId(null);
        },
      },
    );
  };
  return (
    <div>
      <PageHeader title={t("imports.page.title")} />
      <div className="flex max-w-4xl flex-col gap-6 p-4">
        {openId && opened.data ? (
          <>
            <ImportProgress row={opened.data} canUndo={can("delete", "contact")} />
            <Button onClick={() => setOpenId(null)}>{t("imports.page.newImport")}</Button>
          </>
        ) : uploaded ? (
          <ImportSetup
            uploaded={uploaded}
            onStarted={(id) => {
              setUploaded(null);
              setOpenId(id);
            }}
          />
        ) : (
          <section aria-label={t("imports.page.upload")} className="flex flex-col gap-3">
            <SelectField
              label={t("imports.page.importInto")}
              value={resource}
              options={importResources.map((r) => ({ value: r, label: labelOf(r) }))}
              onChange={(event) => setResource(event.target.value as ImportResource)}
            />
            <UploadDropZone onFile={onFile} disabled={upload.isPending || vcards.isPending} />
            {(upload.isPending || vcards.isPending) && <p role="status">{t("imports.page.uploading")}</p>}
            {upload.error && <ErrorMessage error={upload.error} />}
            <VCardResult imported={vcards.data} error={vcards.error} />
          </section>
        )}
        <ImportHistory onOpen={setOpenId} />
      </div>
    </div>
  );
}

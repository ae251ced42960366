import { useState } from "react";
import { toast } from "sonner";
import {
  duplicatePolicies,
  importResources,
  type DuplicatePolicy,
  type ImportMapping,
  type ImportResource,
} from "../../../shared/schemas/import.ts";
import type { DryRun } from "../../../shared/schemas/import.ts";
import { ApiProblem } from "../../api/client.ts";
import type { Wire } from "../../api/wire.ts";
import { Button } from "../../components/Button.tsx";
import { SelectField } from "../../components/Field.tsx";
import { ErrorMessage, PageHeader } from "../../components/Feedback.tsx";
import { useCan } from "../auth/session.ts";
import { formatDateTime, labelOf } from "../../lib/format.ts";
import { ImportProgress } from "./ImportProgress.tsx";
import {
  errorsCsvUrl,
  useDryRun,
  useImport,
  useImports,
  useStartImport,
  useUpdateImport,
  useUpload,
  type UploadedRow,
} from "./imports.api.ts";
import { MappingTable, missingRequired } from "./MappingTable.tsx";
import { UploadDropZone } from "./UploadDropZone.tsx";

const policyLabels: Record<DuplicatePolicy, string> = {
  skip: "Skip duplicates",
  update: "Update duplicates with the file's values",
  create: "Create them anyway",
};

/** Server errors about `mapping.<header>`, by header. */
function mappingErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiProblem)) return {};
  return Object.fromEntries(
    error.fieldErrors.filter((e) => e.path.startsWith("mapping.")).map((e) => [e.path.slice(8), e.message]),
  );
}

/** Mapping, duplicate policy, dry run and start of an uploaded file. */
function ImportSetup({ uploaded, onStarted }: { uploaded: UploadedRow; onStarted: (id: string) => void }) {
  const [mapping, setMapping] = useState<ImportMapping>(uploaded.mapping);
  const [policy, setPolicy] = useState<DuplicatePolicy>(uploaded.onDuplicate);
  const [report, setReport] = useState<Wire<DryRun> | null>(null);
  const save = useUpdateImport();
  const dryRun = useDryRun();
  const start = useStartImport();
  const missing = missingRequired(uploaded.resource, mapping);
  const saved = () => save.mutateAsync({ id: uploaded.id, mapping, onDuplicate: policy });
  const run = async (step: "dry-run" | "start") => {
    try {
      await saved();
      if (step === "dry-run") setReport(await dryRun.mutateAsync(uploaded.id));
      else onStarted((await start.mutateAsync(uploaded.id)).id);
    } catch (error) {
      if (Object.keys(mappingErrors(error)).length === 0)
        toast.error(error instanceof ApiProblem ? error.message : "Failed");
    }
  };
  const busy = save.isPending || dryRun.isPending || start.isPending;
  return (
    <section aria-labelledby="mapping-heading" className="flex flex-col gap-4">
      <h2 id="mapping-heading" className="text-lg font-semibold">
        {uploaded.fileName}: {uploaded.rowsTotal.toLocaleString()} rows of {uploaded.resource}
      </h2>
      <MappingTable
        resource={uploaded.resource}
        columns={uploaded.columns}
        sampleRows={uploaded.sampleRows}
        mapping={mapping}
        errors={mappingErrors(save.error)}
        onChange={(header, field) => {
          setMapping((current) => ({ ...current, [header]: field }));
          setReport(null);
        }}
      />
      <SelectField
        label="Records that already exist"
        hint="Contacts by e-mail then phone, companies by domain then name, leads by title"
        value={policy}
        options={duplicatePolicies.map((p) => ({ value: p, label: policyLabels[p] }))}
        onChange={(event) => setPolicy(event.target.value as DuplicatePolicy)}
      />
      {missing.length > 0 && <p role="alert">Map a column to {missing.join(", ")}.</p>}
      {report && (
        <div role="status" className="rounded border border-slate-200 p-3 dark:border-slate-700">
          <p>
            Would create {report.wouldCreate}, update {report.wouldUpdate}, skip {report.wouldSkip}; {report.failed}{" "}
            rows have errors.
          </p>
          {report.errors.length > 0 && (
            <>
              <ul className="mt-2 list-disc pl-5 text-sm">
                {report.errors.slice(0, 10).map((e) => (
                  <li key={`${e.line}-${e.column}-${e.message}`}>
                    Line {e.line}
                    {e.column ? `, ${e.column}` : ""}: {e.message}
                  </li>
                ))}
              </ul>
              <a className="text-accent-700 underline" href={errorsCsvUrl(uploaded.id)} download>
                Download all errors
              </a>
            </>
          )}
        </div>
      )}
      <div className="flex gap-2">
        <Button disabled={busy || missing.length > 0} onClick={() => void run("dry-run")}>
          Check rows (dry run)
        </Button>
        <Button variant="primary" disabled={busy || missing.length > 0} onClick={() => void run("start")}>
          Start import
        </Button>
      </div>
    </section>
  );
}

function ImportHistory({ onOpen }: { onOpen: (id: string) => void }) {
  const history = useImports();
  if (history.error) return <ErrorMessage error={history.error} />;
  const rows = history.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading" className="mb-2 text-lg font-semibold">
        History
      </h2>
      {rows.length === 0 ? (
        <p className="text-slate-600 dark:text-slate-400">No imports yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {rows.map((row) => (
            <li key={row.id} className="flex items-center justify-between gap-2 py-2">
              <span>
                {row.fileName} · {row.resource} · {labelOf(row.status)} · {formatDateTime(row.createdAt)} ·{" "}
                {row.created} created, {row.updated} updated, {row.failed} failed
              </span>
              <Button size="sm" onClick={() => onOpen(row.id)}>
                Open
              </Button>
            </li>
          ))}
        </ul>
      )}
      {history.hasNextPage && (
        <Button size="sm" onClick={() => void history.fetchNextPage()}>
          More
        </Button>
      )}
    </section>
  );
}

/** /imports: upload a file, map its columns, check and run it, follow it, undo it; the history. */
export function ImportsPage() {
  const can = useCan();
  const [resource, setResource] = useState<ImportResource>("contacts");
  const [uploaded, setUploaded] = useState<UploadedRow | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const upload = useUpload();
  const opened = useImport(openId);
  const onFile = (file: File) =>
    upload.mutate(
      { resource, file },
      {
        onSuccess: (answer) => {
          setUploaded(answer);
          setOpenId(null);
        },
      },
    );
  return (
    <div>
      <PageHeader title="Imports" />
      <div className="flex max-w-4xl flex-col gap-6 p-4">
        {openId && opened.data ? (
          <>
            <ImportProgress row={opened.data} canUndo={can("delete", "contact")} />
            <Button onClick={() => setOpenId(null)}>New import</Button>
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
          <section aria-label="Upload" className="flex flex-col gap-3">
            <SelectField
              label="Import into"
              value={resource}
              options={importResources.map((r) => ({ value: r, label: labelOf(r) }))}
              onChange={(event) => setResource(event.target.value as ImportResource)}
            />
            <UploadDropZone onFile={onFile} disabled={upload.isPending} />
            {upload.isPending && <p role="status">Uploading…</p>}
            {upload.error && <ErrorMessage error={upload.error} />}
          </section>
        )}
        <ImportHistory onOpen={setOpenId} />
      </div>
    </div>
  );
}

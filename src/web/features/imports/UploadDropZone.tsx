import { useId, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";

/** A drop area for one file, which is also a button opening the file picker (keyboard users). */
export function UploadDropZone({ onFile, disabled }: { onFile: (file: File) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [isOver, setIsOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setIsOver(false);
    const file = event.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };
  return (
    <div
      onDragOver={(event) => {
        event.preventDefault();
        setIsOver(true);
      }}
      onDragLeave={() => setIsOver(false)}
      onDrop={drop}
      className={`flex flex-col items-center gap-2 rounded-lg border-2 border-dashed p-8 text-center ${
        isOver ? "border-accent-600 bg-accent-50 dark:bg-slate-800" : "border-slate-300 dark:border-slate-600"
      }`}
    >
      <p>{t("imports.upload.drop")}</p>
      <label
        htmlFor={inputId}
        className="cursor-pointer rounded-md border border-slate-300 px-3 py-1.5 font-medium focus-within:ring-2 dark:border-slate-600"
      >
        {t("imports.upload.choose")}
        <input
          id={inputId}
          type="file"
          accept=".csv,.tsv,.txt,.xlsx,.vcf,.vcard,text/csv,text/vcard,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          className="sr-only"
          disabled={disabled}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) onFile(file);
            event.target.value = "";
          }}
        />
      </label>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t("imports.upload.formats")}</p>
    </div>
  );
}

import { useBlocker } from "@tanstack/react-router";
import { useState } from "react";
import type { FieldErrors, FieldValues, Path, Resolver, UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { ApiProblem } from "../api/client.ts";
import { t } from "../i18n/i18n.ts";

/**
 * Puts a failed request's problem+json field errors onto the form's fields; anything that
 * names no field of the form becomes the form's own error. Returns true when it handled the error.
 */
export function applyServerErrors<T extends FieldValues>(
  form: UseFormReturn<T>,
  error: unknown,
  fieldNames: readonly string[],
): boolean {
  if (!(error instanceof ApiProblem)) {
    form.setError("root", { message: t("messages.forms.couldNotSave") });
    return true;
  }
  let isUnplaced = error.fieldErrors.length === 0;
  for (const fieldError of error.fieldErrors) {
    const name = fieldError.path.split(".")[0] ?? "";
    if (fieldNames.includes(name))
      form.setError(name as Path<T>, { message: fieldError.message }, { shouldFocus: true });
    else isUnplaced = true;
  }
  if (isUnplaced) form.setError("root", { message: error.message });
  return true;
}

/**
 * A react-hook-form resolver that checks the request body a form would send against the shared
 * Zod schema, so forms whose fields differ from the body (strings for numbers, radio choices)
 * still validate with the one schema. An issue lands on the field `fieldOf` names for its path
 * (by default the path's first part, when it is one of `fields`); anything else on the form itself.
 */
export function bodyResolver<V extends FieldValues>(
  schema: z.ZodType,
  toBody: (values: V) => unknown,
  fields: readonly string[],
  fieldOf: (path: string) => string | undefined = (path) => path.split(".")[0],
): Resolver<V> {
  return (values) => {
    const result = schema.safeParse(toBody(values));
    if (result.success) return { values, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of result.error.issues) {
      const named = fieldOf(issue.path.join("."));
      const field = named && fields.includes(named) ? named : "root";
      errors[field] ??= {
        type: issue.code,
        message: field === "root" && issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
      };
    }
    return { values: {}, errors: errors as FieldErrors<V> };
  };
}

/** Only the fields the user changed, for a PATCH that leaves the rest alone. */
export function changedFields<T extends Record<string, unknown>>(
  body: T,
  dirty: Partial<Record<keyof T, unknown>>,
): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => dirty[key as keyof T])) as Partial<T>;
}

/** Asks before leaving a page (in the app or the browser) while a form has unsaved changes. */
export function useUnsavedChangesGuard(isDirty: boolean): void {
  useBlocker({
    shouldBlockFn: () => !window.confirm(t("messages.forms.unsavedChanges")),
    enableBeforeUnload: isDirty,
    disabled: !isDirty,
  });
}

/**
 * The version of a record an edit form opened on. Live updates refetch the record while the form
 * is open, but the form's values stay those of the version it opened with: its save must send
 * that version, so that a change someone made meanwhile answers 412 instead of being overwritten.
 */
export function useOpenedVersion(record: { version: number } | undefined): number | undefined {
  return useState(record?.version)[0];
}

import { zodResolver } from "@hookform/resolvers/zod";
import { useBlocker } from "@tanstack/react-router";
import type { FieldValues, Path, Resolver, UseFormReturn } from "react-hook-form";
import type { z } from "zod";
import { ApiProblem } from "../api/client.ts";

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
    form.setError("root", { message: "Could not save. Check your connection and try again." });
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

/** Form values → API body: empty strings become null (cleared), untouched optional fields are left out. */
export function emptyToNull<T extends Record<string, unknown>>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === "" ? null : v])) as T;
}

/**
 * Validates a form with a shared API schema: the form's values are first turned into the request
 * body (`toBody`), so the browser checks exactly what the server will check.
 */
export function schemaResolver<T extends FieldValues>(
  schema: z.ZodType,
  toBody: (values: T) => unknown = emptyToNull,
): Resolver<T> {
  const resolve = zodResolver(schema as never) as unknown as Resolver<T>;
  return async (values, context, options) => {
    const result = await resolve(toBody(values) as T, context, options);
    // Keep the user's own values; only the errors matter here.
    return Object.keys(result.errors).length > 0 ? result : { values, errors: {} };
  };
}

/** Asks before leaving a page (in the app or the browser) while a form has unsaved changes. */
export function useUnsavedChangesGuard(isDirty: boolean): void {
  useBlocker({
    shouldBlockFn: () => !window.confirm("You have unsaved changes. Leave and lose them?"),
    enableBeforeUnload: isDirty,
    disabled: !isDirty,
  });
}

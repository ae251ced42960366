import {
  getExampleNumber,
  isSupportedCountry,
  parsePhoneNumberWithError,
  type CountryCode,
} from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import type { FieldError } from "../../../shared/schemas/problem.ts";
import type { Transaction } from "../../db/client.ts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError } from "../../lib/errors.ts";
import { readWorkspaceSettings } from "../workspaces/index.ts";

/**
 * Phone numbers arrive as people write them ("030 1234567", "+1 (415) 555-2671", "0044 20…") and
 * are stored in E.164 (+49301234567), so they compare, dial and deduplicate alike. A number
 * without its country code is read in the workspace's default phone country (Settings →
 * Workspace); without one, it must start with + or 00. A number that cannot exist answers 400
 * on its field, with an example of that country's numbers.
 */
export async function withPhonesInE164<T>(
  tx: Transaction,
  ctx: RequestContext,
  fields: readonly string[] | undefined,
  input: T,
): Promise<T> {
  if (!hasPhones(fields, input)) return input;
  const normalized = phonesInE164(fields, input, await defaultCountryOf(tx, ctx.workspaceId));
  if (normalized instanceof AppError) throw normalized;
  return normalized;
}

/** Whether the input gives any of the phone fields (as text): only then is the default country read. */
export function hasPhones<T>(fields: readonly string[] | undefined, input: T): boolean {
  return (fields ?? []).some((field) => typeof (input as Record<string, unknown>)[field] === "string");
}

/**
 * The input with its phone fields in E.164, read in `country` when they lack a country code, or
 * the 400 naming each field that is not a number (answered, not thrown: a batch refuses that
 * input alone, records.create-many.ts).
 */
export function phonesInE164<T>(
  fields: readonly string[] | undefined,
  input: T,
  country: CountryCode | undefined,
): T | AppError {
  const given = (fields ?? []).filter((field) => typeof (input as Record<string, unknown>)[field] === "string");
  if (given.length === 0) return input;
  const normalized: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const errors: FieldError[] = [];
  for (const field of given) {
    const result = toE164(String(normalized[field]), country);
    if ("number" in result) normalized[field] = result.number;
    else errors.push({ path: field, message: result.error });
  }
  if (errors.length > 0) return new AppError("validation", "A phone number is not valid.", errors);
  return normalized as T;
}

/** A written number in E.164, or why it is not one (in words for the person who typed it). */
export function toE164(written: string, country: CountryCode | undefined): { number: string } | { error: string } {
  const international = written.trim().replace(/^00/, "+");
  if (!international.startsWith("+") && !country) {
    return {
      error: `Must start with + and the country code, like ${exampleOf(undefined)}, unless an admin sets the workspace's default phone country`,
    };
  }
  try {
    const parsed = parsePhoneNumberWithError(international, country);
    if (parsed.isValid() && !parsed.ext) return { number: parsed.number };
  } catch {
    // Not a number at all: answered below like an impossible one.
  }
  return { error: `Must be a phone number, like ${exampleOf(country)}` };
}

function exampleOf(country: CountryCode | undefined): string {
  return (country && getExampleNumber(country, examples)?.formatInternational()) ?? "+49 30 1234567";
}

/** The workspace's default phone country (Settings → Workspace), when it is one libphonenumber knows. */
export async function defaultCountryOf(tx: Transaction, workspaceId: string): Promise<CountryCode | undefined> {
  const { defaultPhoneCountry } = await readWorkspaceSettings(tx, workspaceId);
  return defaultPhoneCountry && isSupportedCountry(defaultPhoneCountry) ? defaultPhoneCountry : undefined;
}

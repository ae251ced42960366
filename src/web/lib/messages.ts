import { formatDecimal } from "./format.ts";

/**
 * A validation message as a person reads it next to a field: in words, naming the field by its
 * label, never by the API's formats or field names. The shared schemas (and the server) word their
 * messages for any client, "Must be a decimal string such as "1250.00""; a form shows "Estimated
 * value must be a number, like 12,500.00", in the workspace's number format. Messages it does not
 * know (a server's sentence) are shown as they are.
 */
export function inWords(label: string, message: string): string {
  for (const [pattern, word] of specific) {
    const match = pattern.exec(message);
    if (match) return word(label, match);
  }
  const must = /^Must (.+)$/s.exec(message);
  if (must) return `${label} must ${must[1]}`;
  const required = /^Required( .+)?$/s.exec(message);
  if (required) return `${label} is required${required[1] ?? ""}`;
  const most = /^At most (.+)$/s.exec(message);
  if (most) return `${label} can be at most ${most[1]}`;
  return message;
}

type Wording = (label: string, match: RegExpExecArray) => string;

/** Messages whose formats or names a person should not see, and how to say them instead. */
const specific: [RegExp, Wording][] = [
  [/^Must be a decimal string/, (label) => `${label} must be a number, like ${example()}`],
  [
    /^Must be a UUID$/,
    // A typed id (a filter) is an id; anything else is chosen from a picker.
    (label) =>
      /\bid$/i.test(label)
        ? `${label} must be an id, like 0190f6c2-1e2d-7a3b-8c4d-5e6f7a8b9c0d`
        : `Choose the ${label.toLowerCase()} from the list`,
  ],
  [/^Must be an ISO 8601 date-time$/, (label) => `${label} must be a date and time`],
  [/^Must be a date, YYYY-MM-DD$/, (label) => `${label} must be a date`],
  [/^Must be a 3-letter ISO 4217 code/, (label) => `${label} must be a currency, like EUR`],
  [/^Must be a currency in use/, (label) => `${label} must be a currency in use, like EUR`],
  [/^Must be an ISO 3166-1 alpha-2 country code/, (label) => `Choose the ${label.toLowerCase()} from the list`],
  [/^Must be an IANA time zone/, (label) => `Choose the ${label.toLowerCase()} from the list`],
  [/^Required with estimatedValue$/, (label) => `${label} is required with an estimated value`],
  [/^At most (\d+) characters$/, (label, match) => `${label} can be at most ${match[1]} characters long`],
];

/** 12,500.00 in the workspace's number format: the example of a number a field takes. */
const example = () => formatDecimal(12_500, 2);

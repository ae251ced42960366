import { i18next, t } from "../i18n/i18n.ts";
import { formatDecimal } from "./format.ts";
import { serverSentenceInWords } from "./server-sentences.ts";

/**
 * A validation message as a person reads it next to a field: in words, in the interface's
 * language, naming the field by its label (which the caller passes translated), never by the
 * API's formats or field names. The shared schemas (and the server) word their messages for any
 * client, "Must be a decimal string such as "1250.00""; a form shows "Estimated value must be a
 * number, like 12,500.00", in the workspace's number format. The server's own field messages
 * ("No such company", "Wrong password.") are said in the interface's language through their
 * English wording (`messages.server`, see server-sentences.ts). Messages it does not know are
 * shown as they are.
 */
export function inWords(label: string, message: string): string {
  for (const [pattern, word] of specific) {
    const match = pattern.exec(message);
    if (match) return word(label, match);
  }
  const sentence = sentences[message];
  if (sentence) return sentence();
  const server = serverSentenceInWords("messages.server", message);
  if (server) return server;
  // The shared schemas' remaining messages read as English sentences about the field.
  if (!i18next.language.startsWith("en")) return message;
  const must = /^Must (.+)$/s.exec(message);
  if (must) return `${label} must ${must[1]}`;
  const required = /^Required( .+)?$/s.exec(message);
  if (required) return `${label} is required${required[1] ?? ""}`;
  const most = /^At most (.+)$/s.exec(message);
  if (most) return `${label} can be at most ${most[1]}`;
  return message;
}

type Wording = (label: string, match: RegExpExecArray) => string;

/** The shared schemas' messages, and how to say them instead (their formats and names left out). */
const specific: [RegExp, Wording][] = [
  [/^Must be a decimal string/, (label) => t("messages.decimal", { label, example: example() })],
  [
    /^Must be a UUID$/,
    // A typed id (a filter) is an id; anything else is chosen from a picker.
    (label) =>
      /\bid$/i.test(label)
        ? t("messages.id", { label, example: "0190f6c2-1e2d-7a3b-8c4d-5e6f7a8b9c0d" })
        : t("messages.chooseFromList", { label }),
  ],
  [/^Must be an ISO 8601 date-time$/, (label) => t("messages.dateTime", { label })],
  [/^Must be a date, YYYY-MM-DD$/, (label) => t("messages.date", { label })],
  [/^Must be in the years (\d+) to 9999$/, (label, match) => t("messages.years", { label, min: match[1] })],
  [/^Must be a 3-letter ISO 4217 code/, (label) => t("messages.currency", { label })],
  [/^Must be a currency in use/, (label) => t("messages.currencyInUse", { label })],
  [/^Must be an ISO 3166-1 alpha-2 country code/, (label) => t("messages.chooseFromList", { label })],
  [/^Must be an IANA time zone/, (label) => t("messages.chooseFromList", { label })],
  [/^Must be an e-mail address$/, (label) => t("messages.email", { label })],
  [/^Must be a phone number/, (label) => t("messages.phone", { label })],
  [/^Must not be negative$/, (label) => t("messages.notNegative", { label })],
  [/^Must be an integer$/, (label) => t("messages.integer", { label })],
  [/^Must be a whole number$/, (label) => t("messages.wholeNumber", { label })],
  [/^Must be a whole number of minutes$/, (label) => t("messages.wholeMinutes", { label })],
  [/^Must be a month number, 1 to 12$/, (label) => t("messages.month", { label })],
  // A password's length ends with a full stop: the server's message is also the problem's detail.
  [/^Must be at least (\d+) characters\.?$/, (label, match) => t("messages.minLength", { label, min: match[1] })],
  [/^Must be at most (\d+) characters\.?$/, (label, match) => t("messages.maxLength", { label, max: match[1] })],
  [/^Must be a domain name/, (label) => t("messages.domain", { label })],
  [/^Must be a URL/, (label) => t("messages.url", { label })],
  [/^Must be an https URL/, (label) => t("messages.httpsUrl", { label })],
  [/^Must have no user name, query or fragment$/, (label) => t("messages.plainUrl", { label })],
  [/^Must be a path of this site/, (label) => t("messages.sitePath", { label })],
  [/^Must be lower-case letters, digits and hyphens$/, (label) => t("messages.slug", { label })],
  [/^Must be lower-case letters, digits or _/, (label) => t("messages.key", { label })],
  [/^Required$/, (label) => t("messages.required", { label })],
  [/^Required \(only a note may go without one\)$/, (label) => t("messages.requiredUnlessNote", { label })],
  [/^Required with estimatedValue$/, (label) => t("messages.requiredWithValue", { label })],
  [/^At most (\d+) characters$/, (label, match) => t("messages.atMostCharacters", { label, max: match[1] })],
  [/^At most (\d+) tags$/, (label, match) => t("messages.atMostTags", { label, max: match[1] })],
  [/^At most (\d+) contacts$/, (label, match) => t("messages.atMostContacts", { label, max: match[1] })],
  [/^At most (\d+) reasons$/, (label, match) => t("messages.atMostReasons", { label, max: match[1] })],
  [/^At most (\d+) activity types$/, (label, match) => t("messages.atMostActivityTypes", { label, max: match[1] })],
  [/^At most (\d+) minutes \(a day\)$/, (label, match) => t("messages.atMostMinutes", { label, max: match[1] })],
  [/^At most (\d+)$/, (label, match) => t("messages.atMost", { label, max: match[1] })],
  [/^At least (\d+)$/, (_, match) => t("messages.atLeast", { min: match[1] })],
  // The server's field messages that read best with the field's label.
  [/^Must be in the future$/, (label) => t("messages.future", { label })],
  [/^Must be true or false$/, (label) => t("messages.trueOrFalse", { label })],
  [/^Must be before to$/, (label) => t("messages.beforeEnd", { label })],
  [
    /^Must start with \+ and the country code, like (.+?), unless/,
    (label, match) => t("messages.phoneCountry", { label, example: match[1] }),
  ],
  [/^Required to create your account$/, (label) => t("messages.requiredForAccount", { label })],
  [/^Required when single sign-on is first set up$/, (label) => t("messages.requiredForSso", { label })],
  [/^Required when the deal is lost$/, (label) => t("messages.requiredWhenDealLost", { label })],
  [/^Required when the status is lost$/, (label) => t("messages.requiredWhenLeadLost", { label })],
];

/** The shared schemas' whole sentences (about a list or a form, not one field), said as they are. */
const sentences: Record<string, () => string> = {
  "At least one stage": () => t("messages.sentences.atLeastOneStage"),
  "At least one tag": () => t("messages.sentences.atLeastOneTag"),
  "Keep at least one activity type": () => t("messages.sentences.keepOneActivityType"),
  "Choose at least one event": () => t("messages.sentences.chooseOneEvent"),
  "Give at least one scope": () => t("messages.sentences.giveOneScope"),
  "Listed twice": () => t("messages.sentences.listedTwice"),
  "Stage names must be unique": () => t("messages.sentences.uniqueStageNames"),
  "A stage cannot be both won and lost": () => t("messages.sentences.wonOrLost"),
  "At most one contact can be primary": () => t("messages.sentences.onePrimaryContact"),
  "Only calls and e-mails have a direction": () => t("messages.sentences.directionOnlyCallsEmails"),
  "Link at least one of contactId, leadId, dealId, companyId": () => t("messages.sentences.linkOneRecord"),
  "Give the code of your app, or a backup code": () => t("messages.sentences.giveCode"),
  "Give a code or a backup code, not both": () => t("messages.sentences.codeNotBoth"),
};

/** 12,500.00 in the workspace's number format: the example of a number a field takes. */
const example = () => formatDecimal(12_500, 2);

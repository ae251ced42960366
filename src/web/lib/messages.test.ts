import { afterEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  DateSchema,
  DateTimeSchema,
  DecimalSchema,
  EmailSchema,
  IdSchema,
  TagsSchema,
  text,
  requiredText,
} from "../../shared/schemas/common.ts";
import { missingLinkIssues } from "../../shared/schemas/activity.ts";
import { CreateLeadSchema } from "../../shared/schemas/lead.ts";
import { setLanguage } from "../i18n/i18n.ts";
import { browserFormats, setFormatPreferences } from "./format.ts";
import { inWords } from "./messages.ts";

afterEach(() => setFormatPreferences(browserFormats));

/** The message of the first issue a shared schema finds in `value`: what a form or the server shows. */
function messageOf(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error(`${JSON.stringify(value)} passed`);
  return result.error.issues[0]?.message ?? "";
}

describe("inWords", () => {
  it("says an amount's format by example, in the workspace's number format", () => {
    setFormatPreferences({ ...browserFormats, numberFormat: "1,234.56" });
    expect(inWords("Estimated value", messageOf(DecimalSchema, "abc"))).toBe(
      "Estimated value must be a number, like 12,500.00",
    );
    setFormatPreferences({ ...browserFormats, numberFormat: "1.234,56" });
    expect(inWords("Value", messageOf(DecimalSchema, "12,50"))).toBe("Value must be a number, like 12.500,00");
  });

  it.each([
    ["E-mail", EmailSchema, "ada@", "E-mail must be an e-mail address"],
    ["Title", requiredText(200), "  ", "Title is required"],
    ["Company", IdSchema, "acme", "Choose the company from the list"],
    ["Resource id", IdSchema, "7", "Resource id must be an id, like 0190f6c2-1e2d-7a3b-8c4d-5e6f7a8b9c0d"],
    ["Expected close", DateSchema, "31.12.2026", "Expected close must be a date"],
    ["Expected close", DateSchema, "0201-01-01", "Expected close must be in the years 1900 to 9999"],
    ["Occurred at", DateTimeSchema, "yesterday", "Occurred at must be a date and time"],
    ["Name", text(200), "x".repeat(201), "Name can be at most 200 characters long"],
    ["Tags", TagsSchema, Array.from({ length: 21 }, (_, i) => `t${i}`), "Tags can be at most 20 tags"],
  ] as const)("%s: %j → %j", (label, schema, value, words) => {
    expect(inWords(label, messageOf(schema, value))).toBe(words);
  });

  it("words a message a schema adds about another field", () => {
    const result = CreateLeadSchema.safeParse({ title: "Ada", estimatedValue: "100.00" });
    const issue = result.error?.issues.find((i) => i.path.join(".") === "currency");
    expect(issue && inWords("Currency", issue.message)).toBe("Currency is required with an estimated value");
  });

  it("words the messages the API's problems carry", () => {
    expect(inWords("Subject", "Required (only a note may go without one)")).toBe(
      "Subject is required (only a note may go without one)",
    );
  });

  it("asks for a record when an activity is linked to none, as the shared schema words it", async () => {
    const message = missingLinkIssues[0]?.message ?? "";
    expect(inWords("Contact", message)).toBe("Choose at least one record the activity is about");
    await setLanguage("de");
    expect(inWords("Kontakt", message)).toBe("Wählen Sie mindestens einen Datensatz, um den es geht");
    await setLanguage("en");
  });

  it("shows a sentence it does not know as it is", () => {
    const sentence = "Someone else changed this deal meanwhile. The page now shows their version.";
    expect(inWords("Value", sentence)).toBe(sentence);
  });

  it("speaks German, with the number example in the workspace's format", async () => {
    await setLanguage("de");
    setFormatPreferences({ ...browserFormats, numberFormat: "1.234,56" });
    expect(inWords("Geschätzter Wert", messageOf(DecimalSchema, "abc"))).toBe(
      "Geschätzter Wert muss eine Zahl sein, z. B. 12.500,00",
    );
    expect(inWords("Titel", messageOf(requiredText(200), ""))).toBe("Titel ist erforderlich");
    expect(inWords("Firma", messageOf(IdSchema, "acme"))).toBe("Firma: Bitte wählen Sie einen Eintrag aus der Liste");
    expect(inWords("Name", messageOf(text(200), "x".repeat(201)))).toBe("Name darf höchstens 200 Zeichen lang sein");
    // A sentence it has no German for (a server's) stays as it is, never half translated.
    expect(inWords("Wert", "Must be odd")).toBe("Must be odd");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { browserFormats, setFormatPreferences } from "./format.ts";
import { inWords } from "./messages.ts";

afterEach(() => setFormatPreferences(browserFormats));

describe("inWords", () => {
  it("says an amount's format by example, in the workspace's number format", () => {
    setFormatPreferences({ ...browserFormats, numberFormat: "1,234.56" });
    expect(inWords("Estimated value", 'Must be a decimal string such as "1250.00"')).toBe(
      "Estimated value must be a number, like 12,500.00",
    );
    setFormatPreferences({ ...browserFormats, numberFormat: "1.234,56" });
    expect(inWords("Value", 'Must be a decimal string such as "1250.00"')).toBe(
      "Value must be a number, like 12.500,00",
    );
  });

  it.each([
    ["E-mail", "Must be an e-mail address", "E-mail must be an e-mail address"],
    ["Title", "Required", "Title is required"],
    ["Subject", "Required (only a note may go without one)", "Subject is required (only a note may go without one)"],
    ["Company", "Must be a UUID", "Choose the company from the list"],
    ["Expected close", "Must be a date, YYYY-MM-DD", "Expected close must be a date"],
    ["Occurred at", "Must be an ISO 8601 date-time", "Occurred at must be a date and time"],
    ["Currency", "Required with estimatedValue", "Currency is required with an estimated value"],
    ["Name", "At most 200 characters", "Name can be at most 200 characters long"],
    ["Tags", "At most 20 tags", "Tags can be at most 20 tags"],
    ["Resource id", "Must be a UUID", "Resource id must be an id, like 0190f6c2-1e2d-7a3b-8c4d-5e6f7a8b9c0d"],
  ])("%s: %j → %j", (label, message, words) => {
    expect(inWords(label, message)).toBe(words);
  });

  it("shows a sentence it does not know as it is", () => {
    const sentence = "Someone else changed this deal meanwhile. The page now shows their version.";
    expect(inWords("Value", sentence)).toBe(sentence);
  });
});

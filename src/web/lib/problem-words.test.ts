import { describe, expect, it } from "vitest";
import { setLanguage } from "../i18n/i18n.ts";
import { inWords } from "./messages.ts";
import { problemInWords } from "./problem-words.ts";

const forbidden = (detail: string) => ({ type: "/problems/forbidden", title: "Not allowed", detail });

describe("problemInWords", () => {
  describe("in German", () => {
    it.each([
      ["/problems/unauthenticated", "Wrong e-mail or password.", "E-Mail oder Passwort ist falsch."],
      ["/problems/not-found", "No such contact.", "Kontakt nicht gefunden."],
      ["/problems/not-found", "No such API key.", "API-Schlüssel nicht gefunden."],
      [
        "/problems/rule-violation",
        'The stage "Proposal sent" is archived: choose another stage.',
        "Die Phase „Proposal sent“ ist archiviert: Wählen Sie eine andere Phase.",
      ],
      [
        "/problems/forbidden",
        "Your role (viewer) cannot update contact records.",
        "Ihre Rolle (Betrachter) darf Datensätze vom Typ „Kontakt“ nicht bearbeiten.",
      ],
      [
        "/problems/stale-version",
        "The deal changed since the version you sent (now 4).",
        "Der Datensatz (Deal) wurde seit Ihrer Version geändert (jetzt Version 4).",
      ],
      [
        "/problems/rule-violation",
        "Only a qualified lead converts; this one is lost.",
        "Nur ein qualifizierter Lead kann umgewandelt werden; dieser hat den Status „Verloren“.",
      ],
      [
        "/problems/rate-limited",
        "Too many requests. Try again in 1 minute.",
        "Zu viele Anfragen. Versuchen Sie es in 1 Minute erneut.",
      ],
    ])("%s %j", async (type, detail, german) => {
      await setLanguage("de");
      expect(problemInWords({ type, title: "", detail })).toBe(german);
    });

    it("prefers the more specific of two sentences that match", async () => {
      await setLanguage("de");
      expect(
        problemInWords({ type: "/problems/not-found", title: "Not found", detail: "No such bulk operation." }),
      ).toBe("Diese Massenaktion gibt es nicht.");
      expect(
        problemInWords({ type: "/problems/validation", title: "Invalid request", detail: "No such task: 0190f6c2." }),
      ).toBe("Diese Aufgaben gibt es nicht: 0190f6c2.");
    });

    it("words a detail that repeats its field's message as that message", async () => {
      await setLanguage("de");
      const duplicate = {
        type: "/problems/duplicate",
        title: "Duplicate record",
        detail: "A company with this name already exists.",
        errors: [{ path: "name", message: "A company with this name already exists" }],
      };
      expect(problemInWords(duplicate)).toBe("Eine Firma mit diesem Namen gibt es bereits.");
      const future = {
        type: "/problems/validation",
        title: "Invalid request",
        detail: "Must be in the future",
        errors: [{ path: "expiresAt", message: "Must be in the future" }],
      };
      expect(problemInWords(future)).toBe("Dieses Feld muss in der Zukunft liegen");
      // The same sentence alone, with no field that says it, is not a sentence the web app knows.
      expect(problemInWords({ ...future, errors: [] })).toBe("Must be in the future");
    });

    it("leaves a sentence it has no words for in English, and a word it does not know", async () => {
      await setLanguage("de");
      expect(problemInWords(forbidden("The moon is not in the right phase."))).toBe(
        "The moon is not in the right phase.",
      );
      // An unknown record noun would leave the sentence half English: it stays English whole.
      expect(problemInWords({ type: "/problems/not-found", title: "Not found", detail: "No such spaceship." })).toBe(
        "No such spaceship.",
      );
    });

    it("names a problem without a detail by its type's title", async () => {
      await setLanguage("de");
      expect(problemInWords({ type: "/problems/not-found", title: "Not found" })).toBe("Nicht gefunden");
      expect(problemInWords({ type: "/problems/stale-version", title: "Stale version" })).toBe("Veraltete Version");
      expect(problemInWords({ type: "about:blank", title: "Bad Gateway" })).toBe("Bad Gateway");
    });

    it("words the server's field messages next to their field", async () => {
      await setLanguage("de");
      expect(inWords("Firma", "No such company")).toBe("Firma nicht gefunden");
      expect(inWords("Passwort", "Must be at least 12 characters.")).toBe(
        "Passwort muss mindestens 12 Zeichen lang sein",
      );
      expect(inWords("Passwort", "This is a commonly used password; choose another.")).toBe(
        "Dieses Passwort wird häufig verwendet; wählen Sie ein anderes.",
      );
      expect(inWords("Verlustgrund", "Required when the deal is lost")).toBe(
        "Verlustgrund ist erforderlich, wenn der Deal verloren ist",
      );
      expect(inWords("Status", "Must be completed, cancelled or failed")).toBe(
        "Der Status muss Erledigt, Abgebrochen oder Fehlgeschlagen sein",
      );
      // Not every "Must be …" is a list of statuses.
      expect(inWords("Wert", "Must be odd")).toBe("Must be odd");
    });

    it.each([
      [
        "The issuer is a private address (10.0.0.5), which Keel does not call.",
        "Der Aussteller ist eine Adresse vom Typ „private“ (10.0.0.5), die Keel nicht aufruft.",
      ],
      [
        "The issuer is an unspecified address (0.0.0.0), which Keel does not call.",
        "Der Aussteller ist eine Adresse vom Typ „unspecified“ (0.0.0.0), die Keel nicht aufruft.",
      ],
      [
        "The issuer's host resolves to a cloud metadata address, which Keel does not call.",
        "Der Host des Ausstellers verweist auf eine Adresse vom Typ „cloud metadata“, die Keel nicht aufruft.",
      ],
      [
        "Use an https:// URL: Keel calls a provider over plain http:// only when the server allows its host.",
        "Verwenden Sie eine URL mit https://: Über einfaches http:// ruft Keel einen Anbieter nur auf, wenn der Server dessen Host zulässt.",
      ],
    ])("words the refusal of an SSO issuer %j", async (message, german) => {
      await setLanguage("de");
      const refusal = {
        type: "/problems/validation",
        title: "",
        detail: message,
        errors: [{ path: "issuer", message }],
      };
      expect(problemInWords(refusal)).toBe(german);
      expect(inWords("Aussteller-URL", message)).toBe(german);
    });
  });

  describe("in English", () => {
    it("shows the server's sentence as it is", () => {
      const detail = "Your role (viewer) cannot update contact records.";
      expect(problemInWords(forbidden(detail))).toBe(detail);
      expect(problemInWords({ type: "/problems/not-found", title: "Not found" })).toBe("Not found");
    });
  });
});

import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { actionLabelOf, actorLabelOf, fieldLabelOf, resourceLabelOf } from "./audit-labels.ts";

describe("audit labels", () => {
  it("reads every action as words, also actions added after this app was written", () => {
    expect(actionLabelOf("contact.updated")).toBe("Contact updated");
    expect(actionLabelOf("lead.status_changed")).toBe("Lead status changed");
    expect(actionLabelOf("api_key.created")).toBe("API key created");
    expect(actionLabelOf("auth.sign_in_failed")).toBe("Sign-in failed");
    expect(actionLabelOf("invoice.sent_twice")).toBe("Invoice sent twice");
    expect(actionLabelOf("contact.")).toBe("Contact: any action");
    expect(actionLabelOf("reindex")).toBe("Reindex");
    expect(resourceLabelOf("webhookDelivery")).toBe("Webhook delivery");
  });

  it("names fields as the pages do, and spells out unknown ones", () => {
    expect(fieldLabelOf("jobTitle")).toBe("Job title");
    expect(fieldLabelOf("email")).toBe("E-mail");
    expect(fieldLabelOf("ownerId")).toBe("Owner");
    expect(fieldLabelOf("expectedCloseDate")).toBe("Expected close date");
    expect(fieldLabelOf("custom.shoe_size")).toBe("Shoe size");
    expect(fieldLabelOf("billingPartnerId")).toBe("Billing partner");
  });

  it("speaks German: a phrase per known action, words for nouns, fields and actors", async () => {
    await setLanguage("de");
    expect(actionLabelOf("contact.created")).toBe("Kontakt angelegt");
    expect(actionLabelOf("lead.status_changed")).toBe("Lead-Status geändert");
    expect(actionLabelOf("auth.sign_in_failed")).toBe("Anmeldung fehlgeschlagen");
    expect(actionLabelOf("api_key.created")).toBe("API-Schlüssel angelegt");
    // An action this app does not know: its noun and verb in German where there are words for them.
    expect(actionLabelOf("company.exported")).toBe("Firma exportiert");
    expect(actionLabelOf("contact.")).toBe("Kontakt: alle Aktionen");
    expect(resourceLabelOf("webhookDelivery")).toBe("Webhook-Zustellung");
    expect(fieldLabelOf("ownerId")).toBe("Verantwortlich");
    expect(fieldLabelOf("expectedCloseDate")).toBe("Voraussichtliches Abschlussdatum");
    expect(fieldLabelOf("billingPartnerId")).toBe("Billing partner");
    const actor = { type: "apiKey" as const, id: null, name: "Zapier", onBehalfOf: null };
    expect(actorLabelOf({ actor, details: null })).toBe("API-Schlüssel Zapier");
    expect(actorLabelOf({ actor: { ...actor, type: "system" }, details: null })).toBe("Keel");
  });

  it("names the actor: member, API key, Keel, or the address of a failed sign-in", () => {
    const actor = { type: "user" as const, id: null, name: null, onBehalfOf: null };
    expect(actorLabelOf({ actor: { ...actor, type: "system" }, details: null })).toBe("Keel");
    expect(actorLabelOf({ actor: { ...actor, type: "apiKey", name: "Zapier" }, details: null })).toBe("API key Zapier");
    expect(actorLabelOf({ actor, details: { email: "mallory@example.com" } })).toBe("mallory@example.com");
    expect(actorLabelOf({ actor: { ...actor, id: "0190f6c2-0000-7000-8000-0000000000e9" }, details: null })).toBe(
      "A former member",
    );
  });
});

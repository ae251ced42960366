import { describe, expect, it } from "vitest";
import { auditQueryOf } from "./audit-query.ts";
import { parseAuditSearch } from "./audit-search.ts";

describe("audit filters", () => {
  it("keeps what the URL holds, dropping only what is not text", () => {
    expect(parseAuditSearch({ action: " contact. ", actorType: "robot", resourceId: 12, from: "" })).toEqual({
      actorId: undefined,
      actorType: undefined,
      resourceType: undefined,
      resourceId: undefined,
      action: "contact.",
      from: undefined,
      to: undefined,
    });
  });

  it("checks filters with the API's schema and turns days into instants", () => {
    expect(auditQueryOf({ resourceId: "12345", from: "someday" })).toEqual({
      isValid: false,
      errors: { resourceId: "Must be a UUID", from: "Must be a date" },
    });
    expect(auditQueryOf({ from: "2026-03-05", to: "2026-03-01" })).toEqual({
      isValid: false,
      errors: { to: "Must not be before the first day" },
    });
    expect(auditQueryOf({ action: "contact.", to: "2026-03-31" })).toEqual({
      isValid: true,
      filters: { action: "contact.", to: new Date(2026, 3, 1).toISOString() },
    });
  });
});

import { describe, expect, it } from "vitest";
import { ConvertLeadSchema } from "../../../shared/schemas/lead.ts";
import { convertBody, convertDefaults, convertFieldOf } from "./convert-lead.ts";
import type { LeadRow } from "./leads.api.ts";

const lead = { title: "Acme rollout", estimatedValue: "1200.00", currency: "EUR" } as LeadRow;

describe("convertBody", () => {
  it("keeps the lead's company and contacts and takes the deal from the lead by default", () => {
    const body = convertBody(convertDefaults(lead));
    expect(body).toEqual({
      deal: {
        name: "Acme rollout",
        value: "1200.00",
        currency: "EUR",
        pipelineId: undefined,
        stageId: undefined,
        expectedCloseDate: null,
      },
    });
    expect(ConvertLeadSchema.safeParse(body).success).toBe(true);
  });

  it("creates a company and a contact when asked to", () => {
    const body = convertBody({
      ...convertDefaults(lead),
      companyMode: "new",
      companyName: "Acme",
      contactMode: "new",
      contactFirstName: "Ada",
      contactEmail: " ada@acme.test ",
    });
    expect(body.company).toEqual({ name: "Acme", domain: null });
    expect(body.contact).toEqual({ firstName: "Ada", lastName: "", email: "ada@acme.test", phone: null });
    expect(body.companyId).toBeUndefined();
    expect(ConvertLeadSchema.safeParse(body).success).toBe(true);
  });

  it("links existing records by id", () => {
    const id = "0190f6c2-0000-7000-8000-000000000001";
    const body = convertBody({
      ...convertDefaults(lead),
      companyMode: "existing",
      companyId: id,
      contactMode: "existing",
      contactIds: [id],
    });
    expect(body).toMatchObject({ companyId: id, contactIds: [id] });
  });
});

describe("convertFieldOf", () => {
  it("puts server paths on the dialog's inputs", () => {
    expect(convertFieldOf("deal.value")).toBe("dealValue");
    expect(convertFieldOf("company.name")).toBe("companyName");
    expect(convertFieldOf("contactIds.2")).toBe("contactIds");
    expect(convertFieldOf("status")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { setLanguage } from "../../i18n/i18n.ts";
import { mockApi, renderWithProviders, screen } from "../../test/render.tsx";
import { countLabel } from "./list-count.ts";
import { ListCount } from "./ListCount.tsx";

const noun = { one: "contact", other: "contacts" };

describe("countLabel", () => {
  it("gives exact counts in full, with the noun's number", () => {
    expect(countLabel({ count: 0 }, noun)).toBe("0 contacts");
    expect(countLabel({ count: 1 }, noun)).toBe("1 contact");
    expect(countLabel({ count: 1234 }, noun)).toMatch(/^1.234 contacts$/);
  });

  it("gives estimates rounded and marked about", () => {
    expect(countLabel({ count: 1_234_567, isEstimate: true }, noun)).toBe("about 1.2M contacts");
    expect(countLabel({ count: 10_001, isEstimate: true }, noun)).toBe("about 10K contacts");
  });

  it("speaks German, with German grouping, when the interface is German", async () => {
    await setLanguage("de");
    const kontakte = { one: "Kontakt", other: "Kontakte" };
    expect(countLabel({ count: 12_345 }, kontakte)).toBe("12.345 Kontakte");
    expect(countLabel({ count: 1_234_567, isEstimate: true }, kontakte)).toMatch(/^etwa 1,2\sMio\. Kontakte$/);
  });
});

describe("ListCount", () => {
  it("asks for the count of the list's search and filters only, and announces it", async () => {
    const api = mockApi({ "GET /api/v1/contacts/count": { body: { count: 2_400_000, isEstimate: true } } });
    await renderWithProviders(
      <ListCount
        collection="contacts"
        q="ada"
        filters={[{ field: "lifecycle", op: "eq", value: "lead" }]}
        noun={noun}
      />,
    );
    expect(await screen.findByText("about 2.4M contacts")).toBe(screen.getByRole("status"));
    const asked = api.calls[0]?.url.searchParams;
    expect(asked?.get("q")).toBe("ada");
    expect(asked?.get("filter[lifecycle][eq]")).toBe("lead");
    expect(asked?.has("limit")).toBe(false);
    expect(asked?.has("sort")).toBe(false);
  });
});

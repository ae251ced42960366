import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ActivityBody, isSafeHref } from "./ActivityBody.tsx";

describe("ActivityBody", () => {
  it("turns bullet lines into a list and keeps the lines around it as paragraphs", () => {
    render(<ActivityBody text={"Agenda:\n- pricing\n- *timeline*\nThanks"} />);
    const items = within(screen.getByRole("list")).getAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual(["pricing", "timeline"]);
    expect(within(items[1] as HTMLElement).getByText("timeline").tagName).toBe("EM");
    expect(screen.getByText("Agenda:").tagName).toBe("SPAN");
    expect(screen.getByText("Thanks")).toBeTruthy();
  });

  it("follows only http, https and mailto links", () => {
    expect(isSafeHref("https://example.com")).toBe(true);
    expect(isSafeHref("mailto:ada@example.com")).toBe(true);
    for (const href of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,x",
      "vbscript:x",
      "//evil.example",
    ]) {
      expect(isSafeHref(href)).toBe(false);
    }
  });
});

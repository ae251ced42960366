import { describe, expect, it } from "vitest";
import { sectionOf, withSection } from "./doc-sections.ts";

describe("benchmark document sections", () => {
  it("appends a section, then replaces it in place, keeping the rest", () => {
    const first = withSection("# Benchmarks\n\nAPI figures\n", "web-app", "## Web app\n\nv1");
    expect(first).toBe(
      "# Benchmarks\n\nAPI figures\n\n<!-- web-app:start -->\n## Web app\n\nv1\n<!-- web-app:end -->\n",
    );
    const second = withSection(`${first}\nAfter\n`, "web-app", "## Web app\n\nv2");
    expect(second).toContain("API figures");
    expect(second).toContain("v2");
    expect(second).not.toContain("v1");
    expect(second).toContain("After");
    expect(sectionOf(second, "web-app")).toBe("<!-- web-app:start -->\n## Web app\n\nv2\n<!-- web-app:end -->");
    expect(sectionOf("no markers", "web-app")).toBe("");
  });
});

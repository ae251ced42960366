import { describe, expect, it } from "vitest";
import { findDependencyCycle, toEdges } from "./tasks.graph.ts";

const edges = (...pairs: [string, string][]) =>
  toEdges(pairs.map(([taskId, dependsOnId]) => ({ taskId, dependsOnId })));

describe("findDependencyCycle", () => {
  it("finds nothing in an acyclic graph, diamonds included", () => {
    const graph = edges(["b", "c"], ["b", "d"], ["c", "e"], ["d", "e"]);
    expect(findDependencyCycle("a", ["b"], graph)).toBeNull();
    expect(findDependencyCycle("a", [], graph)).toBeNull();
  });

  it("refuses a task depending on itself", () => {
    expect(findDependencyCycle("a", ["b", "a"], edges())).toEqual(["a", "a"]);
  });

  it("finds a direct cycle", () => {
    expect(findDependencyCycle("a", ["b"], edges(["b", "a"]))).toEqual(["a", "b", "a"]);
  });

  it("finds a long cycle and reports it in dependency order", () => {
    const graph = edges(["b", "c"], ["c", "d"], ["d", "a"]);
    expect(findDependencyCycle("a", ["b"], graph)).toEqual(["a", "b", "c", "d", "a"]);
  });

  it("reports the shortest of several cycles", () => {
    const graph = edges(["b", "c"], ["c", "d"], ["d", "a"], ["e", "a"]);
    expect(findDependencyCycle("a", ["b", "e"], graph)).toEqual(["a", "e", "a"]);
  });

  it("ignores the task's current edges, which the new set replaces", () => {
    expect(findDependencyCycle("a", ["b"], edges(["a", "z"], ["z", "a"]))).toBeNull();
  });

  it("terminates on cycles that do not involve the task", () => {
    const graph = edges(["b", "c"], ["c", "b"]);
    expect(findDependencyCycle("a", ["b"], graph)).toBeNull();
  });
});

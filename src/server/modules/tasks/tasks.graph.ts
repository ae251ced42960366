/** Dependency edges: a task id → the ids of the tasks it depends on. */
export type DependencyEdges = ReadonlyMap<string, readonly string[]>;

/**
 * The cycle that giving `taskId` the dependencies `dependsOn` would close, as the path
 * `[taskId, …, taskId]` (shortest first), or null when the graph stays acyclic. `taskId`'s own
 * current edges are ignored, because the new set replaces them.
 */
export function findDependencyCycle(
  taskId: string,
  dependsOn: readonly string[],
  edges: DependencyEdges,
): string[] | null {
  const cameFrom = new Map<string, string>();
  const queue: string[] = [];
  for (const id of dependsOn) {
    if (id === taskId) return [taskId, taskId];
    if (!cameFrom.has(id)) {
      cameFrom.set(id, taskId);
      queue.push(id);
    }
  }
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const id of edges.get(next) ?? []) {
      if (id === taskId) return pathBack(next, cameFrom, taskId);
      if (!cameFrom.has(id)) {
        cameFrom.set(id, next);
        queue.push(id);
      }
    }
  }
  return null;
}

function pathBack(last: string, cameFrom: ReadonlyMap<string, string>, taskId: string): string[] {
  const backwards: string[] = [];
  for (let id = last; id !== taskId; id = cameFrom.get(id) ?? taskId) backwards.push(id);
  return [taskId, ...backwards.reverse(), taskId];
}

/** Builds the edge map from `(taskId, dependsOnId)` pairs. */
export function toEdges(pairs: readonly { taskId: string; dependsOnId: string }[]): DependencyEdges {
  const edges = new Map<string, string[]>();
  for (const { taskId, dependsOnId } of pairs) edges.set(taskId, [...(edges.get(taskId) ?? []), dependsOnId]);
  return edges;
}

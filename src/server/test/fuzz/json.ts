import type { Fixtures } from "./fixtures.ts";
import { FromFixtures, RawJson, withKey } from "./hostile.ts";

/** Replaces fixture references by their current value, keeping own `__proto__` keys. */
export function resolveValue(value: unknown, fx: Fixtures): unknown {
  if (value instanceof FromFixtures) return value.pick(fx);
  if (value instanceof RawJson || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, fx));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) withKey(copy, key, resolveValue(item, fx));
  return copy;
}

/** JSON text of a body, with RawJson parts spliced in as they are. */
export function jsonText(value: unknown, fx: Fixtures): string {
  const raws: string[] = [];
  const text = JSON.stringify(resolveValue(value, fx), (_key, item: unknown) =>
    item instanceof RawJson ? `\u0000raw${raws.push(item.text) - 1}\u0000` : item,
  );
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, index: string) => raws[Number(index)] ?? "");
}

/** Totals of one currency in a kanban column: amounts are summed in cents, never as floats. */
export type CurrencyTotal = { currency: string; value: string; weightedValue: string };

type Priced = { value: string; currency: string; probability: number };

function toCents(amount: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) return 0n;
  const cents = BigInt(match[2] ?? "0") * 100n + BigInt((match[3] ?? "").padEnd(2, "0") || "0");
  return match[1] ? -cents : cents;
}

function fromCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/**
 * Sum of values and of value × probability / 100, per currency (Keel keeps no exchange rates,
 * so currencies are never added together), the currency with the most deals first.
 */
export function totalsByCurrency(deals: readonly Priced[]): CurrencyTotal[] {
  const sums = new Map<string, { count: number; value: bigint; weighted: bigint }>();
  for (const deal of deals) {
    const sum = sums.get(deal.currency) ?? { count: 0, value: 0n, weighted: 0n };
    const cents = toCents(deal.value);
    sum.count += 1;
    sum.value += cents;
    sum.weighted += cents * BigInt(Math.round(deal.probability));
    sums.set(deal.currency, sum);
  }
  return [...sums.entries()]
    .sort(([, a], [, b]) => b.count - a.count)
    .map(([currency, sum]) => ({
      currency,
      value: fromCents(sum.value),
      weightedValue: fromCents(sum.weighted / 100n),
    }));
}

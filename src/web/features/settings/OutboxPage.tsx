/** Placeholder: Mail outbox (being built). */
export function OutboxPage() {
  return <h1 className="p-6 text-xl font-semibold">Mail outbox</h1>;
}

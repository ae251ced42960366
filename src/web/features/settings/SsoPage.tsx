/** Placeholder: Single sign-on (being built). */
export function SsoPage() {
  return <h1 className="p-6 text-xl font-semibold">Single sign-on</h1>;
}

/** Placeholder: Verify your e-mail (being built). */
export function VerifyEmailPage() {
  return <h1 className="p-6 text-xl font-semibold">Verify your e-mail</h1>;
}

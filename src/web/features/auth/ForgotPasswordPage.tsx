/** Placeholder: Forgot password (being built). */
export function ForgotPasswordPage() {
  return <h1 className="p-6 text-xl font-semibold">Forgot password</h1>;
}

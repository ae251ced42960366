/** Placeholder: Choose a new password (being built). */
export function ResetPasswordPage() {
  return <h1 className="p-6 text-xl font-semibold">Choose a new password</h1>;
}

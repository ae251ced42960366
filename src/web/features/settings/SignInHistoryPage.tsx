/** Placeholder: Sign-in history (being built). */
export function SignInHistoryPage() {
  return <h1 className="p-6 text-xl font-semibold">Sign-in history</h1>;
}

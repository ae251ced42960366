/** Placeholder: Sign in with single sign-on (being built). */
export function SsoSignInPage() {
  return <h1 className="p-6 text-xl font-semibold">Sign in with single sign-on</h1>;
}

/** Placeholder: Create your account (being built). */
export function SignUpPage() {
  return <h1 className="p-6 text-xl font-semibold">Create your account</h1>;
}

/** Placeholder: Join a workspace (being built). */
export function AcceptInvitationPage() {
  return <h1 className="p-6 text-xl font-semibold">Join a workspace</h1>;
}

/** Placeholder: Invitations (being built). */
export function InvitationsPage() {
  return <h1 className="p-6 text-xl font-semibold">Invitations</h1>;
}

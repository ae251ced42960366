/** Placeholder: Profile (being built). */
export function ProfilePage() {
  return <h1 className="p-6 text-xl font-semibold">Profile</h1>;
}

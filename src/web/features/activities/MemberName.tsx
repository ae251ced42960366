import { useMembers } from "../users/users.api.ts";

/** A workspace member's name by id (activities record who logged them, not an owner object). */
export function MemberName({ id, fallback = "—" }: { id: string | null; fallback?: string }) {
  const members = useMembers();
  if (!id) return <>{fallback}</>;
  return <>{members.data?.find((member) => member.id === id)?.name ?? fallback}</>;
}

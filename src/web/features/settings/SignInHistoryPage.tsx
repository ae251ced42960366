import { useState } from "react";
import { EmptyState, PageHeader } from "../../components/Feedback.tsx";
import { SelectField } from "../../components/Field.tsx";
import { useCan } from "../auth/session.ts";
import { useMembers } from "../users/users.api.ts";
import type { SignInRow } from "./profile.api.ts";
import { useWorkspaceSignIns } from "./sign-ins.api.ts";
import { SignInList } from "./SignInList.tsx";

/** Settings → Sign-in history (admins): every sign-in attempt on the members' accounts, one member's at a time if chosen. */
export function SignInHistoryPage() {
  const can = useCan();
  const [userId, setUserId] = useState("");
  const members = useMembers();
  const pages = useWorkspaceSignIns(userId || undefined, can("read", "signIn"));
  if (!can("read", "signIn"))
    return (
      <>
        <PageHeader title="Sign-in history" />
        <EmptyState title="Only admins see the workspace’s sign-in history." />
      </>
    );

  const names = new Map((members.data ?? []).map((m) => [m.id, m.name]));
  const whoOf = (attempt: SignInRow) => {
    const name = attempt.userId ? names.get(attempt.userId) : undefined;
    return name ? `${name} (${attempt.email})` : attempt.email;
  };
  const options = (members.data ?? []).map((m) => ({ value: m.id, label: `${m.name} (${m.email})` }));

  return (
    <>
      <PageHeader title="Sign-in history" />
      <div className="flex max-w-3xl flex-col gap-4 p-4">
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Sign-ins to the accounts of this workspace’s members, newest first, failed ones too: many failures in a row
          mean someone is guessing a password. Attempts with an address that has no account are not shown.
        </p>
        <div className="sm:max-w-xs">
          <SelectField
            label="Member"
            options={options}
            placeholder="Everyone"
            value={userId}
            onChange={(event) => setUserId(event.target.value)}
          />
        </div>
        <SignInList
          label="Sign-ins"
          pages={pages}
          whoOf={whoOf}
          emptyTitle={userId ? "No sign-ins of this member yet" : "No sign-ins yet"}
        />
      </div>
    </>
  );
}

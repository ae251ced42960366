import { useMySignIns } from "./profile.api.ts";
import { ProfileSection } from "./ProfileSection.tsx";
import { SignInList } from "./SignInList.tsx";

/** Profile → my sign-in history: every attempt on my account, failed ones too. */
export function MySignIns() {
  const pages = useMySignIns();
  return (
    <ProfileSection
      title="Sign-in history"
      description="Every attempt to sign in to your account. Failures you did not make mean someone tried your password."
    >
      <SignInList label="My sign-ins" pages={pages} emptyTitle="No sign-ins yet" />
    </ProfileSection>
  );
}

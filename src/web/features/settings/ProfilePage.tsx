import { PageHeader } from "../../components/Feedback.tsx";
import { ChangePasswordForm } from "./ChangePasswordForm.tsx";
import { MySessions } from "./MySessions.tsx";
import { MySignIns } from "./MySignIns.tsx";
import { ProfileNameForm } from "./ProfileNameForm.tsx";
import { TwoFactorSection } from "./TwoFactorSection.tsx";

/** Settings → Profile (everyone): name, password, two-factor sign-in, sessions and sign-in history. */
export function ProfilePage() {
  return (
    <>
      <PageHeader title="Profile" />
      <div className="flex max-w-3xl flex-col gap-8 p-4">
        <ProfileNameForm />
        <ChangePasswordForm />
        <TwoFactorSection />
        <MySessions />
        <MySignIns />
      </div>
    </>
  );
}

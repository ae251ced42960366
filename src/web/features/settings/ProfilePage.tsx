import { useTranslation } from "react-i18next";
import { PageHeader } from "../../components/Feedback.tsx";
import { ChangePasswordForm } from "./ChangePasswordForm.tsx";
import { MySessions } from "./MySessions.tsx";
import { MySignIns } from "./MySignIns.tsx";
import { ProfileLanguageForm } from "./ProfileLanguageForm.tsx";
import { ProfileNameForm } from "./ProfileNameForm.tsx";
import { TwoFactorSection } from "./TwoFactorSection.tsx";

/** Settings → Profile (everyone): name, language, password, two-factor sign-in, sessions and sign-in history. */
export function ProfilePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("settings.profile.title")} />
      <div className="flex max-w-3xl flex-col gap-8 p-4">
        <ProfileNameForm />
        <ProfileLanguageForm />
        <ChangePasswordForm />
        <TwoFactorSection />
        <MySessions />
        <MySignIns />
      </div>
    </>
  );
}

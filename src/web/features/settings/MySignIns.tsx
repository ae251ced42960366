import { useTranslation } from "react-i18next";
import { useMySignIns } from "./profile.api.ts";
import { ProfileSection } from "./ProfileSection.tsx";
import { SignInList } from "./SignInList.tsx";

/** Profile → my sign-in history: every attempt on my account, failed ones too. */
export function MySignIns() {
  const { t } = useTranslation();
  const pages = useMySignIns();
  return (
    <ProfileSection title={t("settings.profile.signIns.title")} description={t("settings.profile.signIns.description")}>
      <SignInList
        label={t("settings.profile.signIns.listLabel")}
        pages={pages}
        emptyTitle={t("settings.signIns.empty")}
      />
    </ProfileSection>
  );
}

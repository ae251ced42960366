import { useState } from "react";
import { useTranslation } from "react-i18next";
import { EmptyState, PageHeader } from "../../components/Feedback.tsx";
import { SelectField } from "../../components/Field.tsx";
import { useCan } from "../auth/session.ts";
import { useMembers } from "../users/users.api.ts";
import type { SignInRow } from "./profile.api.ts";
import { useWorkspaceSignIns } from "./sign-ins.api.ts";
import { SignInList } from "./SignInList.tsx";

/** Settings → Sign-in history (admins): every sign-in attempt on the members' accounts, one member's at a time if chosen. */
export function SignInHistoryPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [userId, setUserId] = useState("");
  const members = useMembers();
  const pages = useWorkspaceSignIns(userId || undefined, can("read", "signIn"));
  if (!can("read", "signIn"))
    return (
      <>
        <PageHeader title={t("settings.signInHistory.title")} />
        <EmptyState title={t("settings.signInHistory.onlyAdmins")} />
      </>
    );

  const names = new Map((members.data ?? []).map((m) => [m.id, m.name]));
  const whoOf = (attempt: SignInRow) => {
    const name = attempt.userId ? names.get(attempt.userId) : undefined;
    return name ? t("settings.signInHistory.person", { name, email: attempt.email }) : attempt.email;
  };
  const options = (members.data ?? []).map((m) => ({
    value: m.id,
    label: t("settings.signInHistory.person", { name: m.name, email: m.email }),
  }));

  return (
    <>
      <PageHeader title={t("settings.signInHistory.title")} />
      <div className="flex max-w-3xl flex-col gap-4 p-4">
        <p className="text-sm text-slate-600 dark:text-slate-300">{t("settings.signInHistory.intro")}</p>
        <div className="sm:max-w-xs">
          <SelectField
            label={t("settings.signInHistory.member")}
            options={options}
            placeholder={t("settings.signInHistory.everyone")}
            value={userId}
            onChange={(event) => setUserId(event.target.value)}
          />
        </div>
        <SignInList
          label={t("settings.signInHistory.listLabel")}
          pages={pages}
          whoOf={whoOf}
          emptyTitle={userId ? t("settings.signInHistory.emptyMember") : t("settings.signIns.empty")}
        />
      </div>
    </>
  );
}

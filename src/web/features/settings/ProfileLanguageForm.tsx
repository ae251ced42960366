import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { languageNames, languages } from "../../../shared/languages.ts";
import { FieldFrame, inputClass } from "../../components/Field.tsx";
import { browserLanguage } from "../../i18n/i18n.ts";
import { useSession } from "../auth/session.ts";
import { useUpdateLanguage } from "./profile.api.ts";
import { ProfileSection } from "./ProfileSection.tsx";

/** The select's value for "follow the browser" (the API's null). */
const browserDefault = "";

/**
 * Profile → language: the browser's (the default) or one Keel speaks, each named in itself. Saved
 * as soon as it is chosen; the app then speaks it everywhere, in every browser this person uses.
 */
export function ProfileLanguageForm() {
  const { t } = useTranslation();
  const { user } = useSession();
  const update = useUpdateLanguage();
  const chosen = update.isPending ? update.variables : user.locale;

  const choose = async (value: string) => {
    const locale = languages.find((language) => language === value) ?? null;
    try {
      // Awaited, not a callback of mutate: the switch of language draws this page anew.
      await update.mutateAsync(locale);
      toast.success(t("settings.profile.language.saved", { lng: locale ?? browserLanguage() }));
    } catch {
      // The app's mutation defaults show the refusal.
    }
  };

  return (
    <ProfileSection
      title={t("settings.profile.language.title")}
      description={t("settings.profile.language.description")}
    >
      <div className="sm:max-w-md">
        <FieldFrame
          label={t("settings.profile.language.label")}
          hint={t("settings.profile.language.hint", { language: languageNames[browserLanguage()] })}
        >
          {({ id, describedBy }) => (
            <select
              id={id}
              aria-describedby={describedBy}
              className={inputClass}
              value={chosen ?? browserDefault}
              onChange={(event) => void choose(event.target.value)}
            >
              <option value={browserDefault}>{t("settings.profile.language.browserDefault")}</option>
              {/* Each language in itself, marked so that screen readers pronounce it so. */}
              {languages.map((language) => (
                <option key={language} value={language} lang={language}>
                  {languageNames[language]}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
      </div>
    </ProfileSection>
  );
}

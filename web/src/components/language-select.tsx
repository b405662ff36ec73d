import { type Language, useI18n } from "../i18n/i18n.js";

/** The language switch: in the header, and on the login page. */
export function LanguageSelect() {
  const { t, language, setLanguage } = useI18n();
  return (
    <label>
      {t("language")}{" "}
      <select
        value={language}
        onChange={(e) => setLanguage(e.target.value as Language)}
        data-testid="language-select"
      >
        <option value="fr" lang="fr">
          Français
        </option>
        <option value="en" lang="en">
          English
        </option>
      </select>
    </label>
  );
}

import type { Published } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/** "Computed on … at …", on every page; a banner when stale or when the last batch failed. */
export function StatusBar({ publication }: { publication: Published }) {
  const { t, language } = useI18n();
  const at = new Date(publication.computedAt);
  const locale = language === "en" ? "en-GB" : "fr-FR";
  return (
    <div className="status">
      <p className="computed-at" data-testid="computed-at">
        {t("computedAt", {
          date: at.toLocaleDateString(locale),
          time: at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }),
        })}
      </p>
      {publication.stale && (
        <p className="banner warning" role="alert" data-testid="stale-banner">
          {t("stale", { hours: publication.staleAfterHours })}
        </p>
      )}
      {publication.lastFailure && (
        <p className="banner error" role="alert">
          {t("lastFailure", {
            date: new Date(publication.lastFailure.startedAt).toLocaleString(locale),
            error: publication.lastFailure.error ?? "?",
          })}
        </p>
      )}
    </div>
  );
}

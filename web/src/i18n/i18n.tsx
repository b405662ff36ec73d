import { createContext, type ReactNode, useContext, useMemo, useState } from "react";
import { en, fr, type Messages } from "./messages.js";

export type Language = "fr" | "en";

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: keyof Messages, params?: Record<string, string | number>) => string;
  number: (value: number | null | undefined, digits?: number) => string;
  money: (value: number | null | undefined) => string;
  percent: (value: number | null | undefined) => string;
  date: (iso: string | null | undefined) => string;
  /** An internal code (LOCAL, prophet_like…) in words, or the code itself when it has no words. */
  label: (prefix: string, code: string) => string;
  /** A failed request in the user's language: the server's code, never its English text. */
  errorText: (error: unknown) => string;
}

const I18nContext = createContext<I18n | null>(null);
const LOCALES: Record<Language, string> = { fr: "fr-FR", en: "en-GB" };

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    localStorage.getItem("optiflow.language") === "en" ? "en" : "fr",
  );
  const value = useMemo<I18n>(() => {
    const messages = language === "en" ? en : fr;
    const locale = LOCALES[language];
    const dash = "–";
    return {
      language,
      setLanguage: (l) => {
        localStorage.setItem("optiflow.language", l);
        document.documentElement.lang = l;
        setLanguageState(l);
      },
      t: (key, params) =>
        Object.entries(params ?? {}).reduce(
          (text, [k, v]) => text.replaceAll(`{${k}}`, String(v)),
          messages[key],
        ),
      number: (v, digits = 0) =>
        v === null || v === undefined || !Number.isFinite(v)
          ? dash
          : v.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }),
      money: (v) =>
        v === null || v === undefined || !Number.isFinite(v)
          ? dash
          : v.toLocaleString(locale, {
              style: "currency",
              currency: "EUR",
              maximumFractionDigits: 0,
            }),
      percent: (v) =>
        v === null || v === undefined || !Number.isFinite(v)
          ? dash
          : `${(v * 100).toLocaleString(locale, { maximumFractionDigits: 1 })} %`,
      date: (iso) =>
        iso
          ? new Date(`${iso.slice(0, 10)}T12:00:00Z`).toLocaleDateString(locale, {
              day: "numeric",
              month: "short",
              year: "numeric",
            })
          : dash,
      label: (prefix, code) => {
        const text = (messages as Record<string, string>)[`${prefix}_${code}`];
        return text ?? code;
      },
      errorText: (error) =>
        error instanceof TypeError ? messages.err_network : translateError(messages, error),
    };
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function translateError(messages: Messages, error: unknown): string {
  const { code, field } = (error ?? {}) as { code?: string; field?: string | null };
  const key = `err_${code ?? "network"}` as keyof Messages;
  const text = messages[key] ?? messages.err_internal;
  // The field as the user saw it: "body/impactPct" → "impactPct".
  return text.replaceAll("{field}", (field ?? "").split("/").pop() || "?");
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

import { createContext, type ReactNode, useContext, useMemo, useState } from "react";
import { fillMessage } from "./fill-message.js";
import { en, fr, type Messages } from "./messages.js";

export type Language = "fr" | "en";

interface I18n {
  language: Language;
  locale: string;
  setLanguage: (language: Language) => void;
  t: (key: keyof Messages, params?: Record<string, string | number>) => string;
  number: (value: number | null | undefined, digits?: number) => string;
  money: (value: number | null | undefined, digits?: number) => string;
  percent: (value: number | null | undefined) => string;
  /**
   * A precision (1 − WAPE) as a percentage. Below zero (the error exceeded the sales, as a single
   * slow article's can) it reads 0 % with the error itself: a negative precision means nothing to
   * a reader.
   */
  precision: (value: number | null | undefined) => string;
  date: (iso: string | null | undefined) => string;
  /** An internal code (LOCAL, prophet_like…) in words, or the code itself when it has no words. */
  label: (prefix: string, code: string) => string;
  /** A model's name in words, ensembles included. */
  modelName: (model: string | null | undefined) => string;
  /** A failed request in the user's language: the server's code, never its English text. */
  errorText: (error: unknown) => string;
  /** The messages themselves, for text put together from codes (data-check-text.ts). */
  messages: Messages;
}

const I18nContext = createContext<I18n | null>(null);
const LOCALES: Record<Language, string> = { fr: "fr-FR", en: "en-GB" };
const STORAGE_KEY = "optiflow.language";

function storedLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  const language: Language = stored === "en" ? "en" : "fr";
  // Set before the first render: a cold English load must not announce French.
  document.documentElement.lang = language;
  return language;
}

function translateError(messages: Messages, error: unknown): string {
  const { code, field, values } = (error ?? {}) as {
    code?: string;
    field?: string | null;
    values?: Record<string, number>;
  };
  const text =
    (messages as Record<string, string>)[`err_${code ?? "network"}`] ?? messages.err_internal;
  // The field as the user saw it: "body/impactPct" → "impactPct".
  return fillMessage(text, { ...values, field: (field ?? "").split("/").pop() || "?" });
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage);
  const value = useMemo<I18n>(() => {
    const messages = language === "en" ? en : fr;
    const locale = LOCALES[language];
    const dash = "–";
    const percent = (v: number | null | undefined) =>
      v === null || v === undefined || !Number.isFinite(v)
        ? dash
        : `${(v * 100).toLocaleString(locale, { maximumFractionDigits: 1 })} %`;
    const label = (prefix: string, code: string) =>
      (messages as Record<string, string>)[`${prefix}_${code}`] ?? code;
    return {
      language,
      locale,
      messages,
      setLanguage: (l) => {
        localStorage.setItem(STORAGE_KEY, l);
        document.documentElement.lang = l;
        setLanguageState(l);
      },
      t: (key, params) => fillMessage(messages[key], params),
      number: (v, digits = 0) =>
        v === null || v === undefined || !Number.isFinite(v)
          ? dash
          : v.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }),
      money: (v, digits = 0) =>
        v === null || v === undefined || !Number.isFinite(v)
          ? dash
          : v.toLocaleString(locale, {
              style: "currency",
              currency: "EUR",
              maximumFractionDigits: digits,
              minimumFractionDigits: digits,
            }),
      percent,
      precision: (v) =>
        v === null || v === undefined || !Number.isFinite(v) || v >= 0
          ? percent(v)
          : fillMessage(messages.precisionBelowZero, { error: percent(1 - v) }),
      date: (iso) =>
        iso
          ? new Date(`${iso.slice(0, 10)}T12:00:00Z`).toLocaleDateString(locale, {
              day: "numeric",
              month: "short",
              year: "numeric",
              timeZone: "UTC",
            })
          : dash,
      label,
      modelName: (model) => {
        if (!model) return dash;
        const ensemble = /^ensemble\((.*)\)$/.exec(model);
        if (!ensemble) return label("model", model);
        return fillMessage(messages.model_ensemble, {
          members: (ensemble[1] ?? "")
            .split("+")
            .map((m) => label("model", m))
            .join(", "),
        });
      },
      errorText: (error) =>
        error instanceof TypeError ? messages.err_network : translateError(messages, error),
    };
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

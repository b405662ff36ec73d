import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { LanguageSelect } from "../components/language-select.js";
import { useI18n } from "../i18n/i18n.js";

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { t, errorText } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    try {
      await api.login(String(form.get("login") ?? ""), String(form.get("password") ?? ""));
      onLoggedIn();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="panel" data-testid="login-form">
        <h1>{t("loginTitle")}</h1>
        <LanguageSelect />
        <label>
          {t("loginName")}
          <input name="login" autoComplete="username" required />
        </label>
        <label>
          {t("password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit">{t("signIn")}</button>
        {error && (
          <p className="banner error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

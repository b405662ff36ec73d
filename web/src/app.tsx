import { useEffect, useState } from "react";
import type { OrderLine } from "./api/client.js";
import { api } from "./api/client.js";
import { AsyncView } from "./components/state-views.js";
import { useAsync } from "./components/use-async.js";
import { type Language, useI18n } from "./i18n/i18n.js";
import { AlertsPage } from "./pages/alerts-page.js";
import { DashboardPage } from "./pages/dashboard-page.js";
import { LoginPage } from "./pages/login-page.js";
import { PredictionsPage } from "./pages/predictions-page.js";

type Page = "alertes" | "dashboard" | "predictions";

function pageFromHash(): Page {
  const hash = window.location.hash.replace(/^#\/?/, "");
  return hash.startsWith("dashboard")
    ? "dashboard"
    : hash.startsWith("predictions")
      ? "predictions"
      : "alertes";
}

/** Signs in first when the server asks for it (a user exists, or not on loopback). */
export function App() {
  const [session, reload] = useAsync(() => api.session(), []);
  if (session.status === "loading") return null;
  if (session.status === "ready" && session.data.authRequired && !session.data.user)
    return <LoginPage onLoggedIn={reload} />;
  const user = session.status === "ready" && session.data.authRequired ? session.data.user : null;
  return <Workspace user={user} onLogout={() => api.logout().then(reload)} />;
}

/** Opening the app lands on the Alerts page: what needs action first (the two-minute morning). */
function Workspace({
  user,
  onLogout,
}: {
  user: { login: string; role: string } | null;
  onLogout: () => void;
}) {
  const { t, language, setLanguage } = useI18n();
  const [page, setPage] = useState<Page>(pageFromHash);
  const [storeId, setStoreId] = useState<number | undefined>();
  const [order, setOrder] = useState<OrderLine[]>([]);
  const [selection, setSelection] = useState<{ articleId: number; storeId: number } | null>(null);
  const [catalog] = useAsync(() => api.catalog(), []);
  useEffect(() => {
    api.orderLines().then(
      (r) => setOrder(r.lines),
      () => setOrder([]),
    );
  }, []);
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const nav: [Page, string][] = [
    ["alertes", t("navAlerts")],
    ["dashboard", t("navDashboard")],
    ["predictions", t("navPredictions")],
  ];
  return (
    <>
      <header className="top no-print">
        <strong className="brand">{t("appName")}</strong>
        <nav aria-label="Pages">
          {nav.map(([id, label]) => (
            <a
              key={id}
              href={`#/${id}`}
              aria-current={page === id ? "page" : undefined}
              data-testid={`nav-${id}`}
            >
              {label}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        {catalog.status === "ready" && (
          <label>
            {t("store")}{" "}
            <select
              value={storeId ?? ""}
              onChange={(e) =>
                setStoreId(e.target.value === "" ? undefined : Number(e.target.value))
              }
              data-testid="store-select"
            >
              <option value="">{t("allStores")}</option>
              {catalog.data.stores.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} — {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {user && (
          <span>
            {user.login} ({user.role}){" "}
            <button type="button" onClick={onLogout}>
              {t("signOut")}
            </button>
          </span>
        )}
        <label>
          {t("language")}{" "}
          <select
            value={language}
            onChange={(e) => setLanguage(e.target.value as Language)}
            data-testid="language-select"
          >
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <main>
        <AsyncView state={catalog}>
          {(data) =>
            page === "alertes" ? (
              <AlertsPage storeId={storeId} catalog={data} order={order} setOrder={setOrder} />
            ) : page === "dashboard" ? (
              <DashboardPage
                storeId={storeId}
                onOpenArticle={(articleId, store) => {
                  setSelection({ articleId, storeId: store });
                  window.location.hash = "#/predictions";
                }}
              />
            ) : (
              <PredictionsPage
                catalog={data}
                storeId={storeId}
                selection={selection}
                onSelect={setSelection}
              />
            )
          }
        </AsyncView>
      </main>
    </>
  );
}

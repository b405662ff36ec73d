import { type ReactNode, useEffect, useState } from "react";
import { api, type Catalog, type OrderState } from "./api/client.js";
import { LanguageSelect } from "./components/language-select.js";
import { AsyncView } from "./components/state-views.js";
import { useAsync } from "./components/use-async.js";
import { useI18n } from "./i18n/i18n.js";
import { AlertsPage } from "./pages/alerts-page.js";
import { ArticlePage } from "./pages/article-page.js";
import { DashboardPage } from "./pages/dashboard-page.js";
import { LoginPage } from "./pages/login-page.js";
import { PredictionsPage } from "./pages/predictions-page.js";
import { SettingsPage } from "./pages/settings-page.js";
import {
  hashFor,
  numberParam,
  type PageName,
  type Route,
  type SetParams,
  useRoute,
} from "./routing.js";

type User = { login: string; role: string } | null;

/** Signs in first when the server asks for it (a user exists, or not on loopback). */
export function App() {
  const [session, reload] = useAsync(() => api.session(), []);
  if (session.status === "loading") return null;
  if (session.status === "ready" && session.data.authRequired && !session.data.user)
    return <LoginPage onLoggedIn={reload} />;
  const user = session.status === "ready" && session.data.authRequired ? session.data.user : null;
  return <Workspace user={user} onLogout={() => api.logout().then(reload)} />;
}

/** No sign-in (loopback, no user yet) is an admin's session. */
function canAdminister(user: User): boolean {
  return user === null || user.role === "admin";
}

/** Opening the app lands on the Alerts page: what needs action first (the two-minute morning). */
function Workspace({ user, onLogout }: { user: User; onLogout: () => void }) {
  const [route, setParams] = useRoute();
  const [catalog] = useAsync(() => api.catalog(), []);
  const [order, setOrder] = useState<OrderState>({ lines: [], orders: [] });
  const storeId = numberParam(route.params, "store");
  useEffect(() => {
    api.orderLines().then(setOrder, () => setOrder({ lines: [], orders: [] }));
  }, []);
  const isAdmin = canAdminister(user);
  return (
    <>
      <TopBar
        user={user}
        onLogout={onLogout}
        page={route.page}
        storeId={storeId}
        storeSelect={
          catalog.status === "ready" && (
            <StoreSelect
              catalog={catalog.data}
              storeId={storeId}
              onChange={(store) => setParams({ store, offset: undefined })}
            />
          )
        }
      />
      <main>
        <AsyncView state={catalog}>
          {(data) => (
            <CurrentPage
              catalog={data}
              route={route}
              setParams={setParams}
              storeId={storeId}
              isAdmin={isAdmin}
              order={order}
              setOrder={setOrder}
            />
          )}
        </AsyncView>
      </main>
    </>
  );
}

/** The brand, the pages (Settings for admins), the store, the language and who is signed in. */
function TopBar({
  user,
  onLogout,
  page,
  storeId,
  storeSelect,
}: {
  user: User;
  onLogout: () => void;
  page: PageName;
  storeId: number | undefined;
  storeSelect: ReactNode;
}) {
  const { t } = useI18n();
  const isAdmin = canAdminister(user);
  const nav: [PageName, string][] = [
    ["alertes", t("navAlerts")],
    ["dashboard", t("navDashboard")],
    ["predictions", t("navPredictions")],
    ...(isAdmin ? ([["settings", t("navSettings")]] as [PageName, string][]) : []),
  ];
  return (
    <header className="top no-print">
      <a className="brand" href={hashFor("alertes", { store: storeId })}>
        {t("appName")}
      </a>
      <nav aria-label={t("pagesNav")}>
        {nav.map(([id, label]) => (
          <a
            key={id}
            href={hashFor(id, { store: storeId })}
            aria-current={page === id ? "page" : undefined}
            data-testid={`nav-${id}`}
          >
            {label}
          </a>
        ))}
      </nav>
      <span className="spacer" />
      {storeSelect}
      <LanguageSelect />
      {user && (
        <span className="user">
          {user.login} ({user.role}){" "}
          <button type="button" className="secondary" onClick={onLogout}>
            {t("signOut")}
          </button>
        </span>
      )}
    </header>
  );
}

function CurrentPage({
  catalog,
  route,
  setParams,
  storeId,
  isAdmin,
  order,
  setOrder,
}: {
  catalog: Catalog;
  route: Route;
  setParams: SetParams;
  storeId: number | undefined;
  isAdmin: boolean;
  order: OrderState;
  setOrder: (state: OrderState) => void;
}) {
  switch (route.page) {
    case "dashboard":
      return <DashboardPage storeId={storeId} />;
    case "predictions":
      return <PredictionsPage catalog={catalog} route={route} setParams={setParams} />;
    case "article":
      return (
        <ArticlePage
          articleId={route.ids[0] ?? 0}
          storeId={route.ids[1] ?? 0}
          catalog={catalog}
          setOrder={setOrder}
        />
      );
    case "settings":
      return <SettingsPage canEdit={isAdmin} />;
    default:
      return (
        <AlertsPage
          catalog={catalog}
          route={route}
          setParams={setParams}
          order={order}
          setOrder={setOrder}
        />
      );
  }
}

function StoreSelect({
  catalog,
  storeId,
  onChange,
}: {
  catalog: Catalog;
  storeId: number | undefined;
  onChange: (store: number | undefined) => void;
}) {
  const { t } = useI18n();
  return (
    <label>
      {t("store")}{" "}
      <select
        value={storeId ?? ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        data-testid="store-select"
      >
        <option value="">{t("allStores")}</option>
        {/* A stale or mistyped address: shown as it is, so that choosing another is a change. */}
        {storeId !== undefined && !catalog.stores.some((s) => s.id === storeId) && (
          <option value={storeId}>{t("unknownStoreOption", { id: storeId })}</option>
        )}
        {catalog.stores.map((s) => (
          <option key={s.id} value={s.id}>
            {s.code} — {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

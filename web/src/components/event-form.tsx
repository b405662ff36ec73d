import { type FormEvent, useState } from "react";
import { api, type Catalog, type DeclaredEvent } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";
import { useAsync } from "./use-async.js";

const TYPES = [
  "LOCAL",
  "PROMOTION",
  "METEO",
  "SPORT",
  "FERIE",
  "SOLDES",
  "VACANCES_SCOLAIRES",
  "AUTRE",
];

/** Declaring an event (dates, type, scope, optional expected impact) that the next batch uses. */
export function EventForm({ catalog }: { catalog: Catalog }) {
  const { t, date } = useI18n();
  const [events, reload] = useAsync(() => api.events(), []);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const impact = String(form.get("impact") ?? "").trim();
    const store = String(form.get("store") ?? "");
    const category = String(form.get("category") ?? "");
    try {
      await api.declareEvent({
        name: String(form.get("name") ?? ""),
        type: String(form.get("type") ?? ""),
        start: String(form.get("start") ?? ""),
        end: String(form.get("end") ?? ""),
        storeId: store ? Number(store) : null,
        categoryId: category ? Number(category) : null,
        impactPct: impact === "" ? null : Number(impact),
      });
      setMessage({ kind: "ok", text: t("eventSaved") });
      reload();
    } catch (error) {
      setMessage({ kind: "error", text: (error as Error).message });
    }
  };
  return (
    <section className="panel" aria-labelledby="event-title">
      <h2 id="event-title">{t("declareEvent")}</h2>
      <form onSubmit={submit} className="form-grid" data-testid="event-form">
        <label>
          {t("eventName")}
          <input name="name" required maxLength={120} />
        </label>
        <label>
          {t("eventType")}
          <select name="type" defaultValue="LOCAL">
            {TYPES.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </label>
        <label>
          {t("eventStart")}
          <input name="start" type="date" required />
        </label>
        <label>
          {t("eventEnd")}
          <input name="end" type="date" required />
        </label>
        <label>
          {t("eventScopeStore")}
          <select name="store" defaultValue="">
            <option value="">{t("allStores")}</option>
            {catalog.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("category")}
          <select name="category" defaultValue="">
            <option value="">{t("allCategories")}</option>
            {catalog.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("eventImpact")}
          <input name="impact" type="number" step="1" min={-100} max={1000} />
        </label>
        <button type="submit">{t("save")}</button>
      </form>
      {message && (
        <p className={`banner ${message.kind === "ok" ? "info" : "error"}`} role="status">
          {message.text}
        </p>
      )}
      {events.status === "ready" && events.data.events.length > 0 && (
        <>
          <h3>{t("declaredEvents")}</h3>
          <ul data-testid="declared-events">
            {events.data.events.map((ev: DeclaredEvent) => (
              <li key={ev.id}>
                {ev.name} ({ev.type}) — {date(ev.start)} → {date(ev.end)}
                {ev.impactPct !== null ? `, ${ev.impactPct > 0 ? "+" : ""}${ev.impactPct} %` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

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

interface Draft {
  name: string;
  type: string;
  start: string;
  end: string;
  store: string;
  category: string;
  impact: string;
}

const EMPTY: Draft = {
  name: "",
  type: "LOCAL",
  start: "",
  end: "",
  store: "",
  category: "",
  impact: "",
};

function draftOf(event: DeclaredEvent): Draft {
  return {
    name: event.name,
    type: event.type,
    start: event.start,
    end: event.end,
    store: event.storeId === null ? "" : String(event.storeId),
    category: event.categoryId === null ? "" : String(event.categoryId),
    impact: event.impactPct === null ? "" : String(event.impactPct),
  };
}

/** What the API receives for a draft: no end is a one-day event; a decimal comma is a point. */
function bodyOf(draft: Draft) {
  return {
    name: draft.name,
    type: draft.type,
    start: draft.start,
    end: draft.end || draft.start,
    storeId: draft.store ? Number(draft.store) : null,
    categoryId: draft.category ? Number(draft.category) : null,
    impactPct: draft.impact.trim() === "" ? null : Number(draft.impact.replace(",", ".")),
  };
}

/**
 * Declaring an event (dates, type, scope, optional expected impact) that the next batch uses;
 * correcting or withdrawing one already declared. The form keeps what was typed when the server
 * refuses it, and says why in the user's language.
 */
export function EventForm({ catalog }: { catalog: Catalog }) {
  const { t } = useI18n();
  const editor = useEventEditor();
  const { events, editing, message } = editor;
  return (
    <section className="panel" aria-labelledby="event-title">
      <h2 id="event-title">{t("declareEvent")}</h2>
      {editing && <p className="muted">{t("editingEvent", { name: editing.name })}</p>}
      <form onSubmit={editor.submit} className="form-grid" data-testid="event-form">
        <EventFields draft={editor.draft} set={editor.set} catalog={catalog} />
        <div className="form-actions">
          <button type="submit">{t("save")}</button>
          {editing && (
            <button type="button" className="secondary" onClick={editor.cancelEdit}>
              {t("cancel")}
            </button>
          )}
        </div>
      </form>
      {message && (
        <p className={`banner ${message.kind === "ok" ? "info" : "error"}`} role="status">
          {message.text}
        </p>
      )}
      {events.status === "ready" && events.data.events.length > 0 && (
        <>
          <h3>{t("declaredEvents")}</h3>
          <DeclaredEventList
            events={events.data.events}
            confirming={editor.confirming}
            onEdit={editor.startEdit}
            onAskDelete={editor.setConfirming}
            onDelete={editor.remove}
          />
        </>
      )}
    </section>
  );
}

/** The declared events, the draft being typed, and what saving or withdrawing one said. */
function useEventEditor() {
  const { t, errorText } = useI18n();
  const [events, reload] = useAsync(() => api.events(), []);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<DeclaredEvent | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const set = (field: keyof Draft) => (value: string) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const cancelEdit = () => {
    setEditing(null);
    setDraft(EMPTY);
  };
  const done = (text: string) => {
    setMessage({ kind: "ok", text });
    reload();
  };
  const failed = (error: unknown) => setMessage({ kind: "error", text: errorText(error) });

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = bodyOf(draft);
    try {
      if (editing) await api.correctEvent(editing.id, body);
      else await api.declareEvent(body);
      cancelEdit();
      done(t(editing ? "eventUpdated" : "eventSaved"));
    } catch (error) {
      failed(error);
    }
  };

  const remove = async (event: DeclaredEvent) => {
    try {
      await api.withdrawEvent(event.id);
      if (editing?.id === event.id) cancelEdit();
      done(t("eventDeleted"));
    } catch (error) {
      failed(error);
    } finally {
      setConfirming(null);
    }
  };

  const startEdit = (event: DeclaredEvent) => {
    setEditing(event);
    setDraft(draftOf(event));
    setMessage(null);
  };
  const state = { events, draft, editing, confirming, message };
  return { ...state, set, setConfirming, submit, remove, startEdit, cancelEdit };
}

interface FieldsProps {
  draft: Draft;
  set: (field: keyof Draft) => (value: string) => void;
  catalog: Catalog;
}

/** The form's fields; their values live in the parent's draft. */
function EventFields(props: FieldsProps) {
  return (
    <>
      <EventWhatAndWhen {...props} />
      <EventScope {...props} />
    </>
  );
}

/** Name, type and dates of the event. */
function EventWhatAndWhen({ draft, set }: Omit<FieldsProps, "catalog">) {
  const { t, label } = useI18n();
  return (
    <>
      <label>
        {t("eventName")}
        <input
          name="name"
          required
          maxLength={120}
          value={draft.name}
          onChange={(e) => set("name")(e.target.value)}
        />
      </label>
      <label>
        {t("eventType")}
        <select name="type" value={draft.type} onChange={(e) => set("type")(e.target.value)}>
          {TYPES.map((type) => (
            <option key={type} value={type}>
              {label("eventType", type)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("eventStart")}
        <input
          name="start"
          type="date"
          required
          value={draft.start}
          onChange={(e) => set("start")(e.target.value)}
        />
      </label>
      <label>
        {t("eventEnd")}
        <input
          name="end"
          type="date"
          required
          value={draft.end}
          onChange={(e) => set("end")(e.target.value)}
        />
      </label>
    </>
  );
}

/** Where the event applies (store, category) and the impact the user expects. */
function EventScope({ draft, set, catalog }: FieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t("eventScopeStore")}
        <select name="store" value={draft.store} onChange={(e) => set("store")(e.target.value)}>
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
        <select
          name="category"
          value={draft.category}
          onChange={(e) => set("category")(e.target.value)}
        >
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
        <input
          name="impact"
          type="number"
          step="1"
          min={-100}
          max={1000}
          value={draft.impact}
          onChange={(e) => set("impact")(e.target.value)}
        />
      </label>
    </>
  );
}

/** The events declared so far, each with its edit button and a two-step delete. */
function DeclaredEventList({
  events,
  confirming,
  onEdit,
  onAskDelete,
  onDelete,
}: {
  events: readonly DeclaredEvent[];
  confirming: number | null;
  onEdit: (event: DeclaredEvent) => void;
  onAskDelete: (id: number) => void;
  onDelete: (event: DeclaredEvent) => void;
}) {
  const { t, date, label } = useI18n();
  return (
    <ul data-testid="declared-events" className="item-list">
      {events.map((ev: DeclaredEvent) => (
        <li key={ev.id} data-testid={`event-${ev.id}`}>
          <span>
            {ev.name} ({label("eventType", ev.type)}) — {date(ev.start)} → {date(ev.end)}
            {ev.impactPct !== null ? `, ${ev.impactPct > 0 ? "+" : ""}${ev.impactPct} %` : ""}
          </span>
          <span className="row-actions">
            <button
              type="button"
              className="secondary"
              onClick={() => onEdit(ev)}
              aria-label={`${t("edit")} ${ev.name}`}
            >
              {t("edit")}
            </button>
            {confirming === ev.id ? (
              <button type="button" className="danger" onClick={() => onDelete(ev)}>
                {t("confirmDelete")}
              </button>
            ) : (
              <button
                type="button"
                className="secondary"
                onClick={() => onAskDelete(ev.id)}
                aria-label={`${t("delete")} ${ev.name}`}
              >
                {t("delete")}
              </button>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

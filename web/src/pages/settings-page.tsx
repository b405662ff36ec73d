import { useState } from "react";
import { api, type SettingView } from "../api/client.js";
import { AsyncView } from "../components/state-views.js";
import { useAsync } from "../components/use-async.js";
import { useI18n } from "../i18n/i18n.js";

/** The settings an admin changes without SQL: each validated by the server, audited, used by the next batch. */
export function SettingsPage({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const [state, reload] = useAsync(() => api.settings(), []);
  return (
    <div className="page">
      <h1>{t("settingsTitle")}</h1>
      <p>{t("settingsIntro")}</p>
      {!canEdit && <p className="banner info">{t("adminOnly")}</p>}
      <AsyncView state={state}>
        {(data) => (
          <ul className="settings" data-testid="settings">
            {data.settings.map((s) => (
              <SettingRow key={s.key} setting={s} canEdit={canEdit} onSaved={reload} />
            ))}
          </ul>
        )}
      </AsyncView>
    </div>
  );
}

function SettingRow({
  setting,
  canEdit,
  onSaved,
}: {
  setting: SettingView;
  canEdit: boolean;
  onSaved: () => void;
}) {
  const { t, label, errorText } = useI18n();
  const [value, setValue] = useState(setting.value);
  const [message, setMessage] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const id = `setting-${setting.key}`;
  const choices: Record<string, string[]> = {
    order_policy: ["marge", "niveau_de_service"],
    count_open_orders: ["true", "false"],
    country: ["FR", "none"],
  };
  const options = choices[setting.key];
  return (
    <li>
      <label htmlFor={id}>{label("setting", setting.key)}</label>
      {options ? (
        <select
          id={id}
          value={value}
          disabled={!canEdit}
          onChange={(e) => setValue(e.target.value)}
        >
          {options.map((o) => (
            <option key={o} value={o}>
              {setting.key === "order_policy" ? label("policy", o) : o}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          value={value}
          disabled={!canEdit}
          inputMode="decimal"
          onChange={(e) => setValue(e.target.value)}
          aria-describedby={`${id}-accepted`}
          data-testid={id}
        />
      )}
      <button
        type="button"
        disabled={!canEdit || value === setting.value}
        onClick={() =>
          api.setSetting(setting.key, value).then(
            (r) => {
              setMessage({ kind: "info", text: t("settingSaved", { key: setting.key, value }) });
              const saved = r.settings.find((s) => s.key === setting.key);
              if (saved) setValue(saved.value);
              onSaved();
            },
            (e) => setMessage({ kind: "error", text: errorText(e) }),
          )
        }
        data-testid={`save-${setting.key}`}
      >
        {t("save")}
      </button>
      <span id={`${id}-accepted`} className="muted small">
        {t("accepted", { accepted: setting.accepted })}
        {setting.updatedAt
          ? ` · ${setting.updatedAt.slice(0, 16).replace("T", " ")} (${setting.updatedBy})`
          : ""}
      </span>
      {message && (
        <p className={`banner ${message.kind}`} role="status">
          {message.text}
        </p>
      )}
    </li>
  );
}

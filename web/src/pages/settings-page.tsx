import { type ReactNode, useState } from "react";
import { api, type MeasuredSavings, type SettingView } from "../api/client.js";
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
              <SettingRow key={s.key} setting={s} canEdit={canEdit} onSaved={reload}>
                {s.key === "order_policy" && data.measuredSavings && (
                  <ReplayEvidence measured={data.measuredSavings} />
                )}
              </SettingRow>
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
  children,
}: {
  setting: SettingView;
  canEdit: boolean;
  onSaved: () => void;
  /** What the setting's help line leaves out (order_policy: what each policy measured). */
  children?: ReactNode;
}) {
  const { t, label, errorText } = useI18n();
  const [value, setValue] = useState(setting.value);
  const [message, setMessage] = useState<{ kind: "info" | "error"; text: string } | null>(null);
  const id = `setting-${setting.key}`;
  const shown = useShownValue(setting);
  const save = () =>
    api.setSetting(setting.key, value).then(
      (r) => {
        const saved = r.settings.find((s) => s.key === setting.key);
        const stored = saved?.value ?? value;
        setValue(stored);
        setMessage({
          kind: "info",
          text: t("settingSaved", { key: label("setting", setting.key), value: shown(stored) }),
        });
        onSaved();
      },
      (e) => setMessage({ kind: "error", text: errorText(e) }),
    );
  return (
    <li>
      <label htmlFor={id}>{label("setting", setting.key)}</label>
      <SettingInput id={id} setting={setting} value={value} canEdit={canEdit} onChange={setValue} />
      <button
        type="button"
        disabled={!canEdit || value === setting.value}
        onClick={save}
        data-testid={`save-${setting.key}`}
      >
        {t("save")}
      </button>
      <SettingHelp id={`${id}-accepted`} setting={setting} />
      {children}
      {message && (
        <p className={`banner ${message.kind}`} role="status">
          {message.text}
        </p>
      )}
    </li>
  );
}

/** A stored value in the reader's words ("true" is "Oui" on a French page). */
function useShownValue(setting: SettingView): (v: string) => string {
  const { label, number } = useI18n();
  return (v: string) =>
    setting.choices
      ? label(setting.key === "order_policy" ? "policy" : `choice_${setting.key}`, v)
      : number(Number(v), 1);
}

/** A choice among fixed values, or a number typed in. */
function SettingInput({
  id,
  setting,
  value,
  canEdit,
  onChange,
}: {
  id: string;
  setting: SettingView;
  value: string;
  canEdit: boolean;
  onChange: (value: string) => void;
}) {
  const shown = useShownValue(setting);
  const options = setting.choices;
  return options ? (
    <select
      id={id}
      value={value}
      disabled={!canEdit}
      onChange={(e) => onChange(e.target.value)}
      aria-describedby={`${id}-accepted`}
    >
      {options.map((o) => (
        <option key={o} value={o}>
          {shown(o)}
        </option>
      ))}
    </select>
  ) : (
    <input
      id={id}
      value={value}
      disabled={!canEdit}
      inputMode="decimal"
      onChange={(e) => onChange(e.target.value)}
      aria-describedby={`${id}-accepted`}
      data-testid={id}
    />
  );
}

/** What the setting does, what it accepts, its default and who changed it last. */
function SettingHelp({ id, setting }: { id: string; setting: SettingView }) {
  const { t, label, number, locale } = useI18n();
  const shown = useShownValue(setting);
  const accepted =
    setting.min !== null && setting.max !== null
      ? t("acceptedRange", { min: number(setting.min, 1), max: number(setting.max, 1) })
      : null;
  return (
    <span id={id} className="muted small setting-help">
      {label("settingHelp", setting.key)}
      {accepted ? ` · ${accepted}` : ""}
      {` · ${t("settingDefault", { value: shown(setting.default) })}`}
      {setting.updatedAt
        ? ` · ${t("settingChanged", {
            date: new Date(setting.updatedAt).toLocaleString(locale, {
              dateStyle: "short",
              timeStyle: "short",
            }),
            by: setting.updatedBy ?? "?",
          })}`
        : ""}
    </span>
  );
}

/**
 * What the latest replay of every store measured for each order policy, beside the setting that
 * chooses between them: the figures the Dashboard shows, where the choice is made.
 */
function ReplayEvidence({ measured }: { measured: MeasuredSavings }) {
  const { t, money, date, label } = useI18n();
  const savings = measured.policies
    .map((p) => `${label("policy", p.policy)}${t("colon")} ${money(p.total)}`)
    .join(" · ");
  return (
    <p className="small setting-evidence" data-testid="order-policy-evidence">
      {t("orderPolicyEvidence", {
        weeks: measured.weeks,
        from: date(measured.from),
        to: date(measured.to),
        savings,
      })}
    </p>
  );
}

import {
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  type SettingKey,
  type Settings,
  settingsFrom,
} from "../../domain/settings/settings.js";
import type { Db } from "../open.js";
import { hasOptiflowTable } from "./results-repository.js";

function storedSettings(db: Db): Map<string, string> {
  if (!hasOptiflowTable(db, "optiflow_settings")) return new Map();
  return new Map(
    (
      db.prepare("SELECT key, value FROM optiflow_settings").all() as {
        key: string;
        value: string;
      }[]
    ).map((r) => [r.key, r.value]),
  );
}

/** The settings the next batch (and the pages' calculator) use, with their defaults. */
export function readSettings(db: Db): Settings {
  return settingsFrom(storedSettings(db));
}

export interface SettingView {
  key: SettingKey;
  value: string;
  default: string;
  accepted: string;
  /** What is accepted, for the pages to say in the reader's language. */
  min: number | null;
  max: number | null;
  choices: string[] | null;
  description: string;
  updatedAt: string | null;
  updatedBy: string | null;
}

export function listSettings(db: Db): SettingView[] {
  const rows = hasOptiflowTable(db, "optiflow_settings")
    ? (db
        .prepare(
          "SELECT key, value, updated_at AS updatedAt, updated_by AS updatedBy FROM optiflow_settings",
        )
        .all() as { key: string; value: string; updatedAt: string; updatedBy: string }[])
    : [];
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return SETTING_KEYS.map((key) => {
    const definition = SETTING_DEFINITIONS[key];
    const row = byKey.get(key);
    return {
      key,
      value: row?.value ?? definition.default,
      default: definition.default,
      accepted: definition.accepted,
      min: "min" in definition.accepts ? definition.accepts.min : null,
      max: "max" in definition.accepts ? definition.accepts.max : null,
      choices: "choices" in definition.accepts ? [...definition.accepts.choices] : null,
      description: definition.description,
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedBy ?? null,
    };
  });
}

/** Writes an already-parsed value; returns the value it replaced (the default when unset). */
export function writeSetting(
  db: Db,
  key: SettingKey,
  value: string,
  at: string,
  by: string,
): string {
  const before = storedSettings(db).get(key) ?? SETTING_DEFINITIONS[key].default;
  db.prepare(
    `INSERT INTO optiflow_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(key, value, at, by);
  return before;
}

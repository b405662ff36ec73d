import { type Static, Type } from "@sinclair/typebox";
import { SETTING_KEYS } from "../domain/settings/settings.js";

export const SettingParams = Type.Object(
  { key: Type.Union(SETTING_KEYS.map((k) => Type.Literal(k))) },
  { additionalProperties: false },
);
export type SettingParams = Static<typeof SettingParams>;

/** PUT /api/settings/:key — the value as text (validated by the setting's own rule). */
export const SettingBody = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
export type SettingBody = Static<typeof SettingBody>;

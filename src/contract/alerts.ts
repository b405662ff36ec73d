import { type Static, Type } from "@sinclair/typebox";
import { Id, IsoDate } from "./common.js";

export const ALERT_LEVELS = ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"] as const;
/** Sortable columns of the alert list (the Alerts page's column headers). */
export const ALERT_SORTS = [
  "urgency",
  "reference",
  "name",
  "store",
  "supplier",
  "abc",
  "xyz",
  "onHand",
  "daysOfCover",
  "stockoutDate",
  "valueAtRisk",
  "quantity",
] as const;

/** GET /api/alerts */
export const AlertsQuery = Type.Object(
  {
    level: Type.Optional(Type.Union(ALERT_LEVELS.map((l) => Type.Literal(l)))),
    store: Type.Optional(Id),
    category: Type.Optional(Id),
    supplier: Type.Optional(Id),
    search: Type.Optional(Type.String({ maxLength: 100 })),
    abc: Type.Optional(Type.Union([Type.Literal("A"), Type.Literal("B"), Type.Literal("C")])),
    xyz: Type.Optional(Type.Union([Type.Literal("X"), Type.Literal("Y"), Type.Literal("Z")])),
    sort: Type.Optional(Type.Union(ALERT_SORTS.map((s) => Type.Literal(s)))),
    dir: Type.Optional(Type.Union([Type.Literal("asc"), Type.Literal("desc")])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
export type AlertsQuery = Static<typeof AlertsQuery>;

/** GET /api/alerts/export: the list as the page filters and sorts it, every row of it. */
export const AlertsExportQuery = Type.Omit(AlertsQuery, ["limit", "offset"], {
  additionalProperties: false,
});
export type AlertsExportQuery = Static<typeof AlertsExportQuery>;

/** GET /api/alerts/calc */
export const CalcQuery = Type.Object(
  {
    article: Id,
    store: Type.Optional(Id),
    date: IsoDate,
    margin: Type.Number({ minimum: -100, maximum: 500 }),
  },
  { additionalProperties: false },
);
export type CalcQuery = Static<typeof CalcQuery>;

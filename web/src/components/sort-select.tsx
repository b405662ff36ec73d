import { useId } from "react";
import { useI18n } from "../i18n/i18n.js";

/**
 * The list's sort where its column headers are hidden (phones and tablets held upright show
 * cards): the same choices as the headers, and the same `sort` and `dir` in the address.
 */
export function SortSelect<C extends string>({
  choices,
  sort,
  dir,
  firstDir = () => "asc",
  onSort,
}: {
  /** The default order first, then one entry per sortable column, with its header's label. */
  choices: readonly (readonly [C, string])[];
  sort: C;
  dir: "asc" | "desc";
  /** The direction a column starts in, as its header's first click. */
  firstDir?: (column: C) => "asc" | "desc";
  onSort: (column: C, dir: "asc" | "desc") => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="sort-select no-print" data-testid="sort-select">
      <label htmlFor={id}>{t("sortList")}</label>
      <select
        id={id}
        value={sort}
        onChange={(e) => onSort(e.target.value as C, firstDir(e.target.value as C))}
        data-testid="sort-select-column"
      >
        {choices.map(([column, label]) => (
          <option key={column} value={column}>
            {label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="secondary"
        aria-pressed={dir === "desc"}
        onClick={() => onSort(sort, dir === "asc" ? "desc" : "asc")}
        data-testid="sort-select-direction"
      >
        {dir === "asc" ? t("sortAscending") : t("sortDescending")}
      </button>
    </div>
  );
}

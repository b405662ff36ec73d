import { useI18n } from "../i18n/i18n.js";

/**
 * A column header that sorts the list: a button inside the header cell, and `aria-sort` on the
 * cell telling assistive technology which column sorts and how.
 */
export function SortableHeader<C extends string>({
  column,
  label,
  sort,
  dir,
  numeric = false,
  firstDir = "asc",
  onSort,
}: {
  column: C;
  label: string;
  sort: string;
  dir: "asc" | "desc";
  numeric?: boolean;
  /** The direction of a first click: largest first where that is what a manager looks for. */
  firstDir?: "asc" | "desc";
  onSort: (column: C, dir: "asc" | "desc") => void;
}) {
  const { t } = useI18n();
  const active = sort === column;
  return (
    <th
      scope="col"
      className={numeric ? "num" : undefined}
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        className="sort"
        onClick={() => onSort(column, active ? (dir === "asc" ? "desc" : "asc") : firstDir)}
        title={t("sortBy", { column: label })}
        data-testid={`sort-${column}`}
      >
        {label}
        <span aria-hidden="true">{active ? (dir === "asc" ? " ▲" : " ▼") : " ↕"}</span>
      </button>
    </th>
  );
}

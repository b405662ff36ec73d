import { lazy, type ReactNode, Suspense } from "react";
import { useI18n } from "../i18n/i18n.js";
import type { ChartOption } from "./chart.js";

const ChartImpl = lazy(() => import("./chart.js").then((m) => ({ default: m.Chart })));

export type { ChartOption };

/**
 * A chart, loaded with its library only when a page draws one, and its data as a table for
 * those who cannot see it (screen readers, a printout).
 */
export function Chart({
  option,
  label,
  height = 280,
  table,
}: {
  option: ChartOption;
  label: string;
  height?: number;
  table?: { columns: string[]; rows: ReactNode[][] };
}) {
  const { t } = useI18n();
  return (
    <figure className="chart">
      <Suspense fallback={<div style={{ height }} aria-busy="true" />}>
        <ChartImpl option={option} label={label} height={height} />
      </Suspense>
      {table && (
        <details>
          <summary>{t("dataTable")}</summary>
          <table>
            <caption className="sr-only">{label}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of a static table
                <tr key={i}>
                  {row.map((cell, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells of a static table
                    <td key={j}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}

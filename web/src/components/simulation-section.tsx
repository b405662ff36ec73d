import type { SimulationFigures, SimulationSummary } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";

/**
 * The proof of savings (issue 15): Optiflow's ordering policy replayed day by day over past
 * weeks of the shop's own history, against what really happened. Absent until a replay has run
 * (`optiflow simulate`).
 */
export function SimulationSection({ simulation }: { simulation: SimulationSummary | null }) {
  const { t, number, money, date } = useI18n();
  if (!simulation) return null;
  const row = (label: string, pick: (f: SimulationFigures) => string) =>
    simulation.policies.map((p) => (
      <tr key={`${label}-${p.policy}`}>
        <th scope="row">
          {label} ({p.policy})
        </th>
        <td className="num">{pick(p.actual)}</td>
        <td className="num">{pick(p.optiflow)}</td>
      </tr>
    ));
  return (
    <section className="panel" aria-labelledby="sim-title" data-testid="simulation">
      <h2 id="sim-title">{t("simulation")}</h2>
      <p className="muted" data-testid="simulation-period">
        {date(simulation.from)} → {date(simulation.to)} ({simulation.weeks} sem.)
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col" className="num">
              {t("actual")}
            </th>
            <th scope="col" className="num">
              Optiflow
            </th>
          </tr>
        </thead>
        <tbody>
          {row(t("sim_stockOutDays"), (f) => number(f.stockOutDays))}
          {row(t("sim_lostRevenue"), (f) => money(f.lostRevenue))}
          {row(t("sim_averageStock"), (f) => money(f.averageStockValue))}
          {row(t("sim_endStock"), (f) => money(f.endStockValue))}
          {row(t("sim_orders"), (f) => `${number(f.orders)} / ${number(f.orderLines)}`)}
        </tbody>
      </table>
      {simulation.policies.map((p) => (
        <p key={p.policy} data-testid={`simulation-savings-${p.policy}`}>
          {t("savings")} ({p.policy}) : <strong>{money(p.savings.total)}</strong>
          <br />
          <span className="formula small">{p.savings.formula}</span>
        </p>
      ))}
      {simulation.estimatedDemandDays > 0 && (
        <p className="muted">{t("sim_estimated", { days: simulation.estimatedDemandDays })}</p>
      )}
      {simulation.worst.length > 0 && (
        <>
          <h3>{t("sim_worst")}</h3>
          <ol>
            {simulation.worst.map((w) => (
              <li key={`${w.reference}-${w.storeCode}`}>
                {w.reference} {w.name} ({w.storeCode}) : {money(w.delta)}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

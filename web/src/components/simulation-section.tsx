import type { SimulationFigures, SimulationSummary } from "../api/client.js";
import { useI18n } from "../i18n/i18n.js";
import { hashFor } from "../routing.js";
import { DownloadLink } from "./download-link.js";

/**
 * The proof of savings (issue 15): Optiflow's ordering policy replayed day by day over past
 * weeks of the shop's own history, against what really happened — per policy, with the savings'
 * formula, the ten articles where the replay did worst, and the detail as a CSV.
 */
export function SimulationSection({
  simulation,
  orderPolicy,
  partOfChain,
}: {
  simulation: SimulationSummary | null;
  orderPolicy: string | null;
  /** A store without a replay of its own, whose part of every store's the card shows. */
  partOfChain: boolean;
}) {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="sim-title" data-testid="simulation">
      <h2 id="sim-title">{t("simulation")}</h2>
      {simulation ? (
        <SimulationBody simulation={simulation} orderPolicy={orderPolicy} />
      ) : partOfChain ? (
        <p className="muted">
          {t("sim_chainOnly")}{" "}
          <a href={hashFor("dashboard", {})} data-testid="simulation-all-stores">
            {t("sim_allStores")}
          </a>
        </p>
      ) : (
        <p className="muted">{t("sim_none")}</p>
      )}
    </section>
  );
}

function SimulationBody({
  simulation,
  orderPolicy,
}: {
  simulation: SimulationSummary;
  orderPolicy: string | null;
}) {
  const { t, date, label } = useI18n();
  const exportUrl = `/api/simulation/export?id=${simulation.id}`;
  return (
    <>
      <p className="muted" data-testid="simulation-period">
        {t("sim_period", {
          from: date(simulation.from),
          to: date(simulation.to),
          weeks: simulation.weeks,
          series: simulation.series,
          at: date(simulation.createdAt),
        })}
      </p>
      {orderPolicy && <PolicyInForce simulation={simulation} orderPolicy={orderPolicy} />}
      {simulation.policies.map((p) => (
        <div key={p.policy} className="simulation-policy" data-testid={`simulation-${p.policy}`}>
          <h3>{label("policy", p.policy)}</h3>
          <FiguresTable policy={p.policy} actual={p.actual} optiflow={p.optiflow} />
          <Savings savings={p.savings} policy={p.policy} />
          {p.worst.length > 0 && <Worst worst={p.worst} policy={p.policy} />}
        </div>
      ))}
      {simulation.estimatedDemandDays > 0 && (
        <p className="muted">{t("sim_estimated", { days: simulation.estimatedDemandDays })}</p>
      )}
      <p className="muted">
        {t("sim_skipped", {
          stock: simulation.skipped.noStockHistory,
          forecast: simulation.skipped.noForecast,
        })}
      </p>
      <p>
        <DownloadLink href={exportUrl} testId="simulation-export">
          {t("sim_download")}
        </DownloadLink>
      </p>
    </>
  );
}

/**
 * Which policy the published suggestions follow, and whether the other one did better on the
 * replay: both are shown above, but nothing said which one the morning's quantities use.
 */
function PolicyInForce({
  simulation,
  orderPolicy,
}: {
  simulation: SimulationSummary;
  orderPolicy: string;
}) {
  const { t, label, money } = useI18n();
  const own = simulation.policies.find((p) => p.policy === orderPolicy);
  const best = [...simulation.policies].sort((a, b) => b.savings.total - a.savings.total)[0];
  const name = label("policy", orderPolicy);
  return (
    <p data-testid="simulation-policy-note">
      {t("sim_inForce", { policy: name })}{" "}
      {own &&
        best &&
        simulation.policies.length > 1 &&
        (best.policy !== own.policy && best.savings.total > own.savings.total
          ? t("sim_otherBetter", {
              other: label("policy", best.policy),
              otherSavings: money(best.savings.total),
              ownSavings: money(own.savings.total),
              setting: label("setting", "order_policy"),
            })
          : t("sim_inForceBest"))}
    </p>
  );
}

function FiguresTable({
  policy,
  actual,
  optiflow,
}: {
  policy: string;
  actual: SimulationFigures;
  optiflow: SimulationFigures;
}) {
  const { t, number, money } = useI18n();
  const rows: [string, string, (f: SimulationFigures) => string][] = [
    ["stockOutDays", t("sim_stockOutDays"), (f) => number(f.stockOutDays)],
    ["lostUnits", t("sim_lostUnits"), (f) => number(f.lostUnits, 1)],
    ["lostRevenue", t("sim_lostRevenue"), (f) => money(f.lostRevenue)],
    ["averageStockValue", t("sim_averageStock"), (f) => money(f.averageStockValue)],
    ["endStockValue", t("sim_endStock"), (f) => money(f.endStockValue)],
    ["orders", t("sim_orders"), (f) => `${number(f.orders)} / ${number(f.orderLines)}`],
  ];
  if (typeof optiflow.expiredUnits === "number")
    rows.push(
      ["expiredUnits", t("sim_expiredUnits"), (f) => number(f.expiredUnits ?? 0, 1)],
      ["expiredValue", t("sim_expiredValue"), (f) => money(f.expiredValue ?? 0)],
    );
  return (
    <table className="cards-on-phone">
      <thead>
        <tr>
          <th scope="col">{t("sim_figures")}</th>
          <th scope="col" className="num">
            {t("actual")}
          </th>
          <th scope="col" className="num">
            Optiflow
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, name, pick]) => (
          <tr key={key}>
            <th scope="row">{name}</th>
            <td
              className="num"
              data-label={t("actual")}
              data-testid={`sim-${policy}-actual-${key}`}
            >
              {pick(actual)}
            </td>
            <td className="num" data-label="Optiflow" data-testid={`sim-${policy}-optiflow-${key}`}>
              {pick(optiflow)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Savings({
  savings,
  policy,
}: {
  savings: SimulationSummary["policies"][number]["savings"];
  policy: string;
}) {
  const { t, money, number } = useI18n();
  const counted = typeof savings.expired === "number";
  const parts = { carrying: money(savings.carrying), margin: money(savings.margin) };
  return (
    <p data-testid={`simulation-savings-${policy}`}>
      {t("sim_savings")}
      {t("colon")} <strong>{money(savings.total)}</strong> (
      {counted
        ? t("sim_savingsPartsExpired", { ...parts, expired: money(savings.expired) })
        : t("sim_savingsParts", parts)}
      )
      <br />
      <span className="formula small">
        {typeof savings.carryingRatePct === "number" && typeof savings.days === "number"
          ? t(counted ? "sim_savingsFormula" : "sim_savingsFormulaNoExpiry", {
              rate: number(savings.carryingRatePct, 1),
              days: savings.days,
            })
          : savings.formula}
      </span>
      {counted && (
        <>
          <br />
          <span className="small">{t("sim_expiredNote")}</span>
        </>
      )}
    </p>
  );
}

function Worst({
  worst,
  policy,
}: {
  worst: SimulationSummary["policies"][number]["worst"];
  policy: string;
}) {
  const { t, money } = useI18n();
  return (
    <>
      <h4>{t("sim_worst")}</h4>
      <ol data-testid={`simulation-worst-${policy}`}>
        {worst.map((w) => (
          <li key={`${w.articleId}-${w.storeCode}`}>
            {w.reference} {w.name} ({w.storeCode}){t("colon")} {money(w.delta)}
          </li>
        ))}
      </ol>
    </>
  );
}

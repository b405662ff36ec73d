import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabaseReadonly } from "../src/data/open.js";
import { readForecasts } from "../src/data/optiflow/published-results.js";
import { publishedRunId } from "../src/data/optiflow/runs-repository.js";
import { addDays, dayFromIso } from "../src/domain/calendar/days.js";
import { wape, weeklyTotals } from "../src/domain/metrics/accuracy.js";
import { importAndRunBatch } from "./batch-on-csv.js";
import { readPeyton } from "./datasets/peyton-manning.js";

/**
 * The issue's end-to-end check: Prophet's quick-start data imported as a one-article store
 * (CSV → legacy database), the nightly batch run with --today 2015-12-24, and its published
 * forecasts scored on the 28 hidden days.
 */
export async function peytonThroughBatch(
  dir: string,
  today = "2015-12-24",
): Promise<{ weeklyWape: number; model: string; seconds: number } | null> {
  const data = readPeyton();
  if (!data) return null;
  // A fresh folder each run: the import refuses to overwrite a database, by design.
  const work = join(dir, "peyton");
  rmSync(work, { recursive: true, force: true });
  const csv = join(work, "csv");
  mkdirSync(csv, { recursive: true });
  const history = data.days.filter((d) => d.date < today);
  writeFileSync(
    join(csv, "magasins.csv"),
    "id,code,nom,jours_ouverture\n1,WIKI,Wikipedia,1111111\n",
  );
  writeFileSync(join(csv, "fournisseurs.csv"), "id,nom,delai_livraison_jours\n1,Fournisseur,7\n");
  writeFileSync(
    join(csv, "articles.csv"),
    `id,reference,nom,fournisseur_id,prix_achat,prix_vente,date_creation\n1,PEYTON,Peyton Manning,1,1,2,${data.days[0]!.date}\n`,
  );
  writeFileSync(
    join(csv, "ventes.csv"),
    `date,magasin_id,article_id,quantite,chiffre_affaires\n${history.map((d) => `${d.date},1,1,${d.views},${d.views * 2}`).join("\n")}\n`,
  );
  writeFileSync(
    join(csv, "evenements.csv"),
    `nom,type,date_debut,date_fin\n${data.events.map((e) => `${e.type} ${e.date},${e.type},${e.date},${addDays(e.date, e.upperWindow)}`).join("\n")}\n`,
  );
  const { dbPath, seconds } = await importAndRunBatch(work, csv, today);
  const db = openDatabaseReadonly(dbPath);
  try {
    const runId = publishedRunId(db)!;
    const forecast = readForecasts(db, runId, 1, 1)
      .slice(0, 28)
      .map((f) => f.forecast);
    const model = (
      db.prepare("SELECT model FROM optiflow_series WHERE run_id = ?").get(runId) as {
        model: string;
      }
    ).model;
    const hidden = data.days
      .filter((d) => d.date >= today && dayFromIso(d.date) < dayFromIso(today) + 28)
      .map((d) => d.views);
    return {
      weeklyWape: wape(weeklyTotals(forecast, false), weeklyTotals(hidden)),
      model,
      seconds,
    };
  } finally {
    db.close();
  }
}

import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import pino from "pino";
import Database from "better-sqlite3";
import { runBatch } from "/work/main/dist/src/batch/run-batch.js";
import { readConfig } from "/work/main/dist/src/config.js";
const work = "/tmp/replay2"; rmSync(work, { recursive: true, force: true }); mkdirSync(work);
const dbPath = `${work}/r.db`; copyFileSync("/work/main/.bench-work/demo-300x1.db", dbPath);
const config = { ...readConfig({}), dbPath, backupDir: `${work}/b`, backupKeep: 1, batchLogPath: `${work}/l` };
const today = process.argv[2] ?? "2026-10-28";
const r = await runBatch({ config, today, trigger: "manual", now: () => new Date(`${today}T00:30:00Z`), logger: pino({ level: "silent" }) });
const db = new Database(dbPath, { readonly: true });
const rows = db.prepare(`
WITH weeks(k) AS (VALUES (0),(1),(2),(3)),
f AS (SELECT k, article_id, magasin_id, SUM(forecast) fc FROM optiflow_forecasts JOIN weeks WHERE run_id=? AND date >= date(?, '+'||(7*k)||' days') AND date < date(?, '+'||(7*k+7)||' days') GROUP BY 1,2,3),
a AS (SELECT k, article_id, magasin_id, SUM(quantite) ac FROM ventes JOIN weeks WHERE date >= date(?, '+'||(7*k)||' days') AND date < date(?, '+'||(7*k+7)||' days') GROUP BY 1,2,3),
so AS (SELECT DISTINCT k, article_id, magasin_id FROM ruptures JOIN weeks WHERE date_debut < date(?, '+'||(7*k+7)||' days') AND COALESCE(date_fin, '9999') >= date(?, '+'||(7*k)||' days'))
SELECT f.k, f.article_id, f.fc, COALESCE(a.ac,0) ac, (so.k IS NOT NULL) so, s.held_out_actual IS NOT NULL AS ho, s.model, s.demand_class
FROM f LEFT JOIN a USING (k, article_id, magasin_id) LEFT JOIN so USING (k, article_id, magasin_id)
LEFT JOIN optiflow_series s ON s.run_id=? AND s.article_id=f.article_id AND s.magasin_id=f.magasin_id`).all(r.runId, today, today, today, today, today, today, r.runId);
const w = (rs) => { let e=0,t=0,b=0; for (const x of rs){e+=Math.abs(x.fc-x.ac);t+=x.ac;b+=x.fc-x.ac;} return `${(100*(1-e/t)).toFixed(1)}% (n=${rs.length}, bias ${(100*b/t).toFixed(1)}%)`; };
console.log("all", w(rows));
console.log("no stockout weeks", w(rows.filter(x=>!x.so)));
console.log("with heldout", w(rows.filter(x=>x.ho)));
console.log("heldout & no so", w(rows.filter(x=>x.ho && !x.so)));
for (const k of [0,1,2,3]) console.log("week", k, w(rows.filter(x=>x.k===k)));
const kpi = db.prepare("select value from optiflow_kpis where run_id=? and key='ml_performance'").get(r.runId);
console.log("shown", kpi.value);
const ho = db.prepare("select sum(held_out_error) e, sum(held_out_actual) a from optiflow_series where run_id=?").get(r.runId);
console.log("heldout series sum", 1 - ho.e/ho.a);

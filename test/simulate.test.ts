import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHistoryInWorkers } from "../src/batch/read-history-in-workers.js";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import { openDatabaseReadonly } from "../src/data/open.js";
import { latestSimulation, measuredSavings } from "../src/data/optiflow/simulations-repository.js";
import { addDays, dayFromIso, isoFromDay } from "../src/domain/calendar/days.js";
import { DEFAULT_PERIOD_LEVEL } from "../src/domain/forecast/level-uncertainty.js";
import { selectionServes } from "../src/domain/forecast/pipeline-spec.js";
import { asOfForecasts } from "../src/simulation/as-of-forecasts.js";
import { runSimulation, type SimulationOptions } from "../src/simulation/run-simulation.js";
import { FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import { FIXTURE_NOW, publishedDemo } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * `optiflow simulate` on a demo base (issue 15): the result is stored and printed; it never
 * depends on a sale after the day it simulates; the legacy tables stay byte-identical.
 */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-simulate-");
const WEEKS = 4;
const FROM = dayFromIso(addDays(FIXTURE_TODAY, -7 * WEEKS - 7));
let master: string;

const options = (overrides: Partial<SimulationOptions> = {}): SimulationOptions => ({
  from: FROM,
  weeks: WEEKS,
  policies: ["marge", "niveau_de_service"],
  marginPct: 10,
  storeId: null,
  countOpenOrders: true,
  serviceLevels: { A: 0.98, B: 0.95, C: 0.9 },
  carryingCostRate: 0.2,
  country: "FR",
  ...overrides,
});

beforeAll(async () => {
  master = (await publishedDemo(temp.path, "simulate.db", 18)).path;
}, 120_000);

afterAll(() => temp.remove());

/** A copy of the base whose legacy rows from `day` on are changed beyond recognition. */
function poisonedCopy(name: string, fromIso: string): string {
  const path = join(temp.path, name);
  copyFileSync(master, path);
  // A test's own copy, written directly: Optiflow itself never writes the legacy tables.
  const db = new Database(path);
  db.prepare("UPDATE ventes SET quantite = quantite * 40 + 9 WHERE date >= ?").run(fromIso);
  db.prepare("UPDATE stocks_historique SET quantite = 0 WHERE date >= ?").run(fromIso);
  db.prepare("DELETE FROM ruptures WHERE date_debut >= ?").run(fromIso);
  db.close();
  return path;
}

async function simulateOn(path: string, overrides: Partial<SimulationOptions> = {}) {
  const db = openDatabaseReadonly(path);
  try {
    return await runSimulation(db, options(overrides));
  } finally {
    db.close();
  }
}

describe("the replay never reads the future", () => {
  it("gives the same result whatever happened after the period", async () => {
    const before = await simulateOn(master);
    const after = await simulateOn(poisonedCopy("after-period.db", isoFromDay(FROM + 7 * WEEKS)));
    expect(after).toEqual(before);
    expect(before.series).toBeGreaterThan(0);
    expect(before.policies.map((p) => p.policy)).toEqual(["marge", "niveau_de_service"]);
  }, 120_000);

  it("makes the same forecasts at every origin before a change in the period's sales", async () => {
    const changedFrom = FROM + 14;
    const clean = await forecastsOf(master, [0, 1, 2, 3]);
    const poisoned = await forecastsOf(
      poisonedCopy("in-period.db", isoFromDay(changedFrom)),
      [0, 1, 2, 3],
    );
    // Origins 0, 1 and 2 (days 0, 7, 14) read only days before 14: identical. Origin 3 (day
    // 21) has read the changed days 14–20: it differs, so the test can tell.
    expect(poisoned[0]).toEqual(clean[0]);
    expect(poisoned[1]).toEqual(clean[1]);
    expect(poisoned[2]).toEqual(clean[2]);
    expect(poisoned[3]).not.toEqual(clean[3]);
  }, 120_000);

  it("forecasts an origin as it would alone: nothing of the origins before it is left", async () => {
    // The origins' inputs are carved again and again from the same shared blocks; day 14 is
    // past what the selection of day 0 serves, so it chooses again, as it does alone.
    const [, , third] = (await asOfAt(master, [0, 7, 14])).byOrigin;
    const [alone] = (await asOfAt(master, [14])).byOrigin;
    expect(third).toEqual(alone);
    expect(third?.size).toBeGreaterThan(0);
  }, 120_000);

  it("refits at the origins a selection serves, as the batch's nights in between do", async () => {
    const days = [0, 3, 7, 14];
    const { byOrigin, selectedAt } = await asOfAt(master, days);
    // The batch's rule, followed origin by origin: a store chooses again once its selection
    // no longer serves (pipeline-spec.ts).
    let selectedOn = Number.NEGATIVE_INFINITY;
    const expected = days.map((day) => {
      if (selectionServes(selectedOn, FROM + day)) return false;
      selectedOn = FROM + day;
      return true;
    });
    expect(selectedAt.map((stores) => stores.length > 0)).toEqual(expected);
    expect(expected[1]).toBe(false);
    // Refitted, not chosen again: a fresh selection on day 3 differs for some series.
    const [fresh] = (await asOfAt(master, [3])).byOrigin;
    const refitted = byOrigin[1] as NonNullable<typeof fresh>;
    expect(refitted.size).toBe(fresh?.size);
    expect([...refitted].some(([key, f]) => !isDeepStrictEqual(f, fresh?.get(key)))).toBe(true);
  }, 120_000);
});

describe("the first origins' period levels", () => {
  it("are learned on a warm-up origin 28 days before the first, which changes no forecast", async () => {
    const db = openDatabaseReadonly(master);
    try {
      const firstDay = FROM - 28 - 3 * 365;
      const history = await readHistoryInWorkers(db, {
        firstDay,
        endDay: FROM + 7 * WEEKS,
        firstIso: isoFromDay(firstDay),
        endIso: isoFromDay(FROM + 7 * WEEKS),
      });
      const settings = { country: "FR" as const, historyDays: 3 * 365, horizonDays: 35 };
      const origins = [FROM, FROM + 7];
      const run = (warmUp: number | null) =>
        asOfForecasts(db, history, firstDay, origins, settings, null, () => {}, undefined, warmUp);
      const without = await run(null);
      const warmed = await run(FROM - 28);
      expect(warmed.byOrigin).toHaveLength(2);
      expect(warmed.selectedAt).toEqual(without.selectedAt);
      for (const [k, forecasts] of warmed.byOrigin.entries()) {
        const plain = without.byOrigin[k] as Map<
          string,
          { mean: ArrayLike<number>; level?: unknown }
        >;
        expect([...forecasts.keys()]).toEqual([...plain.keys()]);
        // The same forecasts: only what their level is known to differs.
        for (const [key, f] of forecasts) expect(f.mean).toEqual(plain.get(key)?.mean);
        // Without the warm-up, the default level; with it, the levels learned 28 days before
        // the first origin, kept until an origin has a forecast of its own 28 days earlier.
        expect(
          [...plain.values()].every((f) => isDeepStrictEqual(f.level, DEFAULT_PERIOD_LEVEL)),
        ).toBe(true);
        expect(
          [...forecasts.values()].some((f) => !isDeepStrictEqual(f.level, DEFAULT_PERIOD_LEVEL)),
        ).toBe(true);
      }
    } finally {
      db.close();
    }
  }, 120_000);
});

/** asOfForecasts at origins `days` after the period's first day. */
async function asOfAt(path: string, days: readonly number[]) {
  const db = openDatabaseReadonly(path);
  try {
    const firstDay = FROM - 3 * 365;
    const history = await readHistoryInWorkers(db, {
      firstDay,
      endDay: FROM + 7 * WEEKS,
      firstIso: isoFromDay(firstDay),
      endIso: isoFromDay(FROM + 7 * WEEKS),
    });
    const origins = days.map((d) => FROM + d);
    const settings = { country: "FR" as const, historyDays: 3 * 365, horizonDays: 35 };
    return await asOfForecasts(db, history, firstDay, origins, settings, null, () => {});
  } finally {
    db.close();
  }
}

async function forecastsOf(path: string, weeks: readonly number[]) {
  return (
    await asOfAt(
      path,
      weeks.map((k) => 7 * k),
    )
  ).byOrigin;
}

/**
 * What the retailer's receptions of the simulated period left past their shelf life, first in
 * first out, the stock at the start counted fresh: an article's own walk through its legacy rows.
 */
function expiredFromLegacy(
  db: ReturnType<typeof openDatabaseReadonly>,
  ref: string,
  store: string,
) {
  const { id, life } = db
    .prepare("SELECT id, duree_conservation_jours AS life FROM articles WHERE reference = ?")
    .get(ref) as { id: number; life: number | null };
  if (life === null || !(life > 0)) return 0;
  const days = Math.max(1, Math.round(life));
  const storeId = (
    db.prepare("SELECT id FROM magasins WHERE code = ?").get(store) as { id: number }
  ).id;
  const [fromIso, toIso] = [isoFromDay(FROM), isoFromDay(FROM + 7 * WEEKS)];
  const start = db
    .prepare(
      `SELECT quantite FROM stocks_historique WHERE article_id = ? AND magasin_id = ?
       AND date >= ? AND date < ? ORDER BY date DESC LIMIT 1`,
    )
    .get(id, storeId, isoFromDay(FROM - 7), fromIso) as { quantite: number };
  const byDate = (sql: string) =>
    new Map(
      (db.prepare(sql).all(id, storeId, fromIso, toIso) as { date: string; q: number }[]).map(
        (r) => [dayFromIso(r.date) - FROM, r.q],
      ),
    );
  const received = byDate(
    `SELECT r.date_reception AS date, SUM(lr.quantite) AS q FROM receptions r
     JOIN lignes_reception lr ON lr.reception_id = r.id JOIN commandes c ON c.id = r.commande_id
     WHERE lr.article_id = ? AND r.magasin_id = ? AND r.date_reception >= ? AND r.date_reception < ?
       AND c.statut NOT IN ('BROUILLON', 'ANNULEE') GROUP BY r.date_reception`,
  );
  const sold = byDate(
    `SELECT date, SUM(quantite) AS q FROM ventes WHERE article_id = ? AND magasin_id = ?
     AND date >= ? AND date < ? GROUP BY date`,
  );
  const lots = [{ day: 0, units: Math.max(0, start.quantite) }];
  let expired = 0;
  for (let i = 0; i < 7 * WEEKS; i++) {
    if ((received.get(i) ?? 0) > 0) lots.push({ day: i, units: received.get(i) as number });
    while (lots.length > 0 && i - (lots[0] as { day: number }).day >= days)
      expired += (lots.shift() as { units: number }).units;
    let left = Math.max(0, sold.get(i) ?? 0);
    while (left > 0 && lots.length > 0) {
      const lot = lots[0] as { units: number };
      const take = Math.min(left, lot.units);
      lot.units -= take;
      left -= take;
      if (lot.units <= 1e-12) lots.shift();
    }
  }
  return expired;
}

describe("optiflow simulate", () => {
  const path = () => join(temp.path, "cli.db");
  const optiflowWith = (env: NodeJS.ProcessEnv, ...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args, "--db", path()], {
      cwd: temp.path,
      encoding: "utf8",
      env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString(), ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const optiflow = (...args: string[]) => optiflowWith({}, ...args);

  it("prints, stores and exports the replay, and leaves the legacy tables identical", () => {
    copyFileSync(master, path());
    const reader = openDatabaseReadonly(path());
    const checksums = legacyChecksums(reader);
    reader.close();
    const csv = join(temp.path, "simulation.csv");
    const result = optiflow(
      "simulate",
      "--from",
      isoFromDay(FROM),
      "--weeks",
      String(WEEKS),
      "--margin",
      "10",
      "--json",
      "--csv",
      csv,
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ from: isoFromDay(FROM), weeks: WEEKS, marginPct: 10 });
    expect(result.stderr).toMatch(/simulate/);
    const db = openDatabaseReadonly(path());
    try {
      const stored = db.prepare("SELECT id, summary FROM optiflow_simulations").all() as {
        id: number;
        summary: string;
      }[];
      expect(stored.map((s) => s.id)).toEqual([json.id]);
      expect(JSON.parse(stored[0]!.summary).policies).toEqual(json.policies);
      expect(legacyChecksums(db)).toEqual(checksums);
      // Each store's part (what its Dashboard shows) adds up to the replay's savings, and to the
      // stock it left beyond the shop's.
      const replay = latestSimulation(db, null)!;
      const stores = db.prepare("SELECT id FROM magasins").all() as { id: number }[];
      expect(stores.length).toBeGreaterThan(1);
      for (const p of replay.policies) {
        const parts = stores.map(({ id }) => {
          const part = measuredSavings(db, id);
          expect(part).toMatchObject({ simulationId: replay.id, partOfChain: true });
          return part?.policies.find((s) => s.policy === p.policy);
        });
        expect(parts.every((v) => v !== undefined)).toBe(true);
        const sum = (pick: (v: { total: number; endStockDelta: number }) => number) =>
          parts.reduce((n, v) => n + pick(v!), 0);
        expect(sum((v) => v.total)).toBeCloseTo(p.savings.total, 6);
        expect(sum((v) => v.endStockDelta)).toBeCloseTo(
          p.optiflow.endStockValue - p.actual.endStockValue,
          6,
        );
      }
    } finally {
      db.close();
    }
    // `optiflow dashboard kpis` shows what the replay measured beside the projected savings.
    const kpis = optiflow("dashboard", "kpis", "--json");
    expect(kpis.code, kpis.stderr).toBe(0);
    expect(JSON.parse(kpis.stdout).measured_savings).toEqual({
      simulationId: json.id,
      from: json.from,
      to: json.to,
      weeks: WEEKS,
      partOfChain: false,
      policies: json.policies.map(
        (p: {
          policy: string;
          savings: { total: number };
          optiflow: { endStockValue: number };
          actual: { endStockValue: number };
        }) => ({
          policy: p.policy,
          total: p.savings.total,
          endStockDelta: p.optiflow.endStockValue - p.actual.endStockValue,
        }),
      ),
    });
    const bytes = readFileSync(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.subarray(3).toString("utf8"), {
      delimiter: ";",
      columns: true,
    }) as Record<string, string>[];
    expect(rows).toHaveLength(json.series * 2);
    // The CSV's rows add up to the summary's figures, policy by policy.
    for (const p of json.policies as { policy: string; optiflow: { stockOutDays: number } }[]) {
      const days = rows
        .filter((r) => r.policy === p.policy)
        .reduce((n, r) => n + Number(r.optiflow_stock_out_days), 0);
      expect(days).toBe(p.optiflow.stockOutDays);
    }
    // What perished: the CSV adds up to the summary, and the retailer's side is what its own
    // receptions and sales leave past their shelf life, recomputed here from the legacy tables.
    const num = (v: string | undefined) => Number((v ?? "").replace(",", "."));
    type Figures = { expiredUnits: number };
    for (const p of json.policies as { policy: string; optiflow: Figures; actual: Figures }[]) {
      const mine = rows.filter((r) => r.policy === p.policy);
      const sum = (column: string) => mine.reduce((n, r) => n + num(r[column]), 0);
      expect(sum("optiflow_expired_units")).toBeCloseTo(p.optiflow.expiredUnits, 6);
      expect(sum("actual_expired_units")).toBeCloseTo(p.actual.expiredUnits, 6);
    }
    const legacy = openDatabaseReadonly(path());
    try {
      const marge = rows.filter((r) => r.policy === "marge");
      const expected = marge.map((r) => expiredFromLegacy(legacy, r.article!, r.store!));
      expect(marge.map((r) => num(r.actual_expired_units))).toEqual(
        expected.map((units) => expect.closeTo(units, 6)),
      );
      expect(expected.filter((units) => units > 0).length).toBeGreaterThan(0);
    } finally {
      legacy.close();
    }
  }, 120_000);

  it("prints the replay in one language, its formula and progress too", () => {
    copyFileSync(master, path());
    const args = ["simulate", "--from", isoFromDay(FROM), "--weeks", String(WEEKS)];
    const text = optiflow(...args, "--policy", "niveau_de_service");
    expect(text.code, text.stderr).toBe(0);
    const days = WEEKS * 7;
    expect(text.stdout).toContain(
      `  (actual − simulated average stock) × 20%/year × ${days}/365 + (actual − simulated lost margin) + (actual − simulated units past shelf life) × purchase price\nWhere Optiflow would have done worst:`,
    );
    // Not a word of French but the policy's name (a setting's value) and the shop's articles.
    const [, before = "", after = ""] =
      /^([\s\S]*?)Where Optiflow[\s\S]*?\n\n(Demand[\s\S]*)$/.exec(text.stdout) ?? [];
    expect(before).toContain("Policy niveau_de_service:\nfigure ");
    expect(after).toContain("Left out: ");
    expect(`${before}${after}`).not.toMatch(/[éèàç]|réel|simulé/);
    expect(text.stderr).toMatch(/forecasts as of each week/);
    expect(text.stderr).not.toMatch(/prévisions|rejeu/);
  });

  it("replays after a batch run from cron when a replay is due, as the server does", () => {
    copyFileSync(master, path());
    const stored = () => {
      const db = openDatabaseReadonly(path());
      try {
        return db.prepare("SELECT id, created_by, summary FROM optiflow_simulations").all() as {
          id: number;
          created_by: string;
          summary: string;
        }[];
      } finally {
        db.close();
      }
    };
    expect(stored()).toEqual([]);
    const first = optiflow("ml", "batch", "--replay-if-due", "--json");
    expect(first.code, first.stderr).toBe(0);
    const replay = JSON.parse(first.stdout).replay;
    // The server's replay: the last 13 weeks, both policies, every store; by the command's user.
    const [row] = stored();
    expect(row).toMatchObject({ id: replay.id, created_by: expect.stringMatching(/^cli:/) });
    const summary = JSON.parse(row!.summary);
    expect(summary).toMatchObject({ weeks: 13, storeId: null, from: replay.from, to: replay.to });
    expect(replay).toEqual({
      stored: true,
      id: row!.id,
      from: summary.from,
      to: summary.to,
      savings: Object.fromEntries(
        summary.policies.map((p: { policy: string; savings: { total: number } }) => [
          p.policy,
          p.savings.total,
        ]),
      ),
    });
    expect(Object.keys(replay.savings)).toEqual(["marge", "niveau_de_service"]);
    // The same night again: not due, said so, nothing stored.
    const again = optiflow("ml", "batch", "--replay-if-due");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /Rejeu : pas encore dû \(le dernier, de tous les magasins, date du \d\d\/\d\d\/\d{4} à \d\d:\d\d ; un tous les 7 jours\)\.\n$/,
    );
    const never = optiflowWith(
      { OPTIFLOW_REPLAY_EVERY_DAYS: "0" },
      "ml",
      "batch",
      "--replay-if-due",
    );
    expect(never.stdout).toContain("Rejeu : jamais (OPTIFLOW_REPLAY_EVERY_DAYS=0).");
    // Without the flag, a batch is a batch.
    expect(JSON.parse(optiflow("ml", "batch", "--json").stdout)).not.toHaveProperty("replay");
    expect(stored()).toHaveLength(1);
  }, 120_000);

  it("tells a failed replay after a published batch apart: exit 14, the batch still published", () => {
    // Three months of history: a batch can run, a 13-week replay cannot.
    const short = join(temp.path, "short.db");
    const made = spawnSync(
      process.execPath,
      [BIN, "demo", "--db", short, "--articles", "6", "--stores", "1", "--years", "0.3"],
      { encoding: "utf8", env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() } },
    );
    expect(made.status, made.stderr).toBe(0);
    const r = spawnSync(
      process.execPath,
      [BIN, "ml", "batch", "--replay-if-due", "--json", "--db", short],
      {
        cwd: temp.path,
        encoding: "utf8",
        env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() },
      },
    );
    expect(r.status, r.stderr).toBe(14);
    const json = JSON.parse(r.stdout);
    expect(json.published).toBe(true);
    expect(json.replay).toEqual({
      stored: false,
      error: expect.stringContaining("too little history"),
    });
    expect(r.stderr).toContain("the batch published its results, but the replay failed");
  }, 120_000);

  it("refuses bad flags with the flag's name, and a period past the last sale", () => {
    for (const [args, flag] of [
      [["--weeks", "0"], "--weeks"],
      [["--weeks", "x"], "--weeks"],
      [["--policy", "cheap"], "--policy"],
      [["--margin", "abc"], "--margin"],
      [["--from", "2026-11-20"], "--from"],
      [["--from", "20-11-2026"], "--from"],
      [["--store", "NOPE"], "--store"],
    ] as const) {
      const r = optiflow("simulate", ...args);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.stderr, args.join(" ")).toContain(flag);
    }
  });
});

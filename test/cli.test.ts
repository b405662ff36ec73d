import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURE_NOW } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-cli-");
afterAll(() => temp.remove());

function optiflow(...args: string[]) {
  return optiflowWith({}, ...args);
}

/** The CLI with more environment variables (a time zone, a clock, a cache duration). */
function optiflowWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: temp.path,
    encoding: "utf8",
    env: {
      ...process.env,
      OPTIFLOW_DB_PATH: join(temp.path, "default.db"),
      OPTIFLOW_NOW: FIXTURE_NOW.toISOString(),
      ...env,
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("optiflow CLI (built program, as users run it)", () => {
  const db = join(temp.path, "cli.db");

  it("creates a demo database and reports its stats as JSON", () => {
    const demo = optiflow(
      "demo",
      "--db",
      db,
      "--articles",
      "9",
      "--stores",
      "1",
      "--years",
      "1",
      "--seed",
      "3",
      "--today",
      "2026-11-25",
      "--json",
    );
    expect(demo.code, demo.stderr).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({
      firstDay: "2025-11-25",
      lastDay: "2026-11-24",
    });
    const stats = optiflow("db", "stats", "--db", db, "--json");
    expect(stats.code, stats.stderr).toBe(0);
    const parsed = JSON.parse(stats.stdout);
    expect(parsed.activeStores).toBe(1);
    expect(parsed.tables.find((t: { name: string }) => t.name === "articles").rows).toBe(9);
  });

  it("prints its version, the package's, for a bug report", () => {
    const { version } = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    const result = optiflow("--version");
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it("says clearly that nothing is published yet on a base Optiflow never wrote to", () => {
    const fresh = join(temp.path, "fresh.db");
    expect(
      optiflow(
        "demo",
        "--db",
        fresh,
        "--articles",
        "3",
        "--stores",
        "1",
        "--years",
        "0.5",
        "--today",
        "2026-11-25",
      ).code,
    ).toBe(0);
    const status = optiflow("alerts", "status", "--db", fresh);
    expect(status.code).toBe(8);
    expect(status.stderr).toMatch(/no published batch results yet: run "optiflow ml batch" first/);
  });

  it("describes the schema and takes a backup", () => {
    const schema = optiflow("db", "schema", "--db", db, "--json");
    expect(schema.code).toBe(0);
    expect(
      JSON.parse(schema.stdout).filter((t: { kind: string }) => t.kind === "legacy"),
    ).toHaveLength(18);
    const backup = optiflow("db", "backup", "--db", db, "--json");
    expect(backup.code, backup.stderr).toBe(0);
    expect(existsSync(JSON.parse(backup.stdout).backup)).toBe(true);
  });

  it("runs the batch and exports the forecasts with the documented CSV header", () => {
    const run = optiflow("ml", "batch", "--db", db, "--today", "2026-11-25", "--json");
    expect(run.code, run.stderr).toBe(0);
    const csv = optiflow("predictions", "export", "--format", "csv", "--db", db);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split("\n");
    expect(lines[0]).toBe("date,store,article,forecast,p10,p50,p90,model");
    // One row per day of the horizon per active article-store (9 articles, 1 store, ≥ 60 days).
    const active = Number(
      JSON.parse(optiflow("db", "stats", "--db", db, "--json").stdout).activeArticles,
    );
    expect(lines.length - 1).toBeGreaterThanOrEqual(active * 60);
    expect(lines[1]).toMatch(/^2026-11-25,MAG01,ART-\d{6},[\d.]+,\d+,\d+,\d+,\S+$/);
    const json = JSON.parse(
      optiflow("predictions", "export", "--format", "json", "--db", db).stdout,
    );
    expect(json).toMatchObject({ stale: expect.any(Boolean), computedAt: expect.any(String) });
    expect(json.rows).toHaveLength(lines.length - 1);
    const status = JSON.parse(optiflow("alerts", "status", "--db", db, "--json").stdout);
    expect(Object.values(status.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
      active,
    );
    expect(status).toHaveProperty("computedAt");
    // Printed for people: in the machine's time zone (India's: no summer time, half-hour offset),
    // and the stale warning names the cache duration in force.
    const text = optiflowWith(
      { TZ: "Asia/Kolkata", OPTIFLOW_NOW: "2031-01-01T00:00:00Z", CACHE_DURATION_HOURS: "6" },
      "alerts",
      "status",
      "--db",
      db,
    );
    const local = new Date(Date.parse(status.computedAt) + 5.5 * 3_600_000);
    const two = (n: number) => String(n).padStart(2, "0");
    expect(text.stdout.split("\n").slice(0, 2)).toEqual([
      `Résultats calculés le ${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} à ${two(local.getUTCHours())}:${two(local.getUTCMinutes())} (batch du ${status.today}, run ${status.runId})`,
      "ATTENTION : ces résultats ont plus de 6 heures (dernier batch publié trop ancien).",
    ]);
    const calc = optiflow(
      "alerts",
      "calc",
      lines[1]!.split(",")[2]!,
      "2026-12-10",
      "15",
      "--db",
      db,
      "--json",
    );
    expect(calc.code, calc.stderr).toBe(0);
    expect(JSON.parse(calc.stdout).results[0].formula).toMatch(/× \(1 \+ 15\/100\)/);
  });

  it("lists the critical articles with the value at risk the Alerts page shows", () => {
    const text = optiflow("alerts", "critical", "--db", db);
    expect(text.code, text.stderr).toBe(0);
    const json = JSON.parse(optiflow("alerts", "critical", "--db", db, "--json").stdout) as {
      alerts: { reference: string; storeCode: string; valueAtRisk: number | null }[];
    };
    expect(json.alerts.length).toBeGreaterThan(0);
    const lines = text.stdout.split("\n");
    expect(lines.find((l) => l.startsWith("store "))).toMatch(/ order_by +value_at_risk$/);
    for (const a of json.alerts) {
      const row = lines.find((l) => l.startsWith(`${a.storeCode} `) && l.includes(a.reference));
      const value = a.valueAtRisk === null ? "" : a.valueAtRisk.toFixed(2).replace(/\.00$/, "");
      expect(row?.trimEnd().endsWith(` ${value}`) || value === "", row).toBe(true);
    }
  });

  it("reads a base the previous version published, bringing Optiflow's tables up to date first", () => {
    const older = join(temp.path, "older-version.db");
    const source = new Database(db, { readonly: true });
    source.prepare("VACUUM INTO ?").run(older);
    source.close();
    // What a version before migration 18 left: its column absent, its record too.
    const copy = new Database(older);
    copy.exec("ALTER TABLE optiflow_alerts DROP COLUMN days_to_stockout");
    copy.prepare("DELETE FROM optiflow_migrations WHERE version = 18").run();
    copy.close();
    const critical = optiflow("alerts", "critical", "--db", older);
    // The morning's first command failed here with "unexpected error: no such column".
    expect(critical.code, critical.stderr).toBe(0);
    expect(critical.stdout).toMatch(/stockout_on/);
    const after = new Database(older, { readonly: true });
    const versions = after.prepare("SELECT version FROM optiflow_migrations").pluck().all();
    after.close();
    expect(versions).toContain(18);
    expect(optiflow("alerts", "status", "--db", older).code).toBe(0);
  });

  it("says where the precision it prints comes from, in the pages' words", () => {
    const text = optiflow("predictions", "accuracy", "--db", db);
    expect(text.code, text.stderr).toBe(0);
    const json = JSON.parse(optiflow("predictions", "accuracy", "--db", db, "--json").stdout);
    // A first batch: no stored forecasts yet, so the held-out window's figure.
    expect(json.performance.source).toBe("backtest");
    const percent = (v: number) => `${(Math.round(v * 1000) / 10).toString().replace(".", ",")} %`;
    expect(text.stdout).toContain(
      `Précision : ${percent(json.performance.precision)} (4 dernières semaines, que le choix des modèles n'a pas vues), MAPE ${percent(json.performance.mape)}`,
    );
  });

  it("prints the Dashboard's figures as lines and tables for people, exactly as --json has them", () => {
    const text = optiflow("dashboard", "kpis", "--db", db);
    expect(text.code, text.stderr).toBe(0);
    const json = JSON.parse(optiflow("dashboard", "kpis", "--db", db, "--json").stdout);
    const lines = text.stdout.split("\n");
    // No JSON dumped: no braces, no float noise like 3093.4299999999994.
    expect(lines.slice(1).join("\n")).not.toMatch(/[{}]|\d\.\d{3,}/);
    expect(lines).toContain(`  stockValue: ${json.health.stockValue.toFixed(2)}`);
    expect(lines).toContain(`    CRITIQUE: ${json.health.alerts.CRITIQUE}`);
    expect(lines).toContain(`    total: ${json.financial.savings.total.toFixed(2)}`);
    // No replay yet: nothing measured, and said so beside the projection.
    expect(json.measured_savings).toBeNull();
    expect(lines[lines.indexOf("measured_savings:") - 2]).toBe("    basis: sales_kept");
    // The urgencies as a table: a header, a rule, a row each.
    const at = lines.indexOf("urgencies:");
    expect(lines[at + 1]).toMatch(/^ {2}articleId +reference +name/);
    expect(lines.slice(at + 3).filter((l) => /^ +\d+ +ART-/.test(l))).toHaveLength(
      json.urgencies.length,
    );
  });

  it("says from when the service levels promised can be checked, with the Dashboard's figures", () => {
    const json = JSON.parse(optiflow("dashboard", "service-levels", "--db", db, "--json").stdout);
    // A first batch: no period of a stored promise is over yet.
    expect(json.service_promise.byClass).toEqual([]);
    expect(json.service_promise.firstPeriodEnd).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const all = JSON.parse(optiflow("dashboard", "kpis", "--db", db, "--json").stdout);
    expect(all.service_promise).toEqual(json.service_promise);
    const text = optiflow("dashboard", "niveaux-de-service", "--db", db);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`  firstPeriodEnd: ${json.service_promise.firstPeriodEnd}`);
  });

  it("writes the calculator's notes as sentences under their quantity, decimals with a comma, and a shortfall as what will be missing", () => {
    // ART-000001 of this demo is perishable: its shelf life caps the service-level quantity.
    const calc = optiflow("alerts", "calc", "ART-000001", "2026-12-20", "25", "--db", db);
    expect(calc.code, calc.stderr).toBe(0);
    const lines = calc.stdout.split("\n");
    const json = JSON.parse(
      optiflow("alerts", "calc", "ART-000001", "2026-12-20", "25", "--db", db, "--json").stdout,
    ).results[0];
    const service = lines.findIndex((l) => l.startsWith("  Quantité niveau de service"));
    const cap = json.service.notes.find((n: { code: string }) => n.code === "shelf_life_capped");
    expect(cap).toBeDefined();
    expect(lines[service + 1 + json.service.notes.indexOf(cap)]).toBe(
      `    Note : Limitée à ${cap.maxUnits} : au-delà, la marchandise périmerait avant d'être vendue.`,
    );
    expect(lines.filter((l) => l.includes("Note :"))).toHaveLength(
      json.notes.length + json.service.notes.length,
    );
    expect(lines.some((l) => /Note : [a-z_]+$/.test(l))).toBe(false);
    expect(json.stockAtDelivery).toBeGreaterThan(0);
    const atDelivery = lines.find((l) => l.startsWith("  Stock attendu à la livraison"));
    expect(atDelivery).toMatch(/ : \d+(,\d)?$/);
    // ART-000005 runs out before its delivery: the sales its shelf will miss until then, not a
    // negative stock.
    const short = optiflow("alerts", "calc", "ART-000005", "2026-12-20", "25", "--db", db);
    const result = JSON.parse(
      optiflow("alerts", "calc", "ART-000005", "2026-12-20", "25", "--db", db, "--json").stdout,
    ).results[0];
    expect(result.stockAtDelivery).toBeLessThan(0);
    expect(result.salesLost).toBeGreaterThan(0);
    // The sales are counted in the article's unit, as the page says them.
    expect(result.unit).toMatch(/^\S+$/);
    const decimal = (v: number) => (Math.round(v * 10) / 10).toString().replace(".", ",");
    const left = result.stockAtDelivery + result.salesLost;
    const leaves =
      left >= 0.05
        ? ` ; la commande en cours en laissera ${decimal(left)} ${result.unit} à la livraison \\(la formule compte les ventes perdues comme encore à servir\\)`
        : "";
    expect(short.stdout).toMatch(
      new RegExp(
        `^  Rayon vide avant la livraison \\(dans \\d+ j\\) : ${decimal(result.salesLost)} ${result.unit} de ventes prévues perdues${leaves}$`,
        "m",
      ),
    );
    // A covered article says the stock left at delivery, and misses nothing.
    expect(json.salesLost).toBe(0);
  });

  it("refuses to serve beyond loopback without users, and creates users with a hashed password", () => {
    const refused = optiflow("serve", "--db", db, "--host", "0.0.0.0", "--port", "18599");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without any user/);
    const add = spawnSync(
      process.execPath,
      [BIN, "users", "add", "marie", "--role", "admin", "--password-stdin", "--db", db],
      {
        cwd: temp.path,
        input: "un-mot-de-passe-solide\n",
        encoding: "utf8",
      },
    );
    expect(add.status, add.stderr).toBe(0);
    const weak = spawnSync(
      process.execPath,
      [BIN, "users", "add", "paul", "--role", "admin", "--password-stdin", "--db", db],
      { input: "court\n", encoding: "utf8" },
    );
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/password: at least 10 characters/);
    const badRole = optiflow(
      "users",
      "add",
      "paul",
      "--role",
      "chef",
      "--password-stdin",
      "--db",
      db,
    );
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role/);
  });

  // The exit code scripts read: 2 for a bad option or argument (Commander's own checks said 1,
  // the code of an unexpected failure), 3 for a missing database.
  const bad: Array<[string, string[], RegExp, number]> = [
    [
      "an unknown flag",
      ["demo", "--db", "x.db", "--colour", "blue"],
      /unknown option '--colour'/,
      2,
    ],
    [
      "a bad date",
      ["demo", "--db", "x.db", "--today", "2026-13-01"],
      /expected a date YYYY-MM-DD/,
      2,
    ],
    [
      "a negative article count",
      ["demo", "--db", "x.db", "--articles", "-5"],
      /expected a positive whole number/,
      2,
    ],
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/, 2],
    ["a missing database", ["db", "stats", "--db", "missing.db"], /database not found/, 3],
    [
      "an unknown export format",
      ["predictions", "export", "--format", "xml", "--db", "x.db"],
      /--format: expected csv or json/,
      2,
    ],
    [
      "a target date beyond the horizon",
      ["alerts", "calc", "ART-000001", "2030-01-01", "10", "--db", "cli.db"],
      /horizon/,
      2,
    ],
    [
      "a margin that is not a number",
      ["alerts", "calc", "ART-000001", "2026-12-01", "abc", "--db", "cli.db"],
      /margin/,
      2,
    ],
    [
      "a missing option value",
      ["alerts", "critical", "--store"],
      /'--store <code>' argument missing/,
      2,
    ],
    ["a missing argument", ["alerts", "calc", "ART-000001"], /missing required argument 'date'/, 2],
  ];
  for (const [label, args, message, exitCode] of bad) {
    it(`rejects ${label} with a clear message, a non-zero exit and no file written`, () => {
      const result = optiflow(...args);
      expect(result.code, result.stderr).toBe(exitCode);
      expect(result.stderr).toMatch(message);
      expect(existsSync(join(temp.path, "x.db"))).toBe(false);
    });
  }

  it("rejects an unreadable CSV import, naming the file and line", () => {
    const dir = join(temp.path, "csv");
    mkdirSync(dir);
    writeFileSync(join(dir, "magasins.csv"), "id,code,nom\n1,MAG01,Lyon\n");
    writeFileSync(
      join(dir, "articles.csv"),
      "id,reference,nom,date_creation\n1,A,Pâtes,2024-01-01\n",
    );
    writeFileSync(
      join(dir, "ventes.csv"),
      "date,magasin_id,article_id,quantite,chiffre_affaires\n2024-01-02,1,1,deux,3\n",
    );
    const result = optiflow("import", "--dir", dir, "--db", "imported.db");
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/ventes\.csv:2 \[quantite\]/);
    // The error on a line of its own, after the progress line (a log keeps both).
    expect(result.stderr).toMatch(/^import: .* rows\r\noptiflow: import failed/m);
    expect(existsSync(join(temp.path, "imported.db"))).toBe(false);
  });
});

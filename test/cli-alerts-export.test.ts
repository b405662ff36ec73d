import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FIXTURE_NOW,
  publishedDemo,
  startTestServer,
  type TestServer,
} from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/** `optiflow alerts export`: the Alerts page's CSV, for a script or a cron job. */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-cli-alerts-export-");
let db: string;
let server: TestServer;

function optiflow(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, "--db", db], {
    cwd: temp.path,
    encoding: "utf8",
    env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  const published = await publishedDemo(temp.path, "alerts-export.db", 36);
  db = published.path;
  server = startTestServer(published.config);
}, 120_000);
afterAll(async () => {
  await server.close();
  temp.remove();
});

const api = async (url: string) => (await server.app.inject({ method: "GET", url })).body;

describe("optiflow alerts export", () => {
  it("writes, byte for byte, what the Alerts page exports with the same filters", async () => {
    const all = optiflow("alerts", "export");
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe(await api("/api/alerts/export"));
    const critical = optiflow("alerts", "export", "--level", "critique", "--store", "MAG01");
    expect(critical.stdout).toBe(await api("/api/alerts/export?level=CRITIQUE&store=1"));
    const rows = parse(critical.stdout, { delimiter: ";", bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.level === "CRITIQUE" && r.store === "MAG01")).toBe(true);
    // The whole list: every row of every level, most urgent first.
    const levels = (
      parse(all.stdout, { delimiter: ";", bom: true, columns: true }) as {
        level: string;
      }[]
    ).map((r) => r.level);
    expect(levels.length).toBe(JSON.parse(await api("/api/alerts?limit=1")).total);
    expect(levels[0]).toBe("CRITIQUE");
  });

  it("keeps the page's supplier and category filters, by name or id", async () => {
    const reader = new Database(db, { readonly: true });
    const supplier = reader
      .prepare(
        "SELECT f.id, f.nom FROM fournisseurs f JOIN articles a ON a.fournisseur_id = f.id ORDER BY f.id LIMIT 1",
      )
      .get() as { id: number; nom: string };
    const category = reader
      .prepare("SELECT categorie_id AS id FROM articles WHERE fournisseur_id = ? LIMIT 1")
      .get(supplier.id) as { id: number };
    reader.close();
    const bySupplier = optiflow("alerts", "export", "--supplier", supplier.nom);
    expect(bySupplier.code, bySupplier.stderr).toBe(0);
    expect(bySupplier.stdout).toBe(await api(`/api/alerts/export?supplier=${supplier.id}`));
    const both = optiflow(
      "alerts",
      "export",
      "--supplier",
      String(supplier.id),
      "--category",
      String(category.id),
    );
    expect(both.stdout).toBe(
      await api(`/api/alerts/export?supplier=${supplier.id}&category=${category.id}`),
    );
    expect(both.stdout.split("\r\n").length).toBeGreaterThan(2);
    const unknown = optiflow("alerts", "export", "--supplier", "Nobody & Co");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--supplier: no supplier with name or id "Nobody & Co"');
  });

  it("writes the same rows as JSON, with the publication and the shelf life's note", async () => {
    const result = optiflow("alerts", "export", "--format", "json", "--store", "MAG02");
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      stale: boolean;
      orderPolicy: string;
      alerts: { reference: string; storeCode: string; shelfLife: string | null }[];
    };
    expect(json).toMatchObject({ stale: false, orderPolicy: "marge" });
    const page = JSON.parse(await api("/api/alerts?store=2&limit=100000")) as {
      alerts: { reference: string; storeCode: string }[];
    };
    expect(json.alerts.map((a) => `${a.storeCode} ${a.reference}`)).toEqual(
      page.alerts.map((a) => `${a.storeCode} ${a.reference}`),
    );
    // Every row says what the shelf life did to its quantity, null where nothing.
    expect(json.alerts.every((a) => "shelfLife" in a)).toBe(true);
    const format = optiflow("alerts", "export", "--format", "xlsx");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format: expected csv or json, got "xlsx"');
  });

  it("writes a file whole under its name, and refuses a bad level or folder with exit 2", () => {
    const path = join(temp.path, "alertes.csv");
    const written = optiflow("alerts", "export", "--output", path, "--level", "Attention");
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe("");
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readdirSync(temp.path).filter((f) => f.includes(".partial-"))).toEqual([]);

    const level = optiflow("alerts", "export", "--level", "urgent");
    expect(level.code).toBe(2);
    expect(level.stderr).toContain(
      '--level: expected critique, attention, ok or sans_prevision, got "urgent"',
    );
    const folder = optiflow("alerts", "export", "--output", join(temp.path, "none", "a.csv"));
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("--output: the folder");
  });

  it("says on stderr, not in the file, that the results are stale", () => {
    const late = spawnSync(process.execPath, [BIN, "alerts", "export", "--db", db], {
      encoding: "utf8",
      env: { ...process.env, OPTIFLOW_NOW: "2026-11-28T07:00:00.000Z" },
    });
    expect(late.status).toBe(0);
    expect(late.stderr).toMatch(/^ATTENTION : ces résultats ont plus de 24 heures/);
    expect(late.stdout.startsWith("\uFEFFlevel;store;article;")).toBe(true);
  });
});

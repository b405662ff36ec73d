import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTempDir } from "../src/test-support/temp-dir.js";

const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-cli-");
afterAll(() => temp.remove());

function optiflow(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: temp.path,
    encoding: "utf8",
    env: { ...process.env, OPTIFLOW_DB_PATH: join(temp.path, "default.db") },
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

  const bad: Array<[string, string[], RegExp]> = [
    ["an unknown flag", ["demo", "--db", "x.db", "--colour", "blue"], /unknown option '--colour'/],
    ["a bad date", ["demo", "--db", "x.db", "--today", "2026-13-01"], /expected a date YYYY-MM-DD/],
    [
      "a negative article count",
      ["demo", "--db", "x.db", "--articles", "-5"],
      /expected a positive whole number/,
    ],
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["a missing database", ["db", "stats", "--db", "missing.db"], /database not found/],
  ];
  for (const [label, args, message] of bad) {
    it(`rejects ${label} with a clear message, a non-zero exit and no file written`, () => {
      const result = optiflow(...args);
      expect(result.code).not.toBe(0);
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
    expect(existsSync(join(temp.path, "imported.db"))).toBe(false);
  });
});

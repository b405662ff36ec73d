import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishedRunId } from "../src/data/optiflow/runs-repository.js";
import { FIXTURE_NOW, publishedDemo } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/** `optiflow predictions export --store --article`: one store's or one series' forecasts. */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const temp = createTempDir("optiflow-cli-predictions-export-");
let db: string;

function optiflow(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, "predictions", "export", ...args, "--db", db], {
    cwd: temp.path,
    encoding: "utf8",
    env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  // 36 articles in 2 stores: about 300 KB of CSV, more than a pipe holds unread.
  db = (await publishedDemo(temp.path, "predictions-export.db", 36)).path;
}, 120_000);
afterAll(() => temp.remove());

const rowsOf = (csv: string) => csv.trim().split("\n").slice(1);

function findArticleName(path: string, reference: string): string {
  const base = new Database(path, { readonly: true });
  try {
    return (
      base.prepare("SELECT nom FROM articles WHERE reference = ?").get(reference) as {
        nom: string;
      }
    ).nom;
  } finally {
    base.close();
  }
}

describe("optiflow predictions export, filtered", () => {
  it("keeps a store's rows, or one article's, as the whole export holds them", () => {
    const all = optiflow();
    expect(all.code, all.stderr).toBe(0);
    const store = optiflow("--store", "MAG02");
    expect(store.code, store.stderr).toBe(0);
    expect(store.stdout.split("\n")[0]).toBe("date,store,article,forecast,p10,p50,p90,model");
    const mag02 = rowsOf(all.stdout).filter((r) => r.split(",")[1] === "MAG02");
    expect(mag02.length).toBeGreaterThan(0);
    expect(rowsOf(store.stdout)).toEqual(mag02);
    // By reference or by id, as the other commands take them.
    const article = optiflow("--article", "ART-000003");
    expect(rowsOf(article.stdout)).toEqual(
      rowsOf(all.stdout).filter((r) => r.split(",")[2] === "ART-000003"),
    );
    expect(new Set(rowsOf(article.stdout).map((r) => r.split(",")[1]))).toEqual(
      new Set(["MAG01", "MAG02"]),
    );
    expect(optiflow("--article", "3").stdout).toBe(article.stdout);
  });

  it("gives one series as JSON, with the same fields as the whole export", () => {
    const series = JSON.parse(
      optiflow("--store", "MAG01", "--article", "ART-000003", "--format", "json").stdout,
    );
    const all = JSON.parse(optiflow("--format", "json").stdout);
    expect(series.rows.length).toBeGreaterThan(27);
    expect(series.rows).toEqual(
      all.rows.filter(
        (r: { store: string; article: string }) =>
          r.store === "MAG01" && r.article === "ART-000003",
      ),
    );
    expect(Object.keys(series.rows[0])).toEqual([
      "date",
      "store",
      "article",
      "forecast",
      "p10",
      "p50",
      "p90",
      "model",
    ]);
  });

  it("keeps the series a search finds, as the Predictions page's export does", async () => {
    const all = optiflow();
    // The first word of an article's name, typed without its accents and in capitals.
    const name = findArticleName(db, "ART-000003");
    const word = name.split(" ")[0]!;
    const typed = word
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toUpperCase();
    const found = optiflow("--search", typed, "--store", "MAG02");
    expect(found.code, found.stderr).toBe(0);
    const expected = rowsOf(all.stdout).filter((r) => {
      const [, store, article] = r.split(",");
      const named = findArticleName(db, article!).toLowerCase();
      return store === "MAG02" && named.includes(word.toLowerCase());
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(rowsOf(found.stdout)).toEqual(expected);
    // A search that finds nothing: the header alone, said on stderr, not an error.
    const none = optiflow("--search", "no-such-article-anywhere");
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("date,store,article,forecast,p10,p50,p90,model\n");
    expect(none.stderr).toMatch(/--search: no published series matches "no-such-article-anywhere"/);
  });

  it("finds an article renamed since the batch by the name the Predictions page lists", () => {
    const name = findArticleName(db, "ART-000003");
    const before = optiflow("--article", "ART-000003", "--search", name);
    expect(rowsOf(before.stdout).length).toBeGreaterThan(0);
    const legacy = new Database(db);
    legacy.prepare("UPDATE articles SET nom = 'Zzrenamed' WHERE reference = 'ART-000003'").run();
    try {
      expect(optiflow("--article", "ART-000003", "--search", name).stdout).toBe(before.stdout);
      expect(rowsOf(optiflow("--search", "zzrenamed").stdout)).toEqual([]);
    } finally {
      legacy.prepare("UPDATE articles SET nom = ? WHERE reference = 'ART-000003'").run(name);
      legacy.close();
    }
  });

  it("writes to --output the bytes it prints, CSV and JSON, over many chunks", () => {
    for (const format of ["csv", "json"]) {
      const printed = optiflow("--format", format);
      const target = join(temp.path, `export.${format}`);
      const written = optiflow("--format", format, "--output", target);
      expect(written.code, written.stderr).toBe(0);
      expect(written.stdout).toBe("");
      // About 300 KB: several of the 64 KB chunks it is written in.
      expect(printed.stdout.length).toBeGreaterThan(200_000);
      expect(readFileSync(target, "utf8")).toBe(printed.stdout);
    }
  });

  it("refuses a store or an article the base lacks, naming the option, writing nothing", () => {
    const store = optiflow("--store", "MAG09");
    expect(store.code).toBe(2);
    expect(store.stderr).toMatch(/--store: no store with code or id "MAG09"/);
    expect(store.stdout).toBe("");
    const article = optiflow("--article", "ART-999999", "--format", "json");
    expect(article.code).toBe(2);
    expect(article.stderr).toMatch(/--article: no article with reference or id "ART-999999"/);
    expect(article.stdout).toBe("");
  });

  it("writes one snapshot of the base: a batch publishing halfway through does not cut it short", async () => {
    const whole = optiflow().stdout;
    // Spawned with its output unread: it writes the header and its first series, then waits on
    // the full pipe, halfway through the base.
    const child = spawn(process.execPath, [BIN, "predictions", "export", "--db", db], {
      env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() },
    });
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        if (chunks.length === 1) {
          child.stdout.pause();
          resolve();
        }
      }),
    );
    // Meanwhile tonight's batch deletes the published run's daily rows as it publishes its own.
    const writer = new Database(db);
    const runId = publishedRunId(writer);
    const deleted = writer.prepare("DELETE FROM optiflow_forecasts WHERE run_id = ?").run(runId);
    writer.close();
    expect(deleted.changes).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    child.stdout.resume();
    expect(await exited).toBe(0);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(whole);
    expect(whole.length).toBeGreaterThan(200_000);
  });
});

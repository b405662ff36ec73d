import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { fitBoostedTrees, treesOutput } from "../../domain/forecast/boosted-trees.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import { migration0012 } from "./migrations/0012-model-choices.js";
import { readModelChoices, saveModelChoices } from "./model-choices-repository.js";

const temp = createTempDir();
afterAll(() => temp.remove());

function database(name: string) {
  const db = new Database(join(temp.path, name));
  db.exec(migration0012.sql);
  return db;
}

describe("saved selections", () => {
  it("read back what was saved, with each demand class's default model", () => {
    const db = database("saved.db");
    const defaultModels = { store: "prophet_like", byClass: { intermittent: "sba" } };
    saveModelChoices(db, "p", [
      { storeId: 1, day: 20_000, selection: { pooled: null, defaultModels, choices: new Map() } },
    ]);
    const [saved] = readModelChoices(db, "p");
    expect(saved?.day).toBe(20_000);
    expect(saved?.selection.defaultModels).toEqual(defaultModels);
    expect(readModelChoices(db, "another pipeline")).toEqual([]);
    db.close();
  });

  it("read a selection saved before class defaults as the store's default alone", () => {
    const db = database("older.db");
    db.prepare(
      "INSERT INTO optiflow_history_model_choices (magasin_id, selected_on, pipeline, selection) VALUES (1, '2026-10-29', 'p', ?)",
    ).run(JSON.stringify({ defaultModel: "weekday_mean_8w", pooled: null, choices: [] }));
    const [saved] = readModelChoices(db, "p");
    expect(saved?.selection.defaultModels).toEqual({ store: "weekday_mean_8w", byClass: {} });
    db.close();
  });

  it("read back each series' backtest and quiet weeks; none for a selection saved before them", () => {
    const db = database("weeks.db");
    const choice = {
      model: "tsb",
      members: [{ name: "tsb", variant: null }],
      backtest: { error: 1, total: 2, apeSum: 0, apeWeeks: 0 },
      scores: { tsb: 0.5 },
      demandClass: "smooth" as const,
      phi: 0.2,
      dispersion: { aa: 1, af: 1, ff: 1, f: 1 },
      backtestWeeks: Float64Array.from([3, 4, 5, 6]),
      quietWeeks: Float64Array.from([5, 0]),
    };
    const defaultModels = { store: "tsb", byClass: {} };
    saveModelChoices(db, "p", [
      {
        storeId: 1,
        day: 20_000,
        selection: { pooled: null, defaultModels, choices: new Map([["a", choice]]) },
      },
    ]);
    expect(readModelChoices(db, "p")[0]?.selection.choices.get("a")).toEqual(choice);
    const { quietWeeks: _, ...older } = { ...choice, backtestWeeks: [3, 4, 5, 6] };
    db.prepare(
      "INSERT INTO optiflow_history_model_choices (magasin_id, selected_on, pipeline, selection) VALUES (2, '2026-10-29', 'p', ?)",
    ).run(JSON.stringify({ defaultModels, pooled: null, choices: [["b", older]] }));
    const back = readModelChoices(db, "p").find((s) => s.storeId === 2);
    expect(back?.selection.choices.get("b")?.quietWeeks).toEqual(new Float64Array(0));
    db.close();
  });

  it("skip a selection whose pooled fit was saved with zero coefficients, keep a real one", () => {
    const db = database("zero-pooled.db");
    const defaultModels = { store: "pooled", byClass: {} };
    const pooledOf = (coefficients: number[]) => ({
      coefficients: Float64Array.from(coefficients),
      eventTypes: [],
      rows: 300,
    });
    saveModelChoices(db, "p", [
      {
        storeId: 1,
        day: 20_000,
        selection: { pooled: pooledOf([0, 0, 0]), defaultModels, choices: new Map() },
      },
      {
        storeId: 2,
        day: 20_000,
        selection: { pooled: pooledOf([0.2, 0, -1]), defaultModels, choices: new Map() },
      },
      {
        storeId: 3,
        day: 20_000,
        selection: { pooled: { ...pooledOf([0, 0]), rows: 0 }, defaultModels, choices: new Map() },
      },
    ]);
    expect(readModelChoices(db, "p").map((s) => s.storeId)).toEqual([2, 3]);
    db.close();
  });

  it("read back a pooled model's trees, unsplit nodes included", () => {
    const db = database("trees.db");
    // Two features, the second constant: its nodes never split (threshold +∞).
    const n = 2_000;
    const x = new Float64Array(n * 2).map((_, i) => (i % 2 === 0 ? (i % 7) / 7 : 1));
    const y = new Float64Array(n).map((_, r) => ((r * 2) % 7 > 3 ? 6 : 1));
    const trees = fitBoostedTrees(x, y, new Float64Array(n), n, 2);
    expect(trees.threshold.some((t) => t === Number.POSITIVE_INFINITY)).toBe(true);
    const pooled = { coefficients: Float64Array.from([0.5, 0]), eventTypes: [], rows: n, trees };
    const defaultModels = { store: "pooled", byClass: {} };
    saveModelChoices(db, "p", [
      { storeId: 1, day: 20_000, selection: { pooled, defaultModels, choices: new Map() } },
    ]);
    const back = readModelChoices(db, "p")[0]?.selection.pooled?.trees;
    expect(back).toBeTruthy();
    for (const x0 of [0, 0.3, 0.6, 0.9])
      expect(treesOutput(back as typeof trees, [x0, 1])).toBe(treesOutput(trees, [x0, 1]));
    db.close();
  });
});

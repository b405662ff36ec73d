import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isoFromDay } from "../../src/domain/calendar/days.js";
import { applyClosedDays } from "../../src/domain/forecast/model-input.js";
import type { BenchDataset } from "../datasets/bench-dataset.js";
import type { ProphetConfig } from "./augurs-models.js";

const SCRIPT = new URL("../../../bench/references/r-prophet.R", import.meta.url).pathname;

export function rProphetAvailable(): boolean {
  const r = spawnSync("Rscript", ["-e", "suppressMessages(library(prophet))"], {
    encoding: "utf8",
  });
  return r.status === 0;
}

export interface RProphetRun {
  forecasts: Map<string, Float64Array>;
  /** Fit + forecast per series, measured inside R (R's start-up is not counted). */
  msPerSeries: number;
}

/**
 * The original Prophet on some series of a data set, in one Rscript process: the histories,
 * the days to forecast and the events go through CSV files in a temporary directory.
 */
export function rProphet(
  dataset: BenchDataset,
  ids: readonly string[],
  config: ProphetConfig,
): RProphetRun {
  const dir = mkdtempSync(join(tmpdir(), "optiflow-rprophet-"));
  try {
    const { calendar, origin, horizon } = dataset;
    const day = (i: number) => isoFromDay(calendar.firstDay + i);
    const wanted = new Set(ids);
    const history = ["id,ds,y"];
    const future = ["id,ds"];
    for (const { id, input } of dataset.series) {
      if (!wanted.has(id)) continue;
      for (let i = 0; i < origin; i++) {
        const v = input.sales[i] as number;
        if (Number.isFinite(v)) history.push(`${id},${day(i)},${v}`);
      }
      for (let h = 0; h < horizon; h++) future.push(`${id},${day(origin + h)}`);
    }
    const holidays = ["holiday,ds"];
    if (config.events)
      for (const { type, active } of calendar.events)
        for (let i = 0; i < calendar.length; i++)
          if (active[i] === 1) holidays.push(`${type},${day(i)}`);
    const path = (name: string) => join(dir, name);
    writeFileSync(path("history.csv"), history.join("\n"));
    writeFileSync(path("future.csv"), future.join("\n"));
    writeFileSync(path("holidays.csv"), holidays.length > 1 ? holidays.join("\n") : "");
    const r = spawnSync(
      "Rscript",
      [
        SCRIPT,
        path("history.csv"),
        path("holidays.csv"),
        path("future.csv"),
        path("out.csv"),
        config.log ? "1" : "0",
      ],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    );
    if (r.status !== 0) throw new Error(`Rscript failed: ${r.stderr.slice(-2000)}`);
    const forecasts = new Map<string, Float64Array>();
    const ms = new Map<string, number>();
    for (const line of readFileSync(path("out.csv"), "utf8").trim().split("\n").slice(1)) {
      const [id, h, yhat, elapsed] = line.split(",").map((c) => c.replace(/"/g, "")) as [
        string,
        string,
        string,
        string,
      ];
      let f = forecasts.get(id);
      if (!f) {
        f = new Float64Array(horizon);
        forecasts.set(id, f);
      }
      f[Number(h)] = Number(yhat);
      ms.set(id, Number(elapsed));
    }
    for (const f of forecasts.values()) applyClosedDays(f, calendar, origin);
    const times = [...ms.values()];
    return {
      forecasts,
      msPerSeries: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/// <reference lib="dom" />
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium } from "../../src/test-support/browser.js";
import { FIXTURE_TODAY } from "../../src/test-support/demo-fixture.js";
import type { DashboardResponse } from "../../web/src/api/client.js";
import {
  expectAccessible,
  expectNoSidewaysScroll,
  type PagesFixture,
  PHONE,
  startPages,
} from "./browser-fixture.js";

/**
 * The Dashboard's check of the service levels promised by past nights, in Chromium: what it says
 * before any promised period is over, then, once an earlier night's periods are, the figures
 * the API holds, in French and in English.
 */
const BIN = new URL("../../bin/optiflow.js", import.meta.url).pathname;
let f: PagesFixture;

beforeAll(async () => {
  if (hasChromium) f = await startPages("promise", 18);
}, 180_000);
afterAll(async () => {
  await f?.close();
});

function batch(today: string, ...flags: string[]): void {
  const args = [BIN, "ml", "batch", "--today", today, "--db", f.dbPath, ...flags];
  const run = spawnSync(process.execPath, args, {
    encoding: "utf8",
    env: { ...process.env, OPTIFLOW_NOW: `${today}T00:30:00.000Z` },
  });
  expect(run.status, run.stderr).toBe(0);
}

const percent = (v: number, locale: string) =>
  `${(v * 100).toLocaleString(locale, { maximumFractionDigits: 1 })} %`;

describe.skipIf(!hasChromium)("Dashboard: were the promised service levels held?", () => {
  it("says when the first periods end, while none is over", async () => {
    const page = await f.open("/#/dashboard");
    await page.getByTestId("service-promise").waitFor();
    const d = await f.api<DashboardResponse>("/api/dashboard");
    expect(d.servicePromise?.byClass).toEqual([]);
    expect((d.servicePromise?.firstPeriodEnd ?? "") > FIXTURE_TODAY).toBe(true);
    expect(await page.getByTestId("service-promise-empty").innerText()).toMatch(
      /^Pas encore mesurable : les périodes des premières suggestions enregistrées se terminent le \d+ \S+/,
    );
    await expectAccessible(page, "dashboard, no promise checked yet");
  });

  it("shows per class what was promised and how often it held, once a past night's periods are over", async () => {
    // An earlier night first (older than the fixture's publication, hence --force).
    batch("2026-11-02", "--force");
    batch(FIXTURE_TODAY);
    const d = await f.api<DashboardResponse>("/api/dashboard");
    const rows = d.servicePromise!.byClass;
    expect(rows.map((r) => r.abc)).toEqual(["A", "B", "C"]);
    expect(rows.reduce((n, r) => n + r.periods, 0)).toBeGreaterThan(10);
    for (const [language, locale] of [
      ["fr", "fr-FR"],
      ["en", "en-GB"],
    ] as const) {
      const page = await f.open("/#/dashboard", { language });
      await page.getByTestId("service-promise-A").waitFor();
      for (const r of rows) {
        const cells = await page.getByTestId(`service-promise-${r.abc}`).locator("th, td");
        const texts = (await cells.allInnerTexts()).map((t) => t.trim());
        const gap = Math.round((r.heldShare! - r.serviceLevel) * 1000) / 10;
        const signed = `${gap > 0 ? "+" : ""}${gap.toLocaleString(locale, { maximumFractionDigits: 1 })}`;
        const bound = (v: number) => (v * 100).toLocaleString(locale, { maximumFractionDigits: 1 });
        const range = r.heldRange!;
        // The range holds the share held, and is no narrower than chance over independent periods.
        expect(range.low).toBeLessThanOrEqual(r.heldShare!);
        expect(range.high).toBeGreaterThanOrEqual(r.heldShare!);
        expect(texts).toEqual([
          r.abc,
          percent(r.serviceLevel, locale),
          percent(r.heldShare!, locale),
          `${bound(range.low)}–${bound(range.high)} %`,
          `${signed} pts`,
          r.periods.toLocaleString(locale),
          language === "fr"
            ? `${r.censored.toLocaleString(locale)} (dont ${r.censoredMissed.toLocaleString(locale)} déjà au-delà)`
            : `${r.censored.toLocaleString(locale)} (${r.censoredMissed.toLocaleString(locale)} already above)`,
        ]);
      }
      const heading = language === "fr" ? "Niveaux de service promis" : "Service levels promised";
      expect(await page.getByTestId("service-promise").innerText()).toContain(heading);
      await expectAccessible(page, `dashboard, promises checked (${language})`);
    }
    const phone = await f.open("/#/dashboard", { width: PHONE });
    await phone.getByTestId("service-promise-A").waitFor();
    await expectNoSidewaysScroll(phone, "dashboard on a phone, promises checked");
    await expectAccessible(phone, "dashboard on a phone, promises checked");
  });
});

/// <reference lib="dom" />
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/calendar/days.js";
import { hasChromium } from "../../src/test-support/browser.js";
import { FIXTURE_TODAY } from "../../src/test-support/demo-fixture.js";
import { FIXTURE_NOW } from "../../src/test-support/published-fixture.js";
import {
  expectAccessible,
  expectNoSidewaysScroll,
  frenchDay,
  type PagesFixture,
  PHONE,
  screenshot,
  startPages,
} from "./browser-fixture.js";

/**
 * The Dashboard's proof of savings (issue 15) in Chromium: empty until `optiflow simulate` has
 * run, then the very figures the command printed as JSON, per policy, with the worst ten and the
 * CSV of every article.
 */
const BIN = new URL("../../bin/optiflow.js", import.meta.url).pathname;
let f: PagesFixture;

interface Figures {
  stockOutDays: number;
  lostUnits: number;
  lostRevenue: number;
  averageStockValue: number;
  endStockValue: number;
  orders: number;
  orderLines: number;
  expiredUnits: number;
  expiredValue: number;
}
interface SimulationJson {
  id: number;
  series: number;
  from: string;
  to: string;
  policies: {
    policy: string;
    actual: Figures;
    optiflow: Figures;
    savings: { total: number; days: number; expired: number };
    worst: { reference: string }[];
  }[];
}

beforeAll(async () => {
  if (hasChromium) f = await startPages("simulation", 36);
}, 180_000);
afterAll(async () => {
  await f?.close();
});

const fr = (v: number, digits = 0) =>
  v.toLocaleString("fr-FR", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const euros = (v: number) =>
  v.toLocaleString("fr-FR", {
    style: "currency",
    currency: "EUR",
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  });

describe.skipIf(!hasChromium)("Dashboard: proof of savings", () => {
  it("says how to get one before any simulation", async () => {
    const page = await f.open("/#/dashboard");
    await page.getByTestId("simulation").waitFor();
    expect(await page.getByTestId("simulation").innerText()).toContain("optiflow simulate");
    // The financial card measures nothing yet, and says so beside the projection.
    expect(await page.getByTestId("savings-measured").innerText()).toBe(
      "Économies mesurées : pas encore : le serveur rejoue les 13 dernières semaines une fois par semaine après le batch de nuit (« optiflow simulate » le fait tout de suite)",
    );
    await expectAccessible(page, "dashboard before any simulation");
    // Nor does the setting that chooses the policy: no figure where none was measured.
    const settings = await f.open("/#/settings");
    await settings.getByTestId("settings").waitFor();
    expect(await settings.getByTestId("order-policy-evidence").count()).toBe(0);
  });

  it("shows the figures the CLI printed, per policy, the worst ten and the CSV", async () => {
    const run = spawnSync(
      process.execPath,
      [
        BIN,
        "simulate",
        "--from",
        addDays(FIXTURE_TODAY, -35),
        "--weeks",
        "4",
        "--json",
        "--db",
        f.dbPath,
      ],
      { encoding: "utf8", env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() } },
    );
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as SimulationJson;
    const page = await f.open("/#/dashboard");
    await page.getByTestId("simulation-marge").waitFor();
    for (const p of json.policies) {
      // The table's corner names its rows' span, not the section again.
      expect(
        await page.getByTestId(`simulation-${p.policy}`).locator("th[scope=col]").allInnerTexts(),
      ).toEqual(["Sur les semaines rejouées", "Réel", "Optiflow"]);
      for (const side of ["actual", "optiflow"] as const) {
        const cell = (key: string) =>
          page.getByTestId(`sim-${p.policy}-${side}-${key}`).innerText();
        const figures = p[side];
        expect(await cell("stockOutDays")).toBe(fr(figures.stockOutDays));
        expect(await cell("lostUnits")).toBe(fr(figures.lostUnits, 1));
        expect(await cell("lostRevenue")).toBe(euros(figures.lostRevenue));
        expect(await cell("averageStockValue")).toBe(euros(figures.averageStockValue));
        expect(await cell("endStockValue")).toBe(euros(figures.endStockValue));
        expect(await cell("orders")).toBe(`${fr(figures.orders)} / ${fr(figures.orderLines)}`);
        expect(await cell("expiredUnits")).toBe(fr(figures.expiredUnits, 1));
        expect(await cell("expiredValue")).toBe(euros(figures.expiredValue));
      }
      expect(await page.getByTestId(`simulation-savings-${p.policy}`).innerText()).toContain(
        euros(p.savings.total),
      );
      const worst = page.getByTestId(`simulation-worst-${p.policy}`).locator("li");
      expect(await worst.count()).toBe(p.worst.length);
      expect(await worst.first().innerText()).toContain(p.worst[0]!.reference);
    }
    // Which policy the morning's quantities follow (step 4's, the default here), and whether the
    // other did better on this replay, in its figures.
    const dashboard = await f.api<{ orderPolicy: string }>("/api/dashboard");
    expect(dashboard.orderPolicy).toBe("marge");
    const note = await page.getByTestId("simulation-policy-note").innerText();
    expect(note).toContain(
      "Les suggestions publiées suivent la politique « marge (formule du cahier des charges) ».",
    );
    const own = json.policies.find((p) => p.policy === "marge")!;
    const other = json.policies.find((p) => p.policy !== "marge")!;
    expect(note).toContain(
      other.savings.total > own.savings.total
        ? `Sur cette période, « niveau de service (ABC) » aurait fait mieux (${euros(other.savings.total)} d'économies contre ${euros(own.savings.total)}) : la politique se choisit dans les Réglages (« Quantité utilisée pour les suggestions »).`
        : "C'est celle qui a fait le mieux sur cette période.",
    );
    // The financial card leads with the policy in force's measured savings, over the replay's weeks.
    expect(await page.getByTestId("savings-measured-total").innerText()).toBe(
      euros(own.savings.total),
    );
    expect(await page.getByTestId("savings-measured").innerText()).toContain(
      `politique « marge (formule du cahier des charges) », 4 semaines rejouées du ${frenchDay(json.from)} au ${frenchDay(json.to)}`,
    );
    // Beside the savings, the stock the policy leaves beyond the shop's, which they do not weigh.
    const endDelta = own.optiflow.endStockValue - own.actual.endStockValue;
    expect(Math.abs(endDelta)).toBeGreaterThan(1);
    expect(await page.getByTestId("savings-measured-end-stock").innerText()).toBe(
      endDelta > 0
        ? `Elle finit ces semaines avec ${euros(endDelta)} de stock de plus que le magasin : les économies ne comptent que ce que le stock a coûté pendant ces semaines, pas ce qu'elle laisse en rayon.`
        : `Elle finit ces semaines avec ${euros(-endDelta)} de stock de moins que le magasin.`,
    );
    const otherNote = page.getByTestId("savings-measured-other");
    if (other.savings.total > own.savings.total)
      expect(await otherNote.innerText()).toBe(
        `« niveau de service (ABC) » aurait économisé ${euros(other.savings.total)} sur les mêmes semaines (Réglages : « Quantité utilisée pour les suggestions »).`,
      );
    else expect(await otherNote.count()).toBe(0);
    await expectAccessible(page, "dashboard with a simulation");
    await screenshot(page, "dashboard");
    // Its heading just below the sticky navigation bar.
    await page.getByTestId("simulation").evaluate((section) => {
      section.scrollIntoView();
      window.scrollBy(0, -64);
    });
    await screenshot(page, "simulation");
    // The setting that chooses the policy shows what each one measured, where it is changed.
    const settings = await f.open("/#/settings");
    const evidence = settings.getByTestId("order-policy-evidence");
    await evidence.waitFor();
    const byPolicy = (policy: string) => json.policies.find((p) => p.policy === policy)!;
    expect(await evidence.innerText()).toBe(
      `Économies mesurées par le dernier rejeu de tous les magasins (4 semaines, du ${frenchDay(json.from)} au ${frenchDay(json.to)}) : marge (formule du cahier des charges) : ${euros(byPolicy("marge").savings.total)} · niveau de service (ABC) : ${euros(byPolicy("niveau_de_service").savings.total)}.`,
    );
    await expectAccessible(settings, "settings with a replay's figures");
    // One store, with no replay of its own: its part of the replay of every store, summed here
    // from the stored rows.
    const storePart = (policy: string) => {
      const db = new Database(f.dbPath, { readonly: true });
      try {
        return db
          .prepare(
            `SELECT SUM(savings) AS total, SUM(sim_end_stock_value - real_end_stock_value) AS delta
             FROM optiflow_simulation_series
             WHERE simulation_id = ? AND magasin_id = 1 AND policy = ?`,
          )
          .get(json.id, policy) as { total: number; delta: number };
      } finally {
        db.close();
      }
    };
    const storeTotal = (policy: string) => storePart(policy).total;
    const storePage = await f.open("/#/dashboard?store=1");
    await storePage.getByTestId("savings-measured-total").waitFor();
    expect(await storePage.getByTestId("savings-measured-total").innerText()).toBe(
      euros(storeTotal("marge")),
    );
    expect(await storePage.getByTestId("savings-measured").innerText()).toContain(
      "ce magasin dans la simulation de tous les magasins, 4 semaines rejouées",
    );
    expect(await storePage.getByTestId("savings-measured-end-stock").innerText()).toContain(
      euros(Math.abs(storePart("marge").delta)),
    );
    // The section says where the detail is, rather than that nothing was replayed.
    expect(await storePage.getByTestId("simulation").innerText()).toContain(
      "Pas de simulation de ce magasin seul plus récente que celle de tous les magasins : sa part de la dernière simulation de tous les magasins est dans « Santé financière »",
    );
    await expectAccessible(storePage, "one store's dashboard, its part of the replay");
    await storePage.getByTestId("simulation-all-stores").click();
    await storePage.getByTestId("simulation-marge").waitFor();
    expect(await storePage.getByTestId("store-select").inputValue()).toBe("");
    // Both formulas in the reader's language: an English page showed the server's French.
    for (const p of json.policies)
      expect(await page.getByTestId(`simulation-savings-${p.policy}`).innerText()).toContain(
        `Économies mesurées sur ces semaines : ${euros(p.savings.total)}`,
      );
    for (const p of json.policies)
      expect(await page.getByTestId(`simulation-savings-${p.policy}`).innerText()).toContain(
        `(stock moyen réel − simulé) × 20 %/an × ${p.savings.days}/365 + (marge perdue réelle − simulée) + (périmés réels − simulés) × prix d'achat`,
      );
    for (const p of json.policies)
      expect(await page.getByTestId(`simulation-savings-${p.policy}`).innerText()).toContain(
        `périmés évités ${euros(p.savings.expired)}`,
      );
    const english = await f.open("/#/dashboard", { language: "en" });
    await english.getByTestId("simulation-marge").waitFor();
    expect(await english.getByTestId("simulation-savings-marge").innerText()).toMatch(
      /^Savings measured over these weeks: .*\(actual − simulated average stock\) × 20%\/year × \d+\/365 \+ \(actual − simulated lost margin\) \+ \(actual − simulated units past shelf life\) × purchase price\nPast shelf life: counted the same way on both sides, .*Recorded losses \(breakage, theft\) are not included\.$/s,
    );
    expect(await english.getByTestId("savings-formula").innerText()).toBe(
      "Formula: savings = Σ suggested orders (forecast sales they keep from being lost up to their target date × unit margin before VAT) + Σ overstock (units beyond 60 days of cover × purchase price × 20%/year ÷ 12)",
    );
    await expectAccessible(english, "dashboard with a simulation, in English");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("simulation-export").click(),
    ]);
    const text = await new Response(
      (await download.createReadStream()) as unknown as ReadableStream,
    ).text();
    const rows = parse(text.replace(/^\uFEFF/, ""), { delimiter: ";", columns: true });
    expect(rows).toHaveLength(json.series * json.policies.length);
  });

  it("shows a replay stored before waste was counted with the formula it was computed by", async () => {
    // The latest replay as an older Optiflow stored it: no expired units, no expired term.
    const db = new Database(f.dbPath);
    try {
      const { summary } = db
        .prepare("SELECT summary FROM optiflow_simulations ORDER BY id DESC LIMIT 1")
        .get() as { summary: string };
      const old = JSON.parse(summary);
      for (const p of old.policies) {
        delete p.savings.expired;
        for (const side of [p.optiflow, p.actual]) {
          delete side.expiredUnits;
          delete side.expiredValue;
        }
      }
      db.prepare(
        `INSERT INTO optiflow_simulations (created_at, created_by, date_from, date_to, weeks,
           magasin_id, margin_pct, carrying_cost_rate, policies, summary, seconds)
         SELECT created_at, created_by, date_from, date_to, weeks, magasin_id, margin_pct,
           carrying_cost_rate, policies, ?, seconds
         FROM optiflow_simulations ORDER BY id DESC LIMIT 1`,
      ).run(JSON.stringify(old));
    } finally {
      db.close();
    }
    const page = await f.open("/#/dashboard");
    await page.getByTestId("simulation-marge").waitFor();
    const savings = await page.getByTestId("simulation-savings-marge").innerText();
    expect(savings).toContain("dont stock immobilisé");
    expect(savings).not.toContain("périmés");
    expect(savings).toMatch(/× \d+\/365 \+ \(marge perdue réelle − simulée\)$/);
    expect(await page.getByTestId("sim-marge-optiflow-expiredUnits").count()).toBe(0);
    await expectAccessible(page, "dashboard with a replay stored before waste was counted");
  });

  it("fits a phone", async () => {
    const page = await f.open("/#/dashboard", { width: PHONE });
    await page.getByTestId("simulation-marge").waitFor();
    await expectNoSidewaysScroll(page, "dashboard with a simulation on a phone");
    await expectAccessible(page, "dashboard with a simulation on a phone");
  });
});

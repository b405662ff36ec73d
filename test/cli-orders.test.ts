import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import { openDatabaseReadonly } from "../src/data/open.js";
import { FIXTURE_NOW, publishedDemo } from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * Issue 14 from the command line: fill the draft order, show it, export one purchase order per
 * supplier and store as a French spreadsheet reads it (and, where LibreOffice is installed, as
 * LibreOffice itself reads it); settings listed, changed, refused with the key and the range.
 */
const BIN = new URL("../bin/optiflow.js", import.meta.url).pathname;
const SOFFICE = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => existsSync(p));
const temp = createTempDir("optiflow-cli-orders-");
let db: string;
let checksums: Record<string, string>;

function optiflow(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args, "--db", db], {
    cwd: temp.path,
    encoding: "utf8",
    env: { ...process.env, OPTIFLOW_NOW: FIXTURE_NOW.toISOString() },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface OrderJson {
  number: string;
  supplier: { id: number; name: string };
  store: { code: string };
  lines: { reference: string; quantity: number; unitPrice: number | null; amount: number | null }[];
  total: number;
}

beforeAll(async () => {
  db = (await publishedDemo(temp.path, "orders.db", 36)).path;
  const reader = openDatabaseReadonly(db);
  checksums = legacyChecksums(reader);
  reader.close();
}, 120_000);

afterAll(() => temp.remove());

/** A CSV as a French spreadsheet reads it: UTF-8 with BOM, `;` between fields, decimal comma. */
function readFrench(path: string): Record<string, string>[] {
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes.subarray(3).toString("utf8"), { delimiter: ";", columns: true });
}

const frenchNumber = (v: string) => Number(v.replace(/\s/g, "").replace(",", "."));

describe("optiflow orders", () => {
  let filled: { added: number; orders: OrderJson[] };

  it("fill adds every critical suggestion, grouped into one purchase order per supplier and store", () => {
    const alerts = JSON.parse(optiflow("alerts", "critical", "--json").stdout) as {
      alerts: { suggestedQty: number | null }[];
    };
    const result = optiflow("orders", "fill", "--level", "critique", "--json");
    expect(result.code, result.stderr).toBe(0);
    filled = JSON.parse(result.stdout);
    const expected = alerts.alerts.filter((a) => (a.suggestedQty ?? 0) > 0).length;
    expect(filled.added).toBe(expected);
    expect(filled.orders.reduce((n, o) => n + o.lines.length, 0)).toBe(expected);
    for (const order of filled.orders) {
      expect(order.number).toMatch(/^CMD-\d{8}-/);
      const sum = order.lines.reduce((n, l) => n + (l.amount ?? 0), 0);
      expect(order.total).toBeCloseTo(sum, 2);
    }
    // Filling twice adds nothing: the lines are kept as they are.
    const again = JSON.parse(optiflow("orders", "fill", "--json").stdout) as { added: number };
    expect(again.added).toBe(0);
    expect(optiflow("orders", "fill").stdout.split("\n")[0]).toBe(
      `0 ligne(s) ajoutée(s), ${expected} déjà dans la commande (quantité gardée).`,
    );
  });

  it("show lists the same purchase orders", () => {
    const shown = optiflow("orders", "show", "--json");
    expect(shown.code, shown.stderr).toBe(0);
    const orders = (JSON.parse(shown.stdout) as { orders: OrderJson[] }).orders;
    expect(orders.map((o) => o.number)).toEqual(filled.orders.map((o) => o.number));
    const text = optiflow("orders", "show");
    for (const o of orders) expect(text.stdout).toContain(o.number);
  });

  it("export writes one CSV per supplier and store that a French spreadsheet opens as columns", () => {
    const folder = join(temp.path, "export");
    mkdirSync(folder);
    const result = optiflow("orders", "export", "--format", "csv", "--output", folder);
    expect(result.code, result.stderr).toBe(0);
    const files = readdirSync(folder).sort();
    expect(files).toHaveLength(filled.orders.length);
    for (const order of filled.orders) {
      const file = files.find((f) => f.includes(order.number));
      expect(file, order.number).toBeTruthy();
      const path = join(folder, file as string);
      expect(readFileSync(path, "utf8")).toContain("\r\n");
      const rows = readFrench(path);
      expect(rows).toHaveLength(order.lines.length);
      for (const [i, row] of rows.entries()) {
        const line = order.lines[i]!;
        expect(row.article).toBe(line.reference);
        expect(frenchNumber(row.quantity!)).toBe(line.quantity);
        if (line.unitPrice !== null) {
          expect(row.unit_price).toMatch(/^\d+(,\d+)?$/);
          expect(frenchNumber(row.amount!)).toBeCloseTo(line.amount!, 2);
        }
      }
    }
  });

  it.skipIf(!SOFFICE)(
    "export round-trips through LibreOffice with its French import options",
    () => {
      const folder = join(temp.path, "export");
      const file = readdirSync(folder).find((f) => f.endsWith(".csv")) as string;
      const out = join(temp.path, "soffice");
      mkdirSync(out, { recursive: true });
      // Read as UTF-8 (76) with ';' (59) and '"' (34), written back with ',' (44): what Calc parsed.
      const converted = spawnSync(
        SOFFICE as string,
        [
          "--headless",
          `-env:UserInstallation=file://${join(temp.path, "lo-profile")}`,
          "--infilter=CSV:59,34,76,1,,1036",
          "--convert-to",
          "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033",
          "--outdir",
          out,
          join(folder, file),
        ],
        { encoding: "utf8", timeout: 120_000 },
      );
      expect(converted.status, converted.stderr).toBe(0);
      const back = parse(readFileSync(join(out, file), "utf8"), { columns: true }) as Record<
        string,
        string
      >[];
      const original = readFrench(join(folder, file));
      expect(Object.keys(back[0]!)).toEqual(Object.keys(original[0]!));
      for (const [i, row] of back.entries()) {
        // Calc understood each amount as a number (written back with a decimal point).
        expect(Number(row.amount)).toBeCloseTo(frenchNumber(original[i]!.amount!), 2);
        expect(row.article).toBe(original[i]!.article);
      }
    },
  );

  it("export of one supplier as JSON to a file, and a clear error for an unknown one", () => {
    const order = filled.orders[0]!;
    const path = join(temp.path, "one.json");
    const chosen = filled.orders.filter((o) => o.supplier.id === order.supplier.id);
    const args = ["orders", "export", "--supplier", String(order.supplier.id), "--format", "json"];
    const result = chosen.length === 1 ? optiflow(...args, "--output", path) : optiflow(...args);
    expect(result.code, result.stderr).toBe(0);
    const text = chosen.length === 1 ? readFileSync(path, "utf8") : result.stdout;
    expect(text).toContain(order.number);
    const unknown = optiflow("orders", "export", "--supplier", "no-such-supplier");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/supplier/i);
    const bad = optiflow("orders", "export", "--format", "xlsx");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format");
  });
});

describe("optiflow alerts calc --store (a base of two stores)", () => {
  interface Calc {
    results: { storeCode: string; reference: string; quantity: number }[];
  }
  const calc = (...args: string[]) =>
    optiflow("alerts", "calc", "ART-000001", "2026-12-10", "20", ...args);

  it("gives one store's quantities with --store, every store's without", () => {
    const all = calc("--json");
    expect(all.code, all.stderr).toBe(0);
    const every = (JSON.parse(all.stdout) as Calc).results;
    expect(every.map((r) => r.storeCode).sort()).toEqual(["MAG01", "MAG02"]);
    for (const store of ["MAG01", "MAG02"]) {
      const one = calc("--store", store, "--json");
      expect(one.code, one.stderr).toBe(0);
      expect((JSON.parse(one.stdout) as Calc).results).toEqual(
        every.filter((r) => r.storeCode === store),
      );
    }
    const text = calc("--store", "MAG02");
    expect(text.stdout).toMatch(/^MAG02 ART-000001 /m);
    expect(text.stdout).not.toMatch(/^MAG01 /m);
  });

  it("refuses a store that does not exist, naming the option", () => {
    const result = calc("--store", "MAG99");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--store: no store with code or id "MAG99"/);
  });
});

describe("--store on alerts status|critical and dashboard kpis|health|trends (two stores)", () => {
  const json = (...args: string[]) => {
    const result = optiflow(...args, "--json");
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };

  it("gives each store its own part, which adds up to the whole", () => {
    const all = json("alerts", "status");
    const one = ["MAG01", "MAG02"].map((store) => json("alerts", "status", "--store", store));
    for (const level of ["CRITIQUE", "ATTENTION", "OK", "SANS_PREVISION"])
      expect(one[0].counts[level] + one[1].counts[level], level).toBe(all.counts[level]);
    const critical = json("alerts", "critical", "--store", "MAG02").alerts;
    expect(critical.length).toBe(one[1].counts.CRITIQUE);
    expect(critical.every((a: { storeCode: string }) => a.storeCode === "MAG02")).toBe(true);
    // The Dashboard's figures of one store: the batch's own for it, as the page shows them.
    const health = [1, 2].map((id) => json("dashboard", "health", "--store", String(id)).health);
    expect(health[0].alerts).toEqual(one[0].counts);
    expect(health[1].alerts).toEqual(one[1].counts);
    expect(health[0].stockValue + health[1].stockValue).toBeCloseTo(
      json("dashboard", "health").health.stockValue,
      6,
    );
    const urgencies = json("dashboard", "kpis", "--store", "MAG01").urgencies;
    expect(urgencies.every((u: { storeCode: string }) => u.storeCode === "MAG01")).toBe(true);
  });

  it("refuses a store that does not exist, naming the option", () => {
    for (const command of [
      ["alerts", "status"],
      ["alerts", "critical"],
      ["dashboard", "trends"],
    ]) {
      const result = optiflow(...command, "--store", "MAG99");
      expect(result.code, command.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/--store: no store with code or id "MAG99"/);
    }
  });
});

describe("optiflow settings", () => {
  it("lists, changes (audited) and refuses a bad value naming the key and the accepted range", () => {
    const list = JSON.parse(optiflow("settings", "list", "--json").stdout) as {
      settings: { key: string; value: string }[];
    };
    expect(list.settings.map((s) => s.key)).toEqual(
      expect.arrayContaining([
        "margin_pct",
        "count_open_orders",
        "order_policy",
        "service_level_a",
        "service_level_b",
        "service_level_c",
        "country",
      ]),
    );
    const set = optiflow("settings", "set", "order_policy", "niveau_de_service", "--json");
    expect(set.code, set.stderr).toBe(0);
    const after = JSON.parse(optiflow("settings", "list", "--json").stdout) as {
      settings: { key: string; value: string }[];
    };
    expect(after.settings.find((s) => s.key === "order_policy")?.value).toBe("niveau_de_service");
    const bad = optiflow("settings", "set", "service_level_a", "1.5");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("service_level_a");
    expect(bad.stderr).toMatch(/0[.,]5|99/);
    const unknown = optiflow("settings", "set", "no_such_key", "1");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("margin_pct");
  });

  it("fill says how many rows had no quantity to add (perishables the policy would not order)", () => {
    // Under niveau_de_service (set above), orders the shelf life blocks come up at 0.
    expect(optiflow("ml", "batch").code).toBe(0);
    const json = JSON.parse(optiflow("orders", "fill", "--level", "attention", "--json").stdout);
    expect(json.skipped).toBeGreaterThan(0);
    const text = optiflow("orders", "fill", "--level", "attention").stdout.split("\n")[0];
    expect(text).toBe(
      `0 ligne(s) ajoutée(s), ${json.added + json.kept} déjà dans la commande (quantité gardée), ${json.skipped} sans quantité suggérée (non ajoutée(s)).`,
    );
  });

  it("never touched the legacy tables", () => {
    const reader = openDatabaseReadonly(db);
    try {
      expect(legacyChecksums(reader)).toEqual(checksums);
    } finally {
      reader.close();
    }
  });
});

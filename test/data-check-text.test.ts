import { describe, expect, it } from "vitest";
import { CHECKS, findSalesGaps } from "../src/data/legacy/data-checks.js";
import type { DataCheck } from "../web/src/api/client.js";
import { en, fr } from "../web/src/i18n/messages.js";
import { dataCheckDetail } from "../web/src/pages/data-check-text.js";

/** A check as the API gives it. */
function check(fields: Partial<DataCheck>): DataCheck {
  return {
    kind: "",
    tableName: "",
    count: 1,
    description: "",
    samples: [],
    stores: null,
    ...fields,
  };
}

describe("what a data check found, in the reader's language", () => {
  const legacy = CHECKS.map((c) =>
    check({ kind: c.kind, tableName: c.table, description: c.description }),
  );

  it("has words for every check of the legacy data, the batch's own in French", () => {
    for (const c of legacy) {
      expect(dataCheckDetail(c, fr), `${c.kind} ${c.tableName}`).toBe(c.description);
      const english = dataCheckDetail(c, en);
      expect(english, `${c.kind} ${c.tableName}`).not.toBe(c.description);
      expect(english).not.toMatch(/[àâçéèêëîïôûù]| de | du | des /);
    }
  });

  it("names the stores of a per-store check", () => {
    const [gap] = findSalesGaps(new Map([["MAG02", ["2026-11-02", "2026-11-03"]]]));
    const c = check({ kind: "sales_gap", tableName: "ventes", stores: ["MAG01", "MAG02"] });
    expect(gap?.store).toBe("MAG02");
    expect(dataCheckDetail(c, en)).toBe(
      "opening days without any sale in the last 90 days: MAG01, MAG02",
    );
    expect(dataCheckDetail(c, fr)).toBe(
      "jours d'ouverture sans aucune vente sur les 90 derniers jours : MAG01, MAG02",
    );
  });

  it("shows the stored description for a run that did not keep the stores, or a kind without words", () => {
    const older = check({
      kind: "sales_gap",
      tableName: "ventes",
      description: "jours d'ouverture sans aucune vente (magasin MAG01) sur les 90 derniers jours",
    });
    expect(dataCheckDetail(older, en)).toBe(older.description);
    const newer = check({ kind: "some_later_kind", tableName: "ventes", description: "texte" });
    expect(dataCheckDetail(newer, en)).toBe("texte");
  });
});

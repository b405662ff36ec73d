import { describe, expect, it } from "vitest";
import { type DeliveryLine, DeliveryLines } from "./delivery-lines.js";

/** 3,000 lines (past the first capacity) over 3 suppliers × 7 articles, some not received. */
function sampleLines(): DeliveryLine[] {
  return Array.from({ length: 3000 }, (_, i) => ({
    supplierId: (i * 7) % 3,
    articleId: 100 + ((i * 5) % 7),
    orderedOn: 20_000 + i,
    receivedOn: i % 11 === 0 ? null : 20_003 + i,
    status: i % 13 === 0 ? "ANNULEE" : i % 11 === 0 ? "ENVOYEE" : "LIVREE",
    ordered: 12 + (i % 4) / 2,
    received: i % 11 === 0 ? 0 : 12,
  }));
}

describe("order lines as columns", () => {
  it("gives every line back as it was pushed, in order", () => {
    const lines = sampleLines();
    const table = DeliveryLines.from(lines);
    expect(table.length).toBe(3000);
    expect([...table]).toEqual(lines);
  });

  it("groups by supplier × article, lines in their order, groups in the order they first appear", () => {
    const lines = sampleLines();
    const groups = [...DeliveryLines.from(lines).groups()];
    const keyOf = (l: DeliveryLine) => `${l.supplierId}:${l.articleId}`;
    const firstSeen = [...new Set(lines.map(keyOf))];
    expect(groups.map((g) => keyOf(g[0] as DeliveryLine))).toEqual(firstSeen);
    for (const group of groups) {
      const key = keyOf(group[0] as DeliveryLine);
      expect(group).toEqual(lines.filter((l) => keyOf(l) === key));
    }
  });

  it("keeps a supplier read as text and filters into a table of its own", () => {
    const lines = sampleLines().slice(0, 10);
    const dirty = { ...(lines[0] as DeliveryLine), supplierId: "F-12" as unknown as number };
    const table = DeliveryLines.from([...lines, dirty]);
    expect(table.get(10).supplierId).toBe("F-12");
    const received = table.filter((l) => l.receivedOn !== null);
    expect([...received]).toEqual([...lines, dirty].filter((l) => l.receivedOn !== null));
  });
});

import { describe, expect, it } from "vitest";
import { PublishedResponseCache, roundForWire } from "./published-cache.js";

const publication = {
  runId: 7,
  today: "2026-11-25",
  computedAt: "2026-11-25T00:31:00.000Z",
  stale: false,
  staleAfterHours: 24,
  lastFailure: null,
};

describe("published answers on the wire", () => {
  it("keeps integers and strings, rounds other numbers to three decimals", () => {
    const json = JSON.stringify(
      { qty: 12, wape: 0.176428985, revenue: 256527.32869, ref: "ART-1", neg: -3.169079 },
      roundForWire,
    );
    expect(JSON.parse(json)).toEqual({
      qty: 12,
      wape: 0.176,
      revenue: 256527.329,
      ref: "ART-1",
      neg: -3.169,
    });
  });

  it("computes an answer once per run and again after a new publication", () => {
    const cache = new PublishedResponseCache();
    let computed = 0;
    const compute = () => ({ n: ++computed });
    cache.get(publication, "k", compute);
    const again = cache.get(publication, "k", compute);
    expect(JSON.parse(again.json)).toEqual({ n: 1 });
    const next = cache.get({ ...publication, runId: 8 }, "k", compute);
    expect(JSON.parse(next.json)).toEqual({ n: 2 });
  });

  it("evicts the oldest entries beyond its bound", () => {
    const cache = new PublishedResponseCache(2);
    let computed = 0;
    const compute = () => ({ n: ++computed });
    cache.get(publication, "a", compute);
    cache.get(publication, "b", compute);
    cache.get(publication, "c", compute);
    expect(JSON.parse(cache.get(publication, "a", compute).json)).toEqual({ n: 4 });
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { addDays } from "../../domain/calendar/days.js";
import { demoDatabase, FIXTURE_TODAY } from "../../test-support/demo-fixture.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import { openDatabaseReadonly } from "../open.js";
import { addChecksums, emptyStockScan, salesChecksums } from "./history-checksum.js";
import { ALL_ROWS, readEmptyStockDays } from "./read-sales.js";

/**
 * A night that moves the history cache's frozen end checks the old segment and sums the new one
 * in the same scan of each table: the checksums must be those of one scan per segment.
 */
const temp = createTempDir("optiflow-checksum-");
afterAll(() => temp.remove());

describe("history checksums over several segments in one scan", () => {
  const path = demoDatabase(temp.path, "checksum.db", 12);
  const old = { fromIso: addDays(FIXTURE_TODAY, -1000), toIso: addDays(FIXTURE_TODAY, -60) };
  const moved = { fromIso: addDays(FIXTURE_TODAY, -990), toIso: addDays(FIXTURE_TODAY, -28) };

  it("equal one scan per segment, sales and empty-shelf rows alike, and differ between segments", () => {
    const db = openDatabaseReadonly(path);
    try {
      const together = salesChecksums(db, [old, moved], ALL_ROWS);
      expect(together).toEqual([
        salesChecksums(db, [old], ALL_ROWS)[0],
        salesChecksums(db, [moved], ALL_ROWS)[0],
      ]);
      expect(together[0]).not.toEqual(together[1]);
      expect(Number(together[0]?.[0])).toBeGreaterThan(1000);

      const stock = emptyStockScan(db, [old, moved], old.toIso, FIXTURE_TODAY, ALL_ROWS);
      const alone = (segment: typeof old) =>
        emptyStockScan(db, [segment], segment.toIso, segment.toIso, ALL_ROWS).checksums[0];
      expect(stock.checksums).toEqual([alone(old), alone(moved)]);
      expect(Number(stock.checksums[0]?.[0])).toBeGreaterThan(0);
      // The empty-shelf days it packs are those of its own range, as a plain reading finds them.
      const plain = readEmptyStockDays(db, old.toIso, FIXTURE_TODAY);
      const sorted = (m: Map<string, number[]>) =>
        Object.fromEntries([...m].map(([k, d]) => [k, [...d].sort((a, b) => a - b)]).sort());
      expect(sorted(stock.days)).toEqual(sorted(plain));
      expect(stock.days.size).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it("add up over worker shares of the rowids, for a moved segment as for separate ones", () => {
    const db = openDatabaseReadonly(path);
    try {
      const { hi } = db.prepare("SELECT MAX(rowid) AS hi FROM ventes").get() as { hi: number };
      const cut = Math.round(hi / 3);
      const shares = [
        { from: ALL_ROWS.from, to: cut },
        { from: cut, to: ALL_ROWS.to },
      ];
      const apart = { fromIso: addDays(FIXTURE_TODAY, -400), toIso: addDays(FIXTURE_TODAY, -300) };
      for (const segments of [
        [old, moved],
        [old, apart],
      ]) {
        const [a, b] = shares.map((rows) => salesChecksums(db, segments, rows));
        const summed = (a ?? []).map((c, k) => addChecksums(c, b?.[k] ?? []));
        expect(summed).toEqual(salesChecksums(db, segments, ALL_ROWS));
        expect(a?.[0]).not.toEqual(b?.[0]);
      }
    } finally {
      db.close();
    }
  });
});

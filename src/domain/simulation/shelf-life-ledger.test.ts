import { describe, expect, it } from "vitest";
import { ledgerFor, ShelfLifeLedger } from "./shelf-life-ledger.js";

describe("a perishable shelf, first in, first out", () => {
  it("sells the oldest lot first and throws away what passes its shelf life", () => {
    // Shelf life 3 days: a unit received on day r sells up to day r + 2, goes on day r + 3.
    const shelf = new ShelfLifeLedger(3);
    shelf.receive(0, 5);
    shelf.receive(2, 4);
    expect(shelf.expire(0)).toBe(0);
    shelf.sell(2); // day 0: 3 left of the day-0 lot
    expect(shelf.expire(1)).toBe(0);
    shelf.sell(1); // day 1: 2 left of it
    expect(shelf.expire(2)).toBe(0);
    shelf.sell(3); // day 2: the day-0 lot's 2, then 1 of the day-2 lot
    expect(shelf.onHand()).toBe(3);
    expect(shelf.expire(3)).toBe(0); // the day-0 lot is sold out: nothing to throw away
    expect(shelf.expire(5)).toBe(3); // the day-2 lot's 3 pass on day 5
    expect(shelf.onHand()).toBe(0);
  });

  it("throws a lot away on the day its shelf life ends, not before", () => {
    const shelf = new ShelfLifeLedger(2);
    shelf.receive(10, 6);
    shelf.sell(1);
    expect(shelf.expire(11)).toBe(0);
    expect(shelf.expire(12)).toBe(5);
  });

  it("ignores what it does not hold, and empty or negative receptions", () => {
    const shelf = new ShelfLifeLedger(4);
    shelf.receive(0, 0);
    shelf.receive(0, -3);
    shelf.sell(2);
    expect(shelf.onHand()).toBe(0);
    shelf.receive(1, 2.5);
    shelf.sell(1.25);
    expect(shelf.onHand()).toBeCloseTo(1.25, 12);
    expect(shelf.expire(5)).toBeCloseTo(1.25, 12);
  });

  it("has no ledger for an article that keeps, and at least one day for one that does", () => {
    expect(ledgerFor(null)).toBeNull();
    expect(ledgerFor(0)).toBeNull();
    const shelf = ledgerFor(0.3) as ShelfLifeLedger;
    shelf.receive(7, 1);
    expect(shelf.expire(7)).toBe(0);
    expect(shelf.expire(8)).toBe(1);
  });
});

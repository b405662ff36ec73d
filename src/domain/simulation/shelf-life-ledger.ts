/**
 * The shelf of a perishable article, lot by lot, as the replay of past weeks counts what would
 * have perished (SPEC §4's shelf life, `duree_conservation_jours`): units sell first in, first
 * out, and a unit received on day r can be sold up to day r + shelfLife − 1; on day r + shelfLife
 * it is thrown away. The same ledger counts both sides of a replay (Optiflow's orders and the
 * retailer's real receptions), so that what one side saves in lost sales is weighed against
 * what it throws away, measured alike.
 */
export class ShelfLifeLedger {
  private readonly days: number[] = [];
  private readonly units: number[] = [];
  private head = 0;

  constructor(private readonly shelfLifeDays: number) {}

  /** Units put on the shelf on `day` (ignored when not positive). */
  receive(day: number, units: number): void {
    if (!(units > 0)) return;
    this.days.push(day);
    this.units.push(units);
  }

  /** Removes, and returns, the units whose last day to be sold was before `day`. */
  expire(day: number): number {
    let expired = 0;
    while (
      this.head < this.days.length &&
      day - (this.days[this.head] as number) >= this.shelfLifeDays
    ) {
      expired += this.units[this.head] as number;
      this.head++;
    }
    return expired;
  }

  /** Takes `units` sold from the oldest lots; what the ledger does not hold is ignored. */
  sell(units: number): void {
    let left = units;
    while (left > 1e-12 && this.head < this.days.length) {
      const lot = this.units[this.head] as number;
      if (lot > left) {
        this.units[this.head] = lot - left;
        return;
      }
      left -= lot;
      this.head++;
    }
  }

  /** Units on the shelf by the ledger's count. */
  onHand(): number {
    let total = 0;
    for (let i = this.head; i < this.units.length; i++) total += this.units[i] as number;
    return total;
  }
}

/** A ledger for a perishable article, null for one that keeps (no or a non-positive shelf life). */
export function ledgerFor(shelfLifeDays: number | null): ShelfLifeLedger | null {
  return shelfLifeDays !== null && shelfLifeDays > 0
    ? new ShelfLifeLedger(Math.max(1, Math.round(shelfLifeDays)))
    : null;
}

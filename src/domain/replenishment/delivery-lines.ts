import type { DeliveryRecord } from "./observed-lead-time.js";

/** One article of a past purchase order. */
export type DeliveryLine = DeliveryRecord & {
  articleId: number;
  ordered: number;
  received: number;
};

/** `receivedOn` of a line nothing was received for. */
const NOT_RECEIVED = -2147483648;
const INITIAL_CAPACITY = 1024;

/**
 * Past order lines held as columns. A chain's year of orders is millions of lines: an object
 * each made step 4 the night's largest heap (a year of the 5-store demo chain: 1.7 million
 * lines). Columns take 40 bytes a line; the lead-time statistics take the lines one supplier ×
 * article at a time (`groups`), as records that die young.
 */
export class DeliveryLines {
  private count = 0;
  /** Suppliers and statuses as read (a dirty base may hold text), indexed by the columns. */
  private readonly suppliers: DeliveryRecord["supplierId"][] = [];
  private readonly supplierIndex = new Map<DeliveryRecord["supplierId"], number>();
  private readonly statuses: string[] = [];
  private readonly statusIndex = new Map<string, number>();
  private supplier = new Int32Array(INITIAL_CAPACITY);
  private article = new Float64Array(INITIAL_CAPACITY);
  private orderedOn = new Int32Array(INITIAL_CAPACITY);
  private receivedOn = new Int32Array(INITIAL_CAPACITY);
  private status = new Int32Array(INITIAL_CAPACITY);
  private ordered = new Float64Array(INITIAL_CAPACITY);
  private received = new Float64Array(INITIAL_CAPACITY);

  static from(lines: Iterable<DeliveryLine>): DeliveryLines {
    const table = new DeliveryLines();
    for (const line of lines) table.push(line);
    return table;
  }

  push(line: DeliveryLine): void {
    if (this.count === this.supplier.length) this.grow();
    const i = this.count++;
    this.supplier[i] = indexOf(this.suppliers, this.supplierIndex, line.supplierId);
    this.article[i] = line.articleId;
    this.orderedOn[i] = line.orderedOn;
    this.receivedOn[i] = line.receivedOn ?? NOT_RECEIVED;
    this.status[i] = indexOf(this.statuses, this.statusIndex, line.status);
    this.ordered[i] = line.ordered;
    this.received[i] = line.received;
  }

  get length(): number {
    return this.count;
  }

  /** The `i`-th line, as a record of its own. */
  get(i: number): DeliveryLine {
    const receivedOn = this.receivedOn[i] as number;
    return {
      supplierId: this.suppliers[this.supplier[i] as number] as number,
      articleId: this.article[i] as number,
      orderedOn: this.orderedOn[i] as number,
      receivedOn: receivedOn === NOT_RECEIVED ? null : receivedOn,
      status: this.statuses[this.status[i] as number] as string,
      ordered: this.ordered[i] as number,
      received: this.received[i] as number,
    };
  }

  *[Symbol.iterator](): Generator<DeliveryLine> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  filter(keep: (line: DeliveryLine) => boolean): DeliveryLines {
    const kept = new DeliveryLines();
    for (const line of this) if (keep(line)) kept.push(line);
    return kept;
  }

  /**
   * The lines of each supplier × article, in their order, groups in the order of their first
   * line: a stable counting sort over group numbers, so only one group's records are alive.
   */
  *groups(): Generator<DeliveryLine[]> {
    const groupOf = new Int32Array(this.length);
    const numbers = new Map<number, Map<number, number>>();
    const sizes: number[] = [];
    for (let i = 0; i < this.length; i++) {
      const supplier = this.supplier[i] as number;
      let bySupplier = numbers.get(supplier);
      if (!bySupplier) {
        bySupplier = new Map();
        numbers.set(supplier, bySupplier);
      }
      let group = bySupplier.get(this.article[i] as number);
      if (group === undefined) {
        group = sizes.push(0) - 1;
        bySupplier.set(this.article[i] as number, group);
      }
      groupOf[i] = group;
      sizes[group] = (sizes[group] as number) + 1;
    }
    const starts = new Int32Array(sizes.length + 1);
    sizes.forEach((size, g) => {
      starts[g + 1] = (starts[g] as number) + size;
    });
    const next = starts.slice(0, -1);
    const order = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const g = groupOf[i] as number;
      order[next[g] as number] = i;
      next[g] = (next[g] as number) + 1;
    }
    for (let g = 0; g < sizes.length; g++) {
      const records: DeliveryLine[] = [];
      for (let k = starts[g] as number; k < (starts[g + 1] as number); k++)
        records.push(this.get(order[k] as number));
      yield records;
    }
  }

  private grow(): void {
    const capacity = this.supplier.length * 2;
    const wider = <T extends Int32Array | Float64Array>(column: T): T => {
      const next = new (column.constructor as new (n: number) => T)(capacity);
      next.set(column);
      return next;
    };
    this.supplier = wider(this.supplier);
    this.article = wider(this.article);
    this.orderedOn = wider(this.orderedOn);
    this.receivedOn = wider(this.receivedOn);
    this.status = wider(this.status);
    this.ordered = wider(this.ordered);
    this.received = wider(this.received);
  }
}

function indexOf<T>(values: T[], index: Map<T, number>, value: T): number {
  let i = index.get(value);
  if (i === undefined) {
    i = values.push(value) - 1;
    index.set(value, i);
  }
  return i;
}

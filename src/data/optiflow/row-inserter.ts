import type { Db } from "../open.js";

export interface RowInserter {
  /** Queues one row (its values in the columns' order); written when a statement's worth is queued. */
  add(values: readonly unknown[]): void;
  /** Writes what is still queued. Call it before the transaction ends. */
  flush(): void;
}

/** Rows per statement: 8 columns × 64 rows stays far below SQLite's 32,766 parameters. */
const ROWS_PER_STATEMENT = 64;

/**
 * Inserts many rows into one of Optiflow's tables, 64 per statement: each statement call costs
 * a crossing into SQLite and a bind per value, and for the 600,000 daily forecasts of a 10,000
 * article night the per-row calls were half the write (measured: 2.6 s → 1.4 s). Values are
 * bound parameters; `table` and `columns` are the caller's constants, never user input.
 */
export function rowInserter(db: Db, table: string, columns: readonly string[]): RowInserter {
  const width = columns.length;
  const row = `(${columns.map(() => "?").join(", ")})`;
  const prefix = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
  const many = db.prepare(prefix + Array<string>(ROWS_PER_STATEMENT).fill(row).join(", "));
  const one = db.prepare(prefix + row);
  const queued: unknown[] = new Array(ROWS_PER_STATEMENT * width);
  let filled = 0;
  return {
    add(values) {
      if (values.length !== width)
        throw new Error(`${table}: ${values.length} values for ${width} columns`);
      for (const v of values) queued[filled++] = v;
      if (filled === queued.length) {
        many.run(queued);
        filled = 0;
      }
    },
    flush() {
      for (let k = 0; k < filled; k += width) one.run(queued.slice(k, k + width));
      filled = 0;
    },
  };
}

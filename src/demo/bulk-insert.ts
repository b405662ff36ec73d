import type { Db } from "../data/open.js";

type Statement = ReturnType<Db["prepare"]>;

/**
 * Buffers rows and inserts them with one multi-row INSERT per batch: the per-call overhead of
 * single-row inserts dominates when loading tens of millions of demo rows.
 */
export class BulkInserter {
  private readonly buffer: unknown[] = [];
  private readonly batchStatement: Statement;
  private readonly singleStatement: Statement;
  private readonly batchValues: number;
  rows = 0;

  constructor(
    db: Db,
    table: string,
    private readonly columns: readonly string[],
    batchRows = 256,
  ) {
    const placeholders = `(${columns.map(() => "?").join(", ")})`;
    // Table and column names come from the generator's own constants, never from input.
    const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
    this.batchStatement = db.prepare(head + Array(batchRows).fill(placeholders).join(", "));
    this.singleStatement = db.prepare(head + placeholders);
    this.batchValues = batchRows * columns.length;
  }

  add(...values: unknown[]): void {
    for (const value of values) this.buffer.push(value);
    this.rows++;
    if (this.buffer.length >= this.batchValues) {
      this.batchStatement.run(this.buffer);
      this.buffer.length = 0;
    }
  }

  flush(): void {
    const width = this.columns.length;
    for (let i = 0; i < this.buffer.length; i += width) {
      this.singleStatement.run(this.buffer.slice(i, i + width));
    }
    this.buffer.length = 0;
  }
}

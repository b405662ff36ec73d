import type { Db } from "../data/open.js";
import { BulkInserter } from "./bulk-insert.js";

/**
 * End-of-day stocks are buffered for a chunk of series and written date by date: the table's
 * primary key starts with the date, and inserting in key order is several times faster than
 * the article-by-article order in which series are simulated.
 */
export class StockHistoryBuffer {
  private static readonly SERIES_PER_CHUNK = 4096;
  private readonly values: Float64Array;
  private readonly capacity: number;
  private readonly keys: { articleId: number; storeId: number }[] = [];
  private readonly inserter: BulkInserter;
  private readonly storeCount: number;
  rows = 0;

  constructor(
    db: Db,
    private readonly firstDay: number,
    private readonly dayCount: number,
    storeCount: number,
    private readonly iso: (day: number) => string,
  ) {
    this.capacity = Math.max(StockHistoryBuffer.SERIES_PER_CHUNK, storeCount);
    this.values = new Float64Array(this.capacity * dayCount).fill(Number.NaN);
    this.storeCount = storeCount;
    this.inserter = new BulkInserter(db, "stocks_historique", [
      "date",
      "article_id",
      "magasin_id",
      "quantite",
    ]);
  }

  isFull(): boolean {
    // Room is kept for every store of the next article.
    return this.keys.length + this.storeCount > this.capacity;
  }

  slotFor(articleId: number, storeId: number): (day: number, quantity: number) => void {
    const offset = this.keys.length * this.dayCount;
    this.keys.push({ articleId, storeId });
    return (day, quantity) => {
      this.values[offset + day - this.firstDay] = quantity;
    };
  }

  flush(): void {
    for (let d = 0; d < this.dayCount; d++) {
      const date = this.iso(this.firstDay + d);
      for (let k = 0; k < this.keys.length; k++) {
        const value = this.values[k * this.dayCount + d]!;
        if (Number.isNaN(value)) continue;
        const key = this.keys[k]!;
        this.inserter.add(date, key.articleId, key.storeId, value);
      }
    }
    this.inserter.flush();
    this.rows = this.inserter.rows;
    this.keys.length = 0;
    this.values.fill(Number.NaN);
  }
}

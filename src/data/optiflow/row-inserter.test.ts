import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createTempDir } from "../../test-support/temp-dir.js";
import { rowInserter } from "./row-inserter.js";

const temp = createTempDir();
afterAll(() => temp.remove());

describe("rows inserted many per statement", () => {
  it("writes every row once, in full statements and a remainder, values unchanged", () => {
    const db = new Database(join(temp.path, "rows.db"));
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT, value REAL)");
    const insert = rowInserter(db, "t", ["id", "label", "value"]);
    // 64 per statement: two full statements and a remainder of 3.
    const rows = Array.from({ length: 131 }, (_, i) => [i + 1, `r${i}`, i === 7 ? null : i / 3]);
    db.transaction(() => {
      for (const r of rows) insert.add(r);
      insert.flush();
    })();
    expect(db.prepare("SELECT id, label, value FROM t ORDER BY id").raw(true).all()).toEqual(rows);
    db.close();
  });

  it("refuses a row whose width differs from the columns'", () => {
    const db = new Database(join(temp.path, "width.db"));
    db.exec("CREATE TABLE t (a INTEGER, b INTEGER)");
    const insert = rowInserter(db, "t", ["a", "b"]);
    expect(() => insert.add([1])).toThrow(/1 values for 2 columns/);
    db.close();
  });
});

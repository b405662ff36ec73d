import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { dayFromIso } from "../../domain/calendar/days.js";
import { createTempDir } from "../../test-support/temp-dir.js";
import { openDatabaseReadonly } from "../open.js";
import { legacySchemaSql } from "./legacy-schema.js";
import { readDeliveries } from "./read-deliveries.js";

const temp = createTempDir();
afterAll(() => temp.remove());

/** Two orders in the period, one before it; receptions split, partial, and with dirty lines. */
function deliveriesBase(): string {
  const path = join(temp.path, "deliveries.db");
  const raw = new Database(path);
  raw.exec(legacySchemaSql());
  raw.pragma("foreign_keys = OFF");
  const order = raw.prepare(
    "INSERT INTO commandes (id, numero, fournisseur_id, magasin_id, date_commande, statut) VALUES (?, ?, ?, 1, ?, ?)",
  );
  order.run(1, "C1", 7, "2026-01-05", "LIVREE");
  order.run(2, "C2", 8, "2026-02-02", "PARTIELLE");
  order.run(3, "C3", 7, "2025-06-01", "LIVREE");
  const line = raw.prepare(
    "INSERT INTO lignes_commande (commande_id, article_id, quantite) VALUES (?, ?, ?)",
  );
  line.run(1, 100, 12);
  line.run(1, 101, 6.5);
  line.run(2, 100, 24);
  line.run(2, 102, "douze");
  line.run(3, 100, 99);
  const reception = raw.prepare(
    "INSERT INTO receptions (id, commande_id, magasin_id, date_reception) VALUES (?, ?, 1, ?)",
  );
  reception.run(10, 1, "2026-01-08");
  reception.run(11, 1, "2026-01-09");
  reception.run(12, 2, "2026-02-06");
  reception.run(13, 3, "2025-06-04");
  const received = raw.prepare(
    "INSERT INTO lignes_reception (reception_id, article_id, quantite) VALUES (?, ?, ?)",
  );
  received.run(10, 100, 8);
  received.run(11, 100, 4);
  received.run(11, 101, 6.5);
  received.run(12, 100, 20);
  received.run(12, 102, "x");
  received.run(13, 100, 99);
  raw.close();
  return path;
}

describe("past deliveries, per order and per line", () => {
  it("gives each line its first reception day and the units received, only for the period's orders", () => {
    const db = openDatabaseReadonly(deliveriesBase());
    const { orders, lines: table } = readDeliveries(db, "2026-01-01");
    const lines = [...table];
    const day = dayFromIso;
    expect(orders).toEqual([
      {
        supplierId: 7,
        articleId: null,
        orderedOn: day("2026-01-05"),
        receivedOn: day("2026-01-08"),
        status: "LIVREE",
      },
      {
        supplierId: 8,
        articleId: null,
        orderedOn: day("2026-02-02"),
        receivedOn: day("2026-02-06"),
        status: "PARTIELLE",
      },
    ]);
    const byKey = new Map(lines.map((l) => [`${l.supplierId}:${l.articleId}`, l]));
    expect(lines).toHaveLength(4);
    // Received over two days: the first day, the units summed.
    expect(byKey.get("7:100")).toMatchObject({
      receivedOn: day("2026-01-08"),
      ordered: 12,
      received: 12,
    });
    expect(byKey.get("7:101")).toMatchObject({
      receivedOn: day("2026-01-09"),
      ordered: 6.5,
      received: 6.5,
    });
    expect(byKey.get("8:100")).toMatchObject({
      receivedOn: day("2026-02-06"),
      ordered: 24,
      received: 20,
    });
    // Quantities that are not numbers count as 0, as the statistics read them.
    expect(byKey.get("8:102")).toMatchObject({
      receivedOn: day("2026-02-06"),
      ordered: 0,
      received: 0,
    });
    db.close();
  });
});

import { copyFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runBatch } from "../src/batch/run-batch.js";
import type { Config } from "../src/config.js";
import { legacyChecksums } from "../src/data/legacy/checksum.js";
import { openDatabase, openDatabaseReadonly } from "../src/data/open.js";
import { restoreOptiflowTables } from "../src/data/optiflow/restore-optiflow.js";
import { addUser } from "../src/data/optiflow/users-repository.js";
import { FIXTURE_TODAY } from "../src/test-support/demo-fixture.js";
import {
  FIXTURE_BATCH_AT,
  FIXTURE_NOW,
  publishedDemo,
  startTestServer,
  type TestServer,
} from "../src/test-support/published-fixture.js";
import { createTempDir } from "../src/test-support/temp-dir.js";

/**
 * The attacks of issue 12, each against a real server listening on a real port, on a real
 * database: what an attacker on the shop's LAN (or a web page in the manager's browser) would
 * try. After every case the retailer's 18 tables are byte-identical (checksums).
 * docs/RELIABILITY.md lists each attack with what now happens.
 */
const temp = createTempDir("optiflow-attacks-");
let config: Config;
let legacyBefore: Record<string, string>;

interface Answer {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/** A request with the path sent exactly as written (no normalisation), as curl --path-as-is. */
function raw(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(base);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...(payload ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) });
        });
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function legacyNow(): Record<string, string> {
  const db = openDatabaseReadonly(config.dbPath);
  try {
    return legacyChecksums(db);
  } finally {
    db.close();
  }
}

function count(table: string): number {
  const db = openDatabaseReadonly(config.dbPath);
  try {
    // `table` is one of the fixed names below.
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The published fixture stays pristine: each case works on its own copy. */
function copyOfFixture(name: string): string {
  const path = join(temp.path, name);
  copyFileSync(config.dbPath, path);
  return path;
}

async function listening(server: TestServer): Promise<string> {
  return server.app.listen({ host: "127.0.0.1", port: 0 });
}

beforeAll(async () => {
  ({ config } = await publishedDemo(temp.path, "attacks.db"));
  legacyBefore = legacyNow();
});
afterEach(() => {
  expect(legacyNow()).toEqual(legacyBefore);
});
afterAll(() => temp.remove());

describe("with a user defined, on the LAN address", () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = startTestServer({ ...config, dbPath: copyOfFixture("lan.db"), host: "0.0.0.0" });
    await addUser(server.writer, "chef", "admin", "mot-de-passe-du-chef", FIXTURE_NOW);
    await addUser(server.writer, "lea", "lecteur", "lecture-seule-2026", FIXTURE_NOW);
    await addUser(server.writer, "marc", "acheteur", "achats-du-matin-2026", FIXTURE_NOW);
    base = await listening(server);
  });
  afterAll(() => server.close());

  const encoded = [
    "/%61pi/alerts",
    "/%61%70%69/alerts",
    "/api/%61lerts",
    "/%2561pi/alerts",
    "/API/alerts",
    "/Api/Alerts",
    "//api/alerts",
    "/api//alerts",
    "/./api/alerts",
    "/x/../api/alerts",
    "/api/alerts/",
    "/api/alerts%3Flevel=CRITIQUE",
    "/%61pi/dashboard",
    "/%61pi/predictions?article=1&store=1",
  ];

  it("answers no encoded, doubled or mixed-case API path without a session", async () => {
    for (const path of encoded) {
      const answer = await raw(base, "GET", path);
      expect([401, 404], `${path} → ${answer.status} ${answer.body.slice(0, 80)}`).toContain(
        answer.status,
      );
      expect(answer.body).not.toContain('"alerts"');
    }
  });

  it("writes nothing through encoded paths, whatever the method", async () => {
    const before = [count("optiflow_events"), count("optiflow_order_lines")];
    const attempts: [string, string, unknown][] = [
      [
        "POST",
        "/%61pi/events",
        { name: "x", type: "LOCAL", start: "2026-12-01", end: "2026-12-02" },
      ],
      ["PUT", "/%61pi/orders/lines", { articleId: 1, storeId: 1, quantity: 6 }],
      ["PUT", "/api/orders/%6cines", { articleId: 1, storeId: 1, quantity: 6 }],
      ["DELETE", "/%61pi/orders/lines", undefined],
      ["DELETE", "/%61pi/events/1", undefined],
      ["POST", "/%61pi/feedback", { articleId: 1, storeId: 1, date: "2026-11-20" }],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await raw(base, method, path, { body });
      expect([401, 404], `${method} ${path} → ${answer.status}`).toContain(answer.status);
    }
    expect([count("optiflow_events"), count("optiflow_order_lines")]).toEqual(before);
  });

  it("decides roles on the matched route: a reader cannot write through an encoded path", async () => {
    const session = await sessionCookie(base, "lea", "lecture-seule-2026");
    expect(session).toMatch(/^optiflow_session=/);
    const answer = await raw(base, "PUT", "/%61pi/orders/lines", {
      body: { articleId: 1, storeId: 1, quantity: 6 },
      headers: { cookie: session },
    });
    expect(answer.status).toBe(403);
    // And a reader may log out.
    const out = await raw(base, "POST", "/api/logout", { headers: { cookie: session } });
    expect(out.status).toBe(200);
    expect((await raw(base, "GET", "/api/alerts", { headers: { cookie: session } })).status).toBe(
      401,
    );
  });

  it("answers a malformed session cookie with a plain 401", async () => {
    for (const cookie of ["optiflow_session=%", "optiflow_session=%E0%A4%A", "optiflow_session="]) {
      const answer = await raw(base, "GET", "/api/alerts", { headers: { cookie } });
      expect(answer.status, cookie).toBe(401);
      expect(answer.json().code).toBe("login_required");
    }
  });

  it("counts 40 parallel wrong guesses: at most 5 are checked, the rest refused", async () => {
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        server.app.inject({
          method: "POST",
          url: "/api/login",
          payload: { login: "chef", password: `guess-${i}-xxxxxxx` },
          remoteAddress: "10.1.1.1",
        }),
      ),
    );
    const statuses = guesses.map((g) => g.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(35);
  });

  it("does not reset an address's failures on a successful login from it", async () => {
    const attempt = (login: string, password: string) =>
      server.app.inject({
        method: "POST",
        url: "/api/login",
        payload: { login, password },
        remoteAddress: "10.2.2.2",
      });
    for (let i = 0; i < 4; i++)
      expect((await attempt("chef", `wrong-${i}-xxxx`)).statusCode).toBe(401);
    expect((await attempt("lea", "lecture-seule-2026")).statusCode).toBe(200);
    expect((await attempt("chef", "wrong-again-xxxx")).statusCode).toBe(401);
    expect((await attempt("chef", "wrong-more-xxxxx")).statusCode).toBe(429);
  });

  it("limits guesses on one login from many addresses", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const answer = await server.app.inject({
        method: "POST",
        url: "/api/login",
        payload: { login: "lea", password: `spray-${i}-xxxxxx` },
        remoteAddress: `10.3.3.${i + 1}`,
      });
      statuses.push(answer.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("takes as long to refuse an unknown login as a wrong password (no enumeration by timing)", async () => {
    const timed = async (login: string, i: number) => {
      const started = performance.now();
      await server.app.inject({
        method: "POST",
        url: "/api/login",
        payload: { login, password: `timing-${i}-xxxxxx` },
        remoteAddress: `10.4.${i}.1`,
      });
      return performance.now() - started;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[3] as number;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await timed("marc", i));
      unknown.push(await timed(`nobody-${i}`, i + 10));
    }
    // Both run one scrypt of the same cost; before the fix the unknown login took 2 ms vs 50+.
    expect(median(unknown)).toBeGreaterThan(0.3 * median(known));
  });
});

describe("no login, on loopback (the shop's own machine)", () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = startTestServer({
      ...config,
      dbPath: copyOfFixture("loopback.db"),
      allowedHosts: ["caisse-1.local"],
    });
    base = await listening(server);
  });
  afterAll(() => server.close());

  it("refuses a request whose Host is not this machine (DNS rebinding), and writes nothing", async () => {
    const before = count("optiflow_events");
    const event = { name: "rebind", type: "LOCAL", start: "2026-12-01", end: "2026-12-02" };
    for (const host of ["evil.example", "evil.example:8501", "127.0.0.1.evil.example"]) {
      const read = await raw(base, "GET", "/api/alerts", { headers: { host } });
      expect(read.status, `host "${host}"`).toBe(403);
      expect(read.json().code).toBe("host_not_allowed");
      const write = await raw(base, "POST", "/api/events", { body: event, headers: { host } });
      expect(write.status, host).toBe(403);
    }
    // HTTP/1.0 without any Host header (node's client always adds one: a bare socket).
    const bare = await rawSocket(base, "GET /api/alerts HTTP/1.0\r\n\r\n");
    expect(bare).toMatch(/^HTTP\/1\.[01] 403/);
    expect(count("optiflow_events")).toBe(before);
    const port = new URL(base).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, "[::1]", "caisse-1.local:80"])
      expect((await raw(base, "GET", "/api/session", { headers: { host } })).status, host).toBe(
        200,
      );
  });
});

describe("fail closed", () => {
  it("keeps logins required when the users table is dropped under a running server", async () => {
    const copy = copyOfFixture("dropped-users.db");
    const server = startTestServer({ ...config, dbPath: copy });
    try {
      await addUser(server.writer, "chef", "admin", "mot-de-passe-du-chef", FIXTURE_NOW);
      const base = await listening(server);
      expect((await raw(base, "GET", "/api/alerts")).status).toBe(401);
      const vandal = new Database(copy);
      vandal.exec("DROP TABLE optiflow_users");
      vandal.close();
      const after = await raw(base, "GET", "/api/alerts");
      expect([401, 503]).toContain(after.status);
      expect(after.body).not.toContain('"alerts"');
      const write = await raw(base, "POST", "/api/events", {
        body: { name: "x", type: "LOCAL", start: "2026-12-01", end: "2026-12-02" },
      });
      expect([401, 503]).toContain(write.status);
    } finally {
      await server.close();
    }
  });

  it("keeps logins required after a restart on a base whose users table is gone", async () => {
    const copy = copyOfFixture("restart-no-users.db");
    const vandal = new Database(copy);
    vandal.exec("DROP TABLE optiflow_users");
    vandal.close();
    const db = new Database(copy, { readonly: true });
    const server = startTestServer({ ...config, dbPath: copy });
    try {
      const answer = await server.app.inject({ method: "GET", url: "/api/alerts" });
      expect([401, 503]).toContain(answer.statusCode);
      expect(
        (await server.app.inject({ method: "GET", url: "/api/session" })).json(),
      ).toMatchObject({ authRequired: true });
    } finally {
      db.close();
      await server.close();
    }
  });
});

describe("non-finite numbers", () => {
  let server: TestServer;
  beforeAll(() => {
    server = startTestServer({ ...config, dbPath: copyOfFixture("numbers.db") });
  });
  afterAll(() => server.close());

  const poisons: unknown[] = ["1e400", "Infinity", "-Infinity", "-1e400", "NaN"];
  const event = { name: "x", type: "LOCAL", start: "2026-12-01", end: "2026-12-02" };
  const feedback = {
    articleId: 1,
    storeId: 1,
    date: "2026-11-20",
    direction: "TROP_HAUT",
    reason: "RUPTURE",
  };
  const bodies: [string, string, Record<string, unknown>, string[]][] = [
    ["POST", "/api/events", event, ["impactPct", "storeId", "categoryId", "articleId"]],
    ["PUT", "/api/events/1", event, ["impactPct", "storeId", "categoryId", "articleId"]],
    ["POST", "/api/feedback", feedback, ["articleId", "storeId"]],
    ["PUT", "/api/feedback/1", feedback, ["articleId", "storeId"]],
    [
      "PUT",
      "/api/orders/lines",
      { articleId: 1, storeId: 1, quantity: 6 },
      ["articleId", "storeId", "quantity"],
    ],
  ];

  it("refuses them in every numeric field of every body, and stores nothing", async () => {
    const tables = ["optiflow_events", "optiflow_feedback", "optiflow_order_lines"] as const;
    const before = tables.map((t) => server.writer.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get());
    for (const [method, url, valid, fields] of bodies)
      for (const field of fields)
        for (const poison of poisons) {
          const answer = await server.app.inject({
            method: method as "POST",
            url,
            payload: { ...valid, [field]: poison },
          });
          expect(answer.statusCode, `${method} ${url} ${field}=${poison}`).toBe(400);
          expect(answer.json().error).toContain(field);
        }
    // A raw JSON 1e400 (JSON.parse turns it into Infinity).
    const rawJson = await server.app.inject({
      method: "POST",
      url: "/api/events",
      payload:
        '{"name":"x","type":"LOCAL","start":"2026-12-01","end":"2026-12-02","impactPct":1e400}',
      headers: { "content-type": "application/json" },
    });
    expect(rawJson.statusCode).toBe(400);
    expect(
      tables.map((t) => server.writer.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get()),
    ).toEqual(before);
  });

  it("refuses them in every numeric query parameter", async () => {
    const queries: [string, string[]][] = [
      ["/api/alerts", ["store", "category", "supplier", "limit"]],
      [
        "/api/alerts/calc?article=1&store=1&date=2026-12-05&margin=10",
        ["article", "store", "margin"],
      ],
      ["/api/dashboard", ["store"]],
      ["/api/predictions", ["article", "store"]],
    ];
    for (const [url, fields] of queries)
      for (const field of fields)
        for (const poison of poisons) {
          const [path, query] = url.split("?") as [string, string | undefined];
          const params = new URLSearchParams(query ?? "");
          params.set(field, String(poison));
          const answer = await server.app.inject({ method: "GET", url: `${path}?${params}` });
          expect(answer.statusCode, `${path} ${field}=${poison}`).toBe(400);
        }
  });

  it("a bad row written before the rules (or by hand) is skipped and reported; the batch publishes", async () => {
    const copy = copyOfFixture("poisoned.db");
    const raw = new Database(copy);
    raw
      .prepare(
        `INSERT INTO optiflow_events (name, type, date_debut, date_fin, magasin_id, impact_pct, created_at, created_by)
         VALUES ('poison', 'LOCAL', ?, ?, NULL, 1e999, ?, 'attacker')`,
      )
      .run(FIXTURE_TODAY, "2026-12-10", FIXTURE_NOW.toISOString());
    raw
      .prepare(
        `INSERT INTO optiflow_feedback (article_id, magasin_id, date, direction, reason, created_at, created_by)
         VALUES (1, 1, 'not-a-date', 'TROP_HAUT', 'RUPTURE', ?, 'attacker')`,
      )
      .run(FIXTURE_NOW.toISOString());
    raw.close();
    const result = await runBatch({
      config: { ...config, dbPath: copy, backupDir: join(temp.path, "poisoned-backups") },
      today: FIXTURE_TODAY,
      trigger: "manual",
      now: () => FIXTURE_BATCH_AT,
      logger: pino({ level: "silent" }),
    });
    expect(result.steps.filter((s) => s.status !== "succeeded")).toEqual([]);
    expect(result.published).toBe(true);
    const db = openDatabaseReadonly(copy);
    try {
      const checks = db
        .prepare(
          "SELECT table_name AS tableName, count FROM optiflow_data_checks WHERE run_id = ? AND kind = 'invalid_user_input'",
        )
        .all(result.runId);
      expect(checks).toEqual(
        expect.arrayContaining([
          { tableName: "optiflow_events", count: 1 },
          { tableName: "optiflow_feedback", count: 1 },
        ]),
      );
      const nonFinite = db
        .prepare(
          "SELECT COUNT(*) AS n FROM optiflow_forecasts WHERE run_id = ? AND (forecast IS NULL OR p10 IS NULL OR abs(forecast) > 1e300)",
        )
        .get(result.runId) as { n: number };
      expect(nonFinite.n).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe("a hostile backup given to db restore-optiflow", () => {
  it("runs none of its SQL: the legacy tables stay identical, Optiflow's tables come back", () => {
    const target = copyOfFixture("restore-target.db");
    const hostile = copyOfFixture("hostile-backup.db");
    const crafted = new Database(hostile);
    crafted.unsafeMode(true);
    crafted.exec("CREATE INDEX optiflow_evil ON ventes(quantite)");
    crafted.exec(
      "CREATE TRIGGER optiflow_trap AFTER INSERT ON optiflow_events BEGIN DELETE FROM promotions; END",
    );
    crafted.exec("CREATE VIEW optiflow_view AS SELECT * FROM promotions");
    // A table whose stored SQL carries a second statement: text that a naive restore would run.
    crafted.pragma("writable_schema = ON");
    crafted
      .prepare("UPDATE sqlite_master SET sql = sql || '; DROP TABLE promotions' WHERE name = ?")
      .run("optiflow_settings");
    crafted.pragma("writable_schema = OFF");
    crafted.close();
    const before = (() => {
      const db = openDatabaseReadonly(target);
      try {
        return {
          legacy: legacyChecksums(db),
          events: (db.prepare("SELECT COUNT(*) AS n FROM optiflow_events").get() as { n: number })
            .n,
        };
      } finally {
        db.close();
      }
    })();
    const db = openDatabase(target);
    try {
      const summary = restoreOptiflowTables(db, hostile);
      expect(summary.tables.find((t) => t.table === "optiflow_runs")?.rows).toBeGreaterThan(0);
      expect(legacyChecksums(db)).toEqual(before.legacy);
      const objects = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE name IN ('optiflow_evil', 'optiflow_trap', 'optiflow_view', 'promotions')",
        )
        .all();
      expect(objects).toEqual([{ name: "promotions" }]);
      expect(
        (db.prepare("SELECT COUNT(*) AS n FROM promotions").get() as { n: number }).n,
      ).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});

function rawSocket(base: string, text: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString()));
    socket.on("error", reject);
  });
}

async function sessionCookie(base: string, login: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const payload = JSON.stringify({ login, password });
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/api/login",
        headers: { "content-type": "application/json" },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve(String(res.headers["set-cookie"]?.[0] ?? "").split(";")[0] as string),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

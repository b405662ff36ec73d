import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyChecksums } from "../data/legacy/checksum.js";
import { type Db, openDatabaseReadonly } from "../data/open.js";
import { openOptiflowDatabase } from "../data/optiflow/open-optiflow.js";
import { readPublication } from "../data/optiflow/published-results.js";
import { fixtureNow, publishedDemo } from "../test-support/published-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import { buildServer } from "./build-server.js";

/**
 * Property-based: whatever a client sends, the API answers 2xx or a 4xx whose message names the
 * field at fault; never a 5xx. Seeded, so a failure replays identically.
 */
const temp = createTempDir("optiflow-api-props-");
let db: Db;
let writer: Db;
let app: ReturnType<typeof buildServer>;
let checksumsBefore: Record<string, string>;
const now = fixtureNow;
const RUNS = { numRuns: 150, seed: 20261126 };

beforeAll(async () => {
  const { path, config } = await publishedDemo(temp.path, "props.db");
  db = openDatabaseReadonly(path);
  checksumsBefore = legacyChecksums(db);
  known = db
    .prepare(
      "SELECT article_id AS articleId, magasin_id AS storeId FROM stocks ORDER BY 1, 2 LIMIT 1",
    )
    .get() as typeof known;
  writer = openOptiflowDatabase(path);
  app = buildServer({
    db,
    writeDb: () => writer,
    config,
    now,
    publication: () => readPublication(db, now(), 24),
    nextBatch: () => null,
    onError: (error) => {
      throw error;
    },
  });
}, 120_000);

afterAll(async () => {
  await app.close();
  db.close();
  writer.close();
  temp.remove();
});

interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  fields: readonly string[];
  /** A request the route accepts: inputs are drawn around it (fields dropped, spoiled, added). */
  valid?: () => Record<string, unknown>;
}

let known: { articleId: number; storeId: number };

const QUERY_ROUTES: readonly Route[] = [
  {
    method: "GET",
    url: "/api/alerts",
    fields: ["level", "store", "category", "supplier", "search", "limit"],
  },
  {
    method: "GET",
    url: "/api/alerts/calc",
    fields: ["article", "store", "date", "margin"],
    valid: () => ({
      article: String(known.articleId),
      store: String(known.storeId),
      date: "2026-12-10",
      margin: "10",
    }),
  },
  { method: "GET", url: "/api/dashboard", fields: ["store"] },
  { method: "GET", url: "/api/predictions", fields: ["article", "store", "search"] },
];

const BODY_ROUTES: readonly Route[] = [
  {
    method: "POST",
    url: "/api/events",
    fields: ["name", "type", "start", "end", "storeId", "categoryId", "articleId", "impactPct"],
    valid: () => ({ name: "Brocante", type: "LOCAL", start: "2026-12-05", end: "2026-12-06" }),
  },
  {
    method: "POST",
    url: "/api/feedback",
    fields: ["articleId", "storeId", "date", "direction", "reason", "comment"],
    valid: () => ({
      ...known,
      date: "2026-11-20",
      direction: "TROP_HAUT",
      reason: "RUPTURE",
    }),
  },
  {
    method: "PUT",
    url: "/api/orders/lines",
    fields: ["articleId", "storeId", "quantity"],
    valid: () => ({ ...known, quantity: 6 }),
  },
  { method: "POST", url: "/api/login", fields: ["login", "password"] },
];

/** Values that are sometimes right, often nearly right, sometimes nonsense. */
const plausibleText = fc.oneof(
  fc.constantFrom(
    "1",
    "2",
    "0",
    "-1",
    "2026-12-10",
    "2026-02-30",
    "2026-11-25",
    "CRITIQUE",
    "FERIE",
    "TROP_HAUT",
    "RUPTURE",
    "10",
    "1e3",
    "NaN",
    "",
    " ",
    "null",
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 100_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
);

const jsonValue = fc.oneof(
  plausibleText,
  fc.integer({ min: -3, max: 40 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

/**
 * Inputs around a route's valid request: some fields dropped, some spoiled, sometimes an unknown
 * one added; or, for routes without required fields, any subset of fields with any values.
 */
function inputArbitrary<T>(route: Route, value: fc.Arbitrary<T>) {
  const key = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...route.fields) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
  );
  const spoiled = fc.dictionary(key, value, { maxKeys: 2 });
  const dropped = fc.subarray([...route.fields], { maxLength: Math.min(2, route.fields.length) });
  return fc
    .record({ keepValid: fc.boolean(), spoiled, dropped })
    .map(({ keepValid, spoiled: changes, dropped: removed }) => {
      const input: Record<string, unknown> = { ...(route.valid?.() ?? {}) };
      if (keepValid) return input;
      for (const field of removed) delete input[field];
      return { ...input, ...changes };
    });
}

/** A 4xx must say what is wrong in terms the client sent: a field name, or the part (body, querystring). */
function expectNamedRejection(
  route: Route,
  sent: Record<string, unknown>,
  status: number,
  body: { error?: unknown },
): void {
  expect(status, JSON.stringify({ route: route.url, sent, body })).toBeLessThan(500);
  if (status < 400) return;
  expect(typeof body.error).toBe("string");
  const message = String(body.error);
  // Named as a path into what was sent (querystring/limit, body/start), as the client wrote it.
  const named = [...route.fields, ...Object.keys(sent)].some((f) =>
    ["body", "querystring", "params"].some((part) => message.includes(`${part}/${f}`)),
  );
  const generic = status === 401 || status === 404 || status === 429;
  expect(named || generic, `${route.url}: "${message}" names no field`).toBe(true);
}

describe("API under arbitrary input", () => {
  for (const route of QUERY_ROUTES) {
    it(`${route.method} ${route.url}: 2xx or a 4xx naming the field, never a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(inputArbitrary(route, plausibleText), async (query) => {
          const url = `${route.url}?${new URLSearchParams(query as Record<string, string>).toString()}`;
          const response = await app.inject({ method: route.method, url });
          expectNamedRejection(route, query, response.statusCode, response.json());
        }),
        RUNS,
      );
    });
  }

  for (const route of BODY_ROUTES) {
    it(`${route.method} ${route.url}: 2xx or a 4xx naming the field, never a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(inputArbitrary(route, jsonValue), async (payload) => {
          const response = await app.inject({ method: route.method, url: route.url, payload });
          expectNamedRejection(route, payload, response.statusCode, response.json());
        }),
        RUNS,
      );
    });
  }

  it("rejects bodies that are not JSON objects with a 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (route, raw) => {
          const response = await app.inject({
            method: route.method,
            url: route.url,
            payload: raw,
            headers: { "content-type": "application/json" },
          });
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      RUNS,
    );
  });

  it("DELETE /api/orders/lines/:articleId/:storeId: a 4xx naming the parameter for junk ids", async () => {
    const route: Route = {
      method: "DELETE",
      url: "/api/orders/lines",
      fields: ["articleId", "storeId"],
    };
    await fc.assert(
      fc.asyncProperty(plausibleText, plausibleText, async (a, s) => {
        const url = `/api/orders/lines/${encodeURIComponent(a)}/${encodeURIComponent(s)}`;
        const response = await app.inject({ method: "DELETE", url });
        expectNamedRejection(route, {}, response.statusCode, response.json());
      }),
      RUNS,
    );
  });

  it("keeps every accepted event, and leaves the legacy tables identical", async () => {
    const events = (await app.inject({ method: "GET", url: "/api/events" })).json().events as {
      name: string;
    }[];
    const audit = writer
      .prepare("SELECT COUNT(*) AS n FROM optiflow_audit WHERE action = 'declare_event'")
      .get() as { n: number };
    expect(events.length).toBe(audit.n);
    expect(legacyChecksums(db)).toEqual(checksumsBefore);
  });
});

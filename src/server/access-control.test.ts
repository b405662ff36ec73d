import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser } from "../data/optiflow/users-repository.js";
import {
  FIXTURE_NOW,
  publishedDemo,
  startTestServer,
  type TestServer,
} from "../test-support/published-fixture.js";
import { createTempDir } from "../test-support/temp-dir.js";
import type { buildServer } from "./build-server.js";

const temp = createTempDir("optiflow-auth-");
let app: ReturnType<typeof buildServer>;
let server: TestServer;

beforeAll(async () => {
  const { config } = await publishedDemo(temp.path, "auth.db");
  // Bound to a non-loopback address: every call needs a session.
  server = startTestServer({ ...config, host: "0.0.0.0" });
  app = server.app;
  await addUser(server.writer, "lea", "lecteur", "lecture-seule-2026", FIXTURE_NOW);
  await addUser(server.writer, "bruno", "acheteur", "achats-du-matin-2026", FIXTURE_NOW);
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

async function login(user: string, password: string): Promise<string> {
  const response = await app.inject({
    method: "POST",
    url: "/api/login",
    payload: { login: user, password },
  });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = String(response.headers["set-cookie"]);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return cookie.split(";")[0] as string;
}

describe("access control", () => {
  it("refuses every API call without a session, and says so", async () => {
    for (const url of [
      "/api/alerts",
      "/api/alerts/export",
      "/api/predictions/export",
      "/api/dashboard",
      "/api/events",
    ]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(401);
    }
    const session = (await app.inject({ method: "GET", url: "/api/session" })).json();
    expect(session).toEqual({ authRequired: true, user: null });
  });

  it("lets a reader read but not write, and a buyer write, recorded under their login", async () => {
    const reader = await login("lea", "lecture-seule-2026");
    expect(
      (await app.inject({ method: "GET", url: "/api/alerts", headers: { cookie: reader } }))
        .statusCode,
    ).toBe(200);
    const event = { name: "Foire", type: "LOCAL", start: "2026-12-05", end: "2026-12-06" };
    const denied = await app.inject({
      method: "POST",
      url: "/api/events",
      payload: event,
      headers: { cookie: reader },
    });
    expect(denied.statusCode).toBe(403);
    const buyer = await login("bruno", "achats-du-matin-2026");
    const created = await app.inject({
      method: "POST",
      url: "/api/events",
      payload: event,
      headers: { cookie: buyer },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().createdBy).toBe("bruno");
    const logout = await app.inject({
      method: "POST",
      url: "/api/logout",
      headers: { cookie: buyer },
    });
    expect(logout.statusCode).toBe(200);
    expect(
      (await app.inject({ method: "GET", url: "/api/alerts", headers: { cookie: buyer } }))
        .statusCode,
    ).toBe(401);
  });

  it("rate-limits failed logins", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (
          await app.inject({
            method: "POST",
            url: "/api/login",
            payload: { login: "lea", password: `wrong-${i}` },
            remoteAddress: "10.0.0.9",
          })
        ).statusCode,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it("sends security headers, a content security policy among them", async () => {
    const response = await app.inject({ method: "GET", url: "/api/session" });
    expect(response.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("lets no one frame a page, and only the pages themselves frame an API answer", async () => {
    // Outside /api/: the pages (here a path none serves, which passes the same hook).
    const page = await app.inject({ method: "GET", url: "/somewhere" });
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    // A refused download loads in a hidden frame of the page, which reads it.
    const api = await app.inject({ method: "GET", url: "/api/alerts/export" });
    expect(api.statusCode).toBe(401);
    expect(api.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(api.headers["content-security-policy"]).toMatch(/frame-ancestors 'self'/);
  });
});

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Role } from "../data/optiflow/users-repository.js";
import {
  createSession,
  deleteSession,
  findUser,
  sessionUser,
  userCount,
  verifyPassword,
} from "../data/optiflow/users-repository.js";
import type { ServerDeps } from "./server-deps.js";

export const SESSION_COOKIE = "optiflow_session";
const RANK: Record<Role, number> = { lecteur: 0, acheteur: 1, admin: 2 };
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 5 * 60_000;

export interface RequestUser {
  login: string;
  role: Role;
}

declare module "fastify" {
  interface FastifyRequest {
    user: RequestUser | null;
  }
}

function readCookie(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

/** Who may do what: reads for every role, writes for buyers, the rest for admins. */
function requiredRole(request: FastifyRequest): Role {
  if (request.method === "GET" || request.method === "HEAD") return "lecteur";
  return "acheteur";
}

/**
 * Access control (roles lecteur < acheteur < admin). On loopback with no user defined, the
 * single local user is trusted, as the product runs on the shop's own machine; once a user
 * exists, or when bound to another address, every API call needs a session cookie
 * (HttpOnly, SameSite=Strict). Logins are rate-limited per client address.
 */
export function registerAccessControl(
  app: FastifyInstance,
  deps: ServerDeps,
  loopback: boolean,
): void {
  const failures = new Map<string, number[]>();
  const authRequired = () => !loopback || userCount(deps.db) > 0;
  app.decorateRequest("user", null);

  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url.split("?")[0] ?? "";
    if (!url.startsWith("/api/") || url === "/api/login" || url === "/api/session") return;
    if (!authRequired()) {
      request.user = { login: "local", role: "admin" };
      return;
    }
    const token = readCookie(request, SESSION_COOKIE);
    const user = token ? sessionUser(deps.db, token, deps.now()) : null;
    if (!user) return reply.status(401).send({ error: "login required" });
    if (RANK[user.role] < RANK[requiredRole(request)]) {
      return reply
        .status(403)
        .send({ error: `role ${user.role} may not do this (needs ${requiredRole(request)})` });
    }
    request.user = user;
  });

  app.get("/api/session", async (request) => {
    const token = readCookie(request, SESSION_COOKIE);
    const required = authRequired();
    return {
      authRequired: required,
      user: required
        ? token
          ? sessionUser(deps.db, token, deps.now())
          : null
        : { login: "local", role: "admin" },
    };
  });

  app.post<{ Body: { login: string; password: string } }>(
    "/api/login",
    {
      schema: {
        body: {
          type: "object",
          additionalProperties: false,
          required: ["login", "password"],
          properties: {
            login: { type: "string", minLength: 1, maxLength: 40 },
            password: { type: "string", minLength: 1, maxLength: 200 },
          },
        },
      },
    },
    async (request, reply) => {
      const now = Date.now();
      const recent = (failures.get(request.ip) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
      if (recent.length >= MAX_FAILURES)
        return reply.status(429).send({ error: "too many failed logins: wait 5 minutes" });
      const user = findUser(deps.db, request.body.login);
      const ok = user !== null && (await verifyPassword(request.body.password, user.passwordHash));
      if (!user || !ok) {
        failures.set(request.ip, [...recent, now]);
        return reply.status(401).send({ error: "unknown login or wrong password" });
      }
      failures.delete(request.ip);
      const token = createSession(deps.writeDb(), user.login, deps.now());
      reply.header(
        "set-cookie",
        `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`,
      );
      return { login: user.login, role: user.role };
    },
  );

  app.post("/api/logout", async (request, reply) => {
    const token = readCookie(request, SESSION_COOKIE);
    if (token) deleteSession(deps.writeDb(), token);
    reply.header("set-cookie", `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  });

  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header(
      "content-security-policy",
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "no-referrer");
    reply.header("cross-origin-opener-policy", "same-origin");
    return payload;
  });
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

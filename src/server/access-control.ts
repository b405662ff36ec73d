import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Role } from "../data/optiflow/users-repository.js";
import {
  createSession,
  deleteSession,
  findUser,
  sessionUser,
  userState,
  verifyPassword,
  verifyUnknownLogin,
} from "../data/optiflow/users-repository.js";
import { ApiError } from "./api-error.js";
import { isAllowedHost } from "./host-check.js";
import { LoginThrottle } from "./login-throttle.js";
import type { ServerDeps } from "./server-deps.js";

export const SESSION_COOKIE = "optiflow_session";
const RANK: Record<Role, number> = { lecteur: 0, acheteur: 1, admin: 2 };

/** Who may call a route: anyone, or a role and those above it. */
export type Access = "public" | Role;

export interface RequestUser {
  login: string;
  role: Role;
}

declare module "fastify" {
  interface FastifyRequest {
    user: RequestUser | null;
  }
  interface FastifyContextConfig {
    /** Set on routes whose access differs from the default (reads: lecteur; writes: acheteur). */
    access?: Access;
  }
}

const LOCAL_USER: RequestUser = { login: "local", role: "admin" };

/** The session token of a Cookie header; a malformed value is no token, never an error. */
export function readSessionToken(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key !== SESSION_COOKIE) continue;
    const token = value.join("=");
    // Tokens are base64url: anything else cannot be one of ours.
    return /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : null;
  }
  return null;
}

/**
 * The access a request needs, decided on the route the router actually matched (after
 * percent-decoding), never on the raw URL: `/%61pi/alerts` matches `/api/alerts` and needs what
 * it needs. Routes outside `/api/` (the built pages) are public; API routes default to reading
 * for GET and HEAD and to buying for every write, unless their config says otherwise.
 */
export function requiredAccess(request: FastifyRequest): Access {
  const declared = request.routeOptions.config?.access;
  if (declared) return declared;
  const route = request.routeOptions.url ?? "";
  if (!route.startsWith("/api/")) return "public";
  return request.method === "GET" || request.method === "HEAD" ? "lecteur" : "acheteur";
}

/**
 * Access control (roles lecteur < acheteur < admin). On loopback with no user defined, the
 * single local user is trusted, as the product runs on the shop's own machine; once a user
 * exists, or when bound to another address, every API call needs a session cookie (HttpOnly,
 * SameSite=Strict). Once logins have been seen, they stay required for the life of the
 * process, and a damaged users table never turns them off (fail closed).
 */
export function registerAccessControl(
  app: FastifyInstance,
  deps: ServerDeps,
  loopback: boolean,
): void {
  let loginsSeen = false;
  const authRequired = () => {
    if (!loopback || loginsSeen) return true;
    if (userState(deps.db) === "none") return false;
    loginsSeen = true;
    return true;
  };
  app.decorateRequest("user", null);
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) =>
    checkRequest(request, reply, deps, authRequired),
  );
  registerSessionRoutes(app, deps, authRequired);
  app.addHook("onSend", async (request, reply, payload) => {
    setSecurityHeaders(reply, request.url.startsWith("/api/") ? "self" : "none");
    return payload;
  });
}

/** The host first (DNS rebinding), then the session and its role against the route's access. */
async function checkRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ServerDeps,
  authRequired: () => boolean,
): Promise<FastifyReply | undefined> {
  if (!isAllowedHost(request.headers.host, deps.config.host, deps.config.allowedHosts)) {
    return reply.status(403).send({
      error: `host "${request.headers.host ?? ""}" is not one this server answers to: add it to OPTIFLOW_ALLOWED_HOSTS`,
      code: "host_not_allowed",
    });
  }
  const access = requiredAccess(request);
  if (access === "public") return;
  if (!authRequired()) {
    request.user = LOCAL_USER;
    return;
  }
  const token = readSessionToken(request.headers.cookie);
  const user = token ? sessionUser(deps.db, token, deps.now()) : null;
  if (!user) throw new ApiError(401, "login_required", "login required");
  if (RANK[user.role] < RANK[access])
    throw new ApiError(403, "forbidden", `role ${user.role} may not do this (needs ${access})`);
  request.user = user;
}

/** Who is logged in, logging in (throttled, the same work for an unknown login), logging out. */
function registerSessionRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  authRequired: () => boolean,
): void {
  const throttle = new LoginThrottle(() => deps.now().getTime());
  app.get("/api/session", { config: { access: "public" } }, async (request) => {
    if (!authRequired()) return { authRequired: false, user: LOCAL_USER };
    const token = readSessionToken(request.headers.cookie);
    return { authRequired: true, user: token ? sessionUser(deps.db, token, deps.now()) : null };
  });

  app.post<{ Body: { login: string; password: string } }>(
    "/api/login",
    {
      config: { access: "public" },
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
      const attempt = throttle.begin(request.ip, request.body.login);
      if (!attempt)
        throw new ApiError(429, "too_many_attempts", "too many failed logins: wait 5 minutes");
      const user = findUser(deps.db, request.body.login);
      const ok = user
        ? await verifyPassword(request.body.password, user.passwordHash)
        : await verifyUnknownLogin(request.body.password);
      if (!user || !ok)
        throw new ApiError(401, "bad_credentials", "unknown login or wrong password");
      throttle.succeeded(attempt);
      const token = createSession(deps.writeDb(), user.login, deps.now());
      reply.header(
        "set-cookie",
        `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`,
      );
      return { login: user.login, role: user.role };
    },
  );

  // Anyone may end their own session, readers included.
  app.post("/api/logout", { config: { access: "public" } }, async (request, reply) => {
    const token = readSessionToken(request.headers.cookie);
    if (token) deleteSession(deps.writeDb(), token);
    reply.header("set-cookie", `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  });
}

/**
 * On every answer, pages included: scripts from this server only, no sniffing, and no framing of
 * the pages by anyone. An API answer may be framed by this server's own pages: a download starts
 * in a hidden frame, and a refusal (too many downloads, a session expired) loads there for the
 * page to read and explain (`web/src/components/download-link.tsx`). Nothing in a JSON answer can
 * be clicked, so that framing gives a clickjacker nothing.
 */
function setSecurityHeaders(reply: FastifyReply, framing: "self" | "none"): void {
  reply.header(
    "content-security-policy",
    `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors '${framing}'; base-uri 'self'; form-action 'self'`,
  );
  reply.header("x-content-type-options", "nosniff");
  reply.header("x-frame-options", framing === "self" ? "SAMEORIGIN" : "DENY");
  reply.header("referrer-policy", "no-referrer");
  reply.header("cross-origin-opener-policy", "same-origin");
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { Db } from "../open.js";
import { hasOptiflowTable } from "./results-repository.js";

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
) => Promise<Buffer>;

export type Role = "lecteur" | "acheteur" | "admin";
export const ROLES: readonly Role[] = ["lecteur", "acheteur", "admin"];

export class UserInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "UserInputError";
  }
}

const LOGIN = /^[a-z0-9._-]{2,40}$/;
const KEY_LENGTH = 64;

/** scrypt with a random salt, stored as `scrypt$salt$hash` (hex). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH);
  return `scrypt$${salt.toString("hex")}$${hash.toString("hex")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split("$");
  if (scheme !== "scrypt" || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, "hex");
  const actual = await scrypt(password, Buffer.from(saltHex, "hex"), expected.length);
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | null = null;

/**
 * A login that does not exist is checked against a throw-away hash, so that it takes as long as
 * a wrong password for a real login: response times do not tell which logins exist.
 */
export async function verifyUnknownLogin(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await dummyHash);
  return false;
}

export async function addUser(
  db: Db,
  login: string,
  role: string,
  password: string,
  now: Date,
): Promise<void> {
  if (!LOGIN.test(login))
    throw new UserInputError("login", "2 to 40 characters among a-z 0-9 . _ -");
  if (!(ROLES as readonly string[]).includes(role))
    throw new UserInputError("role", `one of ${ROLES.join(", ")}`);
  checkPassword(password);
  if (db.prepare("SELECT 1 FROM optiflow_users WHERE login = ?").get(login))
    throw new UserInputError("login", `"${login}" already exists`);
  db.prepare(
    "INSERT INTO optiflow_users (login, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
  ).run(login, role, await hashPassword(password), now.toISOString());
}

export function userCount(db: Db): number {
  if (!hasOptiflowTable(db, "optiflow_users")) return 0;
  return (db.prepare("SELECT COUNT(*) AS n FROM optiflow_users").get() as { n: number }).n;
}

/**
 * Whether logins are defined: "none" only when the users table exists and is empty, or when
 * Optiflow has never migrated this base. A users table missing from a migrated base is damage,
 * and damage must not switch logins off: "unknown" (the server then fails closed).
 */
export function userState(db: Db): "none" | "some" | "unknown" {
  if (hasOptiflowTable(db, "optiflow_users")) return userCount(db) > 0 ? "some" : "none";
  return hasOptiflowTable(db, "optiflow_migrations") ? "unknown" : "none";
}

export interface UserSummary {
  login: string;
  role: Role;
  createdAt: string;
  activeSessions: number;
}

export function listUsers(db: Db, now: Date): UserSummary[] {
  return db
    .prepare(
      `SELECT u.login, u.role, u.created_at AS createdAt,
              (SELECT COUNT(*) FROM optiflow_sessions s WHERE s.login = u.login AND s.expires_at > ?) AS activeSessions
       FROM optiflow_users u ORDER BY u.login`,
    )
    .all(now.toISOString()) as UserSummary[];
}

/** Removes a user and every session of theirs (they are logged out at once). */
export function removeUser(db: Db, login: string): void {
  db.transaction(() => {
    if (db.prepare("DELETE FROM optiflow_users WHERE login = ?").run(login).changes === 0)
      throw new UserInputError("login", `no user "${login}"`);
    db.prepare("DELETE FROM optiflow_sessions WHERE login = ?").run(login);
  })();
}

/** A new password; the user's open sessions end, as a password change is often a response to a leak. */
export async function setPassword(db: Db, login: string, password: string): Promise<void> {
  checkPassword(password);
  if (!findUser(db, login)) throw new UserInputError("login", `no user "${login}"`);
  const hash = await hashPassword(password);
  db.transaction(() => {
    db.prepare("UPDATE optiflow_users SET password_hash = ? WHERE login = ?").run(hash, login);
    db.prepare("DELETE FROM optiflow_sessions WHERE login = ?").run(login);
  })();
}

function checkPassword(password: string): void {
  if (password.length < 10) throw new UserInputError("password", "at least 10 characters");
  if (password.length > 200) throw new UserInputError("password", "at most 200 characters");
}

export function findUser(
  db: Db,
  login: string,
): { login: string; role: Role; passwordHash: string } | null {
  return (
    (db
      .prepare(
        "SELECT login, role, password_hash AS passwordHash FROM optiflow_users WHERE login = ?",
      )
      .get(login) as { login: string; role: Role; passwordHash: string } | undefined) ?? null
  );
}

function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A random session token; only its hash is stored, so a copy of the base grants no session. */
export function createSession(db: Db, login: string, now: Date, hours = 12): string {
  const token = randomBytes(32).toString("base64url");
  db.prepare("DELETE FROM optiflow_sessions WHERE expires_at < ?").run(now.toISOString());
  db.prepare("INSERT INTO optiflow_sessions (token_hash, login, expires_at) VALUES (?, ?, ?)").run(
    tokenHash(token),
    login,
    new Date(now.getTime() + hours * 3_600_000).toISOString(),
  );
  return token;
}

export function sessionUser(
  db: Db,
  token: string,
  now: Date,
): { login: string; role: Role } | null {
  return (
    (db
      .prepare(
        `SELECT u.login, u.role FROM optiflow_sessions s JOIN optiflow_users u ON u.login = s.login
         WHERE s.token_hash = ? AND s.expires_at > ?`,
      )
      .get(tokenHash(token), now.toISOString()) as { login: string; role: Role } | undefined) ??
    null
  );
}

export function deleteSession(db: Db, token: string): void {
  db.prepare("DELETE FROM optiflow_sessions WHERE token_hash = ?").run(tokenHash(token));
}

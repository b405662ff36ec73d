import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Patterns of credentials that must never be committed. */
const SECRET_PATTERNS: readonly [string, RegExp][] = [
  ["private key", /-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----/],
  ["AWS access key", /\bAKIA[0-9A-Z]{16}\b/],
  ["GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ["npm token", /\bnpm_[A-Za-z0-9]{36}\b/],
  // A value with a digit or a symbol: UI labels ("Password") are words, secrets are not.
  [
    "hard-coded password",
    /\b(?:password|passwd|secret)\s*[:=]\s*["'](?=[^"'\s]*[\d!@#$%^&*_+=-])[^"'\s]{8,}["']/i,
  ],
];

const ROOT = new URL("..", import.meta.url).pathname;

function trackedFiles(): string[] {
  if (!existsSync(`${ROOT}.git`)) return [];
  return execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && !/\.(png|wasm|db)$/.test(f) && f !== "package-lock.json");
}

describe("the repository", () => {
  it.skipIf(!existsSync(`${ROOT}.git`))("holds no credential and no .env file", () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => /(^|\/)\.env$/.test(f))).toEqual([]);
    const found: string[] = [];
    for (const file of files) {
      if (file === "test/no-secrets.test.ts" || !existsSync(ROOT + file)) continue;
      const text = readFileSync(ROOT + file, "utf8");
      for (const [name, pattern] of SECRET_PATTERNS)
        if (pattern.test(text)) found.push(`${file}: ${name}`);
    }
    expect(found).toEqual([]);
  });
});

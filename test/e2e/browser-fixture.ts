/// <reference lib="dom" />
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { Config } from "../../src/config.js";
import { launchChromium } from "../../src/test-support/browser.js";
import {
  publishedDemo,
  startTestServer,
  type TestServer,
} from "../../src/test-support/published-fixture.js";
import { createTempDir } from "../../src/test-support/temp-dir.js";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface PagesFixture {
  base: string;
  server: TestServer;
  browser: Browser;
  temp: ReturnType<typeof createTempDir>;
  dbPath: string;
  config: Config;
  open(path: string, options?: { language?: "fr" | "en"; width?: number }): Promise<Page>;
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

export const DESKTOP = 1366;
export const PHONE = 390;

/** A day as the French pages write it ("28 oct. 2026"; i18n.tsx's `date`). */
export const frenchDay = (iso: string): string =>
  new Date(`${iso.slice(0, 10)}T12:00:00Z`).toLocaleDateString("fr-FR", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });

const SCREENSHOTS = process.env.OPTIFLOW_SCREENSHOTS
  ? new URL("../../docs/screenshots/", import.meta.url).pathname
  : null;

/** The README's pictures, taken where a test has brought the page to the state they show. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/**
 * A real server on a published demo base (36 articles, 2 stores) and Debian's chromium: what a
 * store manager sees. Every page records its console errors; `close` fails on none.
 */
export async function startPages(name: string, articles = 36): Promise<PagesFixture> {
  const temp = createTempDir(`optiflow-${name}-`);
  const { config, path } = await publishedDemo(temp.path, `${name}.db`, articles);
  const server = startTestServer(config);
  const base = await server.app.listen({ host: "127.0.0.1", port: 0 });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];
  return {
    base,
    server,
    browser,
    temp,
    dbPath: path,
    config,
    async open(target, options = {}) {
      const width = options.width ?? DESKTOP;
      const context = await browser.newContext({
        acceptDownloads: true,
        locale: options.language === "en" ? "en-GB" : "fr-FR",
        viewport: { width, height: width <= PHONE ? 844 : 900 },
        isMobile: width <= PHONE,
        hasTouch: width <= PHONE,
      });
      contexts.push(context);
      if (options.language === "en")
        await context.addInitScript(() => localStorage.setItem("optiflow.language", "en"));
      const page = await context.newPage();
      page.on("console", (message) => {
        // A 400 is a refused entry, shown on the page: some tests make one on purpose.
        const refusal = /status of 400 \(Bad Request\)/.test(message.text());
        if (message.type() === "error" && !refusal)
          consoleErrors.push(`${target}: ${message.text()}`);
      });
      page.on("pageerror", (error) => consoleErrors.push(`${target}: ${error.message}`));
      await page.goto(`${base}/${target.replace(/^\//, "")}`);
      return page;
    },
    async api<T>(path: string) {
      return (await (await fetch(`${base}${path}`)).json()) as T;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await server.close();
      temp.remove();
      expect(consoleErrors).toEqual([]);
    },
  };
}

/**
 * axe-core on the page as it stands: no serious or critical violation. Evaluated through the
 * DevTools protocol, which the page's Content-Security-Policy (no inline script) does not block.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<unknown> } }
    ).axe;
    const result = (await axe.run(document, { resultTypes: ["violations"] })) as {
      violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
    };
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 3)
            .join(", ")}`,
      );
  })) as string[];
  expect(violations, state).toEqual([]);
}

/**
 * Nothing to scroll sideways inside the page either: no panel, no table wrapper wider than it
 * shows (a wide table may scroll there, but then a column is out of sight).
 */
export async function expectPanelsWhole(page: Page, state: string): Promise<void> {
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll(".panel, .table-scroll")]
      .filter((e) => e.scrollWidth - e.clientWidth > 1)
      .map((e) => `${e.className} +${e.scrollWidth - e.clientWidth}px`),
  );
  expect(cut, state).toEqual([]);
}

/** No sideways scrolling: the page fits the viewport's width. */
export async function expectNoSidewaysScroll(page: Page, state: string): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, state).toBeLessThanOrEqual(1);
}

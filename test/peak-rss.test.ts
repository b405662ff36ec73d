import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { peakRssMb } from "../bench/peak-rss.js";

describe("a bench child's peak memory", () => {
  it("is the process's own high-water mark from /proc, in MB", () => {
    const status = "Name:\tnode\nVmPeak:\t 1048576 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n";
    expect(peakRssMb(status)).toBe(200);
  });

  it("falls back to rusage's figure without /proc or without the line", () => {
    const rusage = process.resourceUsage().maxRSS / 1024;
    expect(peakRssMb(null)).toBeGreaterThanOrEqual(rusage);
    expect(peakRssMb("Name:\tnode\n")).toBeGreaterThanOrEqual(rusage);
  });

  it.skipIf(!existsSync("/proc/self/status"))("reads this process's own figure on Linux", () => {
    const peak = peakRssMb();
    expect(peak).toBeGreaterThan(process.memoryUsage().rss / 1024 / 1024 - 1);
    expect(peak).toBeLessThanOrEqual(process.resourceUsage().maxRSS / 1024 + 1);
  });
});

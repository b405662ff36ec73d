import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BenchFlag, flagProblems, usageText } from "../bench/bench-flags.js";

const FLAGS: BenchFlag[] = [
  { name: "quick", help: "fewer windows" },
  { name: "half", value: "tuning|test", oneOf: ["tuning", "test"], help: "one half" },
  { name: "nights", value: "N", atLeast: 2, help: "nights" },
  { name: "only-variants", value: "a,b", help: "variants" },
];

describe("a bench command's flags", () => {
  it("takes the flags it lists, values with commas, spaces and signs included", () => {
    const argv = ["--quick", "--half=test", "--nights=30", "--only-variants=a (b, c),d=e"];
    expect(flagProblems(argv, FLAGS)).toEqual([]);
  });

  it("refuses a mistyped flag, a bad value, a missing value and a value on a switch", () => {
    expect(
      flagProblems(
        ["--quik", "quick", "--half=tset", "--nights=1", "--nights=3x", "--half", "--quick=1"],
        FLAGS,
      ),
    ).toEqual([
      'unknown argument "--quik"',
      'unknown argument "quick"',
      "--half=tset: one of tuning, test",
      "--nights=1: a whole number, 2 at least",
      "--nights=3x: a whole number, 2 at least",
      "--half= needs a value",
      "--quick takes no value",
    ]);
  });

  it("lists every flag with its value and help in the usage text", () => {
    const text = usageText("bench", "What it does.", FLAGS);
    expect(text).toContain("usage: bench [flags]");
    // Aligned on the longest flag, --only-variants=a,b.
    expect(text).toContain("  --half=tuning|test   one half");
    expect(text).toContain("  --only-variants=a,b  variants");
    expect(text).toContain("  --help               this text");
  });
});

describe("npm run bench's command line", () => {
  const RUN = new URL("../dist/bench/run.js", import.meta.url).pathname;
  const run = (args: string[], cwd: string) =>
    spawnSync(process.execPath, [RUN, ...args], { cwd, encoding: "utf8", timeout: 60_000 });

  it("prints its usage on --help and stops on a typo, running nothing", () => {
    // In an empty folder: a run would create .bench-work there before anything else.
    const cwd = mkdtempSync(join(tmpdir(), "optiflow-bench-flags-"));
    try {
      const help = run(["--help"], cwd);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain("--only-variants=a,b");
      const typo = run(["--no-scale", "--quik"], cwd);
      expect(typo.status).toBe(2);
      expect(typo.stderr).toContain('unknown argument "--quik"');
      const half = run(["--half=tset"], cwd);
      expect(half.status).toBe(2);
      expect(half.stderr).toContain("--half=tset: one of tuning, test");
      const windows = run(["--batch-windows=0"], cwd);
      expect(windows.status).toBe(2);
      expect(windows.stderr).toContain("--batch-windows=0: a whole number, 1 at least");
      expect(existsSync(join(cwd, ".bench-work"))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

/**
 * The flags of a bench command, checked before anything runs. A bench takes minutes and may
 * overwrite its report: a mistyped flag (`--quik`, `--half=tset`) or `--help` used to start the
 * whole run with the flag ignored, so each command now lists what it takes and refuses the rest.
 */
export interface BenchFlag {
  /** Without the dashes: `quick` for `--quick`. */
  name: string;
  /** What the value stands for in the usage text (`--sets=a,b`); absent: a switch, no value. */
  value?: string;
  /** The only values it takes. */
  oneOf?: readonly string[];
  /** The value is a whole number of at least this. */
  atLeast?: number;
  help: string;
}

/** What is wrong with a command line, one line per problem; empty when nothing is. */
export function flagProblems(argv: readonly string[], flags: readonly BenchFlag[]): string[] {
  return argv.flatMap((arg) => {
    const match = /^--([a-z][a-z-]*)(=(.*))?$/s.exec(arg);
    const flag = match ? flags.find((f) => f.name === match[1]) : undefined;
    if (!match || !flag) return [`unknown argument "${arg}"`];
    const value = match[3];
    if (flag.value === undefined)
      return value === undefined ? [] : [`--${flag.name} takes no value`];
    if (value === undefined || value === "") return [`--${flag.name}= needs a value`];
    return valueProblems(flag, value);
  });
}

function valueProblems(flag: BenchFlag, value: string): string[] {
  if (flag.oneOf && !flag.oneOf.includes(value))
    return [`--${flag.name}=${value}: one of ${flag.oneOf.join(", ")}`];
  const whole = /^\d+$/.test(value);
  if (flag.atLeast !== undefined && !(whole && Number(value) >= flag.atLeast))
    return [`--${flag.name}=${value}: a whole number, ${flag.atLeast} at least`];
  return [];
}

/** The usage text `--help` prints. */
export function usageText(command: string, about: string, flags: readonly BenchFlag[]): string {
  const shown = flags.map((f) => `--${f.name}${f.value ? `=${f.value}` : ""}`);
  const width = Math.max(...shown.map((s) => s.length));
  return [
    `usage: ${command} [flags]`,
    "",
    about,
    "",
    ...flags.map((f, i) => `  ${(shown[i] as string).padEnd(width)}  ${f.help}`),
    `  ${"--help".padEnd(width)}  this text`,
    "",
  ].join("\n");
}

/**
 * Checks the process's command line: `--help` prints the usage and exits 0; any problem is
 * printed with the usage's first line and exits 2, before the bench starts.
 */
export function checkCommandLine(
  argv: readonly string[],
  command: string,
  about: string,
  flags: readonly BenchFlag[],
): void {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(usageText(command, about, flags));
    process.exit(0);
  }
  const problems = flagProblems(argv, flags);
  if (problems.length === 0) return;
  for (const problem of problems) process.stderr.write(`${command}: ${problem}\n`);
  process.stderr.write(`${command} --help lists the flags\n`);
  process.exit(2);
}

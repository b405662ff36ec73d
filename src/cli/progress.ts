import cliProgress from "cli-progress";

export interface ProgressReporter {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

/**
 * A progress bar with ETA on an interactive terminal (stderr, so stdout stays clean for data);
 * elsewhere (CI, pipes, cron) a plain line every 10% so logs stay readable.
 */
export function createProgressReporter(
  title: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${title} [{bar}] {percentage}% | {value}/{total} {label} | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, label = "") {
        if (!started) {
          bar.start(total, done, { label });
          started = true;
        } else bar.update(done, { label });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastDecile = -1;
  return {
    update(done, total, label = "") {
      const decile = Math.floor((done / Math.max(total, 1)) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${title}: ${done}/${total} ${label}\n`);
      }
    },
    stop() {},
  };
}

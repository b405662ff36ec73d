import {
  closeSync,
  createWriteStream,
  existsSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname, resolve } from "node:path";
import type { Writable } from "node:stream";
import { CliError } from "./cli-error.js";

export interface OutputFile {
  stream: Writable;
  /** Waits for the last byte, then gives the file its name: a reader never sees half a file. */
  commit(): Promise<void>;
  /** Removes what was written (the command failed). */
  abort(): void;
}

/**
 * A file the CLI writes (`--output`): checked before anything is computed, so that a missing
 * folder or a read-only place is a clear error (exit 2), not a crash halfway; written under a
 * temporary name and renamed when complete.
 */
export function openOutputFile(path: string, option = "--output"): OutputFile {
  const target = resolve(path);
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new CliError(`${option}: the folder ${folder} does not exist`, 2);
  if (existsSync(target) && statSync(target).isDirectory())
    throw new CliError(`${option}: ${target} is a folder, not a file`, 2);
  const partial = `${target}.partial-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(partial, "w");
  } catch (error) {
    throw new CliError(`${option}: cannot write in ${folder} (${(error as Error).message})`, 2);
  }
  const stream = createWriteStream("", { fd });
  let failure: Error | null = null;
  stream.on("error", (error) => {
    failure = error;
  });
  return {
    stream,
    async commit() {
      await new Promise<void>((done) => stream.end(done));
      if (failure) {
        rmSync(partial, { force: true });
        throw new CliError(
          `${option}: writing ${target} failed (${(failure as Error).message})`,
          1,
        );
      }
      renameSync(partial, target);
    },
    abort() {
      stream.destroy();
      try {
        closeSync(fd);
      } catch {
        // already closed by the stream
      }
      rmSync(partial, { force: true });
    },
  };
}

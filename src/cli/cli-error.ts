import { InvalidArgumentError } from "commander";
import { dayFromIso } from "../domain/calendar/days.js";

/** A user-facing failure: the message is shown as is and the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** An export's `--format`: csv or json, else exit 2 naming the option. */
export function requireCsvOrJson(format: string | undefined): "csv" | "json" {
  if (format !== "csv" && format !== "json")
    throw new CliError(`--format: expected csv or json, got "${format}"`, 2);
  return format;
}

export function parseIsoDateOption(value: string): string {
  try {
    dayFromIso(value);
  } catch {
    throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

export function parsePositiveIntegerOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  }
  return n;
}

export function parseNonNegativeIntegerOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${value}"`);
  }
  return n;
}

export function parsePositiveNumberOption(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  }
  return n;
}

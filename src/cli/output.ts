/** The one place the CLI writes results to stdout: JSON for scripts, aligned text for people. */
export function printJson(data: unknown): void {
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}

export function printLines(lines: readonly string[]): void {
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function formatTable(
  rows: ReadonlyArray<Record<string, unknown>>,
  columns?: readonly string[],
): string[] {
  if (rows.length === 0) return ["(none)"];
  const keys = columns ?? Object.keys(rows[0] ?? {});
  const cells = rows.map((row) => keys.map((k) => formatCell(row[k])));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (isNumeric(v) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(keys), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
}

export function printTable(
  rows: ReadonlyArray<Record<string, unknown>>,
  columns?: readonly string[],
): void {
  printLines(formatTable(rows, columns));
}

/**
 * An object for people: one "key: value" line per field, numbers as in the tables (two decimals,
 * not 3093.4299999999994), nested objects indented under their key, lists of rows as tables.
 */
export function formatObject(value: unknown, indent = ""): string[] {
  if (value === null || value === undefined) return [`${indent}(none)`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}(none)`];
    if (value.every((v) => typeof v === "object" && v !== null && !Array.isArray(v)))
      return formatTable(value as Record<string, unknown>[]).map((line) => indent + line);
    return [indent + value.map(formatCell).join(", ")];
  }
  if (typeof value !== "object") return [indent + formatCell(value)];
  return Object.entries(value).flatMap(([key, field]) =>
    typeof field === "object" && field !== null
      ? [`${indent}${key}:`, ...formatObject(field, `${indent}  `)]
      : [`${indent}${key}: ${formatCell(field)}`],
  );
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
  // An object in a table's cell (a range: its low and high) on one line, its fields named.
  if (Array.isArray(value)) return value.map(formatCell).join(", ");
  if (typeof value === "object")
    return Object.entries(value)
      .map(([key, field]) => `${key} ${formatCell(field)}`)
      .join(", ");
  return String(value);
}

function isNumeric(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(text);
}

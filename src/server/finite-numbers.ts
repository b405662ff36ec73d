/**
 * JSON has no Infinity, but JSON.parse("1e400") gives one, and Ajv's type coercion turns the
 * strings "1e400" and "Infinity" into one too, past `minimum`/`maximum`. A non-finite number
 * stored by one request poisoned every later batch; so every number a route receives is checked
 * after validation, whatever its schema says. Returns the path of the first non-finite number.
 */
export function findNonFiniteNumber(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path;
  if (value === null || typeof value !== "object" || depth > 20) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = findNonFiniteNumber(item, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

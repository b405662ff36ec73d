/** A message with its `{name}` placeholders replaced by the values given. */
export function fillMessage(text: string, params?: Record<string, string | number>): string {
  return Object.entries(params ?? {}).reduce(
    (filled, [key, value]) => filled.replaceAll(`{${key}}`, String(value)),
    text,
  );
}

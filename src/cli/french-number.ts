/** A number as the CLI's French lines write it: decimal comma, at most `digits` decimals. */
export function frenchNumber(value: number, digits = 2): string {
  const scale = 10 ** digits;
  return (Math.round(value * scale) / scale).toLocaleString("fr-FR", {
    maximumFractionDigits: digits,
    useGrouping: false,
  });
}

/**
 * Where two metric responses differ: numbers with a relative tolerance of 1e-6 (SPEC fixtures),
 * everything else exactly. Keys present only in `actual` are not compared.
 */
export function metricDifferences(expected: unknown, actual: unknown, path = ""): string[] {
  if (typeof expected === "number" && typeof actual === "number") {
    return Math.abs(expected - actual) <= 1e-6 * Math.max(1, Math.abs(expected))
      ? []
      : [`${path}: want ${expected}, got ${actual}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return [`${path}: want ${expected.length} entries, got ${JSON.stringify(actual)?.slice(0, 80)}`];
    return expected.flatMap((e, i) => metricDifferences(e, actual[i], `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object")
      return [`${path}: want an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) =>
      metricDifferences(v, (actual as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return expected === actual
    ? []
    : [`${path}: want ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

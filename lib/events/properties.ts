import { personalDataShape } from "./personal-data";
import { quoted, unstorableText } from "./text";

/** SPEC section 3: `properties` is an object of at most 4 KB serialized (UTF-8 bytes), 8 levels deep, 64 keys. */
export const MAX_PROPERTIES_BYTES = 4096;
export const MAX_PROPERTIES_DEPTH = 8;
/** Keys are counted at every level, so a wide object cannot hide inside a narrow one. */
export const MAX_PROPERTIES_KEYS = 64;
// Every value takes at least two bytes serialized (a digit and a comma): more than this cannot fit in 4 KB.
const MAX_VALUES = MAX_PROPERTIES_BYTES / 2;

/**
 * What is wrong with an event's `properties`, as errors naming the path (empty when nothing is).
 * Walks without recursion and stops at the first limit, so a value nested 10,000 deep or with
 * 100,000 keys costs no more than a legal one.
 */
export function propertiesProblems(properties: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: properties, path: "properties", depth: 1 },
  ];
  let keys = 0;
  let values = 0;
  // Characters of the keys and strings so far: each is at least one byte serialized, so past the byte
  // limit the size error below is the answer and no more text is read for personal data.
  let textLength = 0;
  const fits = (s: string) => (textLength += s.length) <= MAX_PROPERTIES_BYTES;
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (++values > MAX_VALUES)
      return [`properties: expected at most ${MAX_PROPERTIES_BYTES} bytes when serialized (UTF-8)`];
    if (typeof value === "string") {
      if (!fits(value)) continue;
      const problem = unstorableText(value) ?? personalDataShape(value);
      if (problem)
        problems.push(
          `${path}: ${problem}${problem.startsWith("looks") ? " (properties hold facts, not personal data)" : ""}`,
        );
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth > MAX_PROPERTIES_DEPTH)
      return [`properties: expected at most ${MAX_PROPERTIES_DEPTH} levels of nesting`];
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: `${path}.${i}`, depth: depth + 1 }));
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (++keys > MAX_PROPERTIES_KEYS)
        return [`properties: expected at most ${MAX_PROPERTIES_KEYS} keys (counted at every level)`];
      const keyPath = `${path}.${quoted(key)}`;
      const problem = fits(key) ? (unstorableText(key) ?? personalDataShape(key)) : null;
      if (problem) problems.push(`${keyPath}: the key ${problem}`);
      stack.push({ value: v, path: keyPath, depth: depth + 1 });
    }
  }
  if (problems.length && textLength <= MAX_PROPERTIES_BYTES) return problems;
  const bytes = new TextEncoder().encode(JSON.stringify(properties)).length;
  if (bytes > MAX_PROPERTIES_BYTES)
    return [
      `properties: expected at most ${MAX_PROPERTIES_BYTES} bytes when serialized (UTF-8), got ${bytes}`,
    ];
  return [];
}

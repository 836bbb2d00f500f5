/**
 * Text that PostgreSQL cannot store: a NUL character (text and jsonb refuse U+0000) or a lone
 * UTF-16 surrogate (not a character; jsonb refuses its `\ud800` escape). Either rejects the one
 * event that carries it, with a reason, instead of failing the batch's insert.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unstorableText(s: string): string | null {
  if (s.includes("\u0000")) return "contains a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(s)) return "contains a lone surrogate (such as \\ud800), which is not a character";
  return null;
}

/** Sender-chosen text (a key, an id) quoted in an error message: escaped like JSON and cut to `max` characters. */
export function quoted(s: string, max = 64): string {
  const escaped = JSON.stringify(s.length > max ? s.slice(0, max) : s).slice(1, -1);
  return s.length > max ? `${escaped}…` : escaped;
}

/** Values listed in a message: enough to spot a typo, not a page of them. */
const LISTED_VALUES = 12;

/** A list short enough for a sentence: the first dozen values, then how many more. */
export const someOf = (values: readonly string[]): string =>
  values.length > LISTED_VALUES
    ? `${values.slice(0, LISTED_VALUES).join(", ")} and ${values.length - LISTED_VALUES} more`
    : values.join(", ");

/**
 * The first text in a parsed JSON value (a key or a string, at any depth) that cannot be stored, as
 * `path: problem` naming its field (`audience.channel`, `tags.2`); null when all of it can. Walks
 * without recursion, so a deeply nested body costs no stack.
 */
export function unstorableField(value: unknown): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: "" }];
  const at = (path: string, key: string) => (path ? `${path}.${quoted(key)}` : quoted(key));
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      const problem = unstorableText(value);
      if (problem) return `${path || "body"}: ${problem}`;
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: at(path, String(i)) }));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, v] of Object.entries(value)) {
        const problem = unstorableText(key);
        if (problem) return `${at(path, key)}: the field name ${problem}`;
        stack.push({ value: v, path: at(path, key) });
      }
    }
  }
  return null;
}

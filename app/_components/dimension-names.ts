/**
 * Channels, regions and journey steps as people say them: `call_center` → "Call center", `US-CA` → "United States · CA",
 * `DE` → "Germany" (in the reader's language). The key itself stays in URLs, CSVs and the API.
 */
export type Dimension = "channel" | "region" | "context";

const regionNames = new Map<string, Intl.DisplayNames>();

function countryName(locale: string, code: string): string | undefined {
  let names = regionNames.get(locale);
  if (!names)
    regionNames.set(
      locale,
      (names = new Intl.DisplayNames([locale, "en"], { type: "region", fallback: "none" })),
    );
  try {
    return names.of(code) ?? undefined;
  } catch {
    return undefined;
  }
}

/** `call_center`, `call-center` → "Call center". */
export function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}

export function dimensionName(locale: string, dimension: Dimension, key: string): string {
  if (dimension !== "region") return humanize(key);
  const match = /^([A-Z]{2})(?:-([A-Z0-9]{1,3}))?$/.exec(key);
  const country = match?.[1] ? countryName(locale, match[1]) : undefined;
  if (!match || !country) return key;
  return match[2] ? `${country} · ${match[2]}` : country;
}

// Hostile inputs shared by the probe suite (test/security/input-*.test.ts).
import { TC_PURPOSES_3_TO_9 } from "../signals/published-strings";

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const bits = (value: number, width: number) => value.toString(2).padStart(width, "0");

/**
 * A TC string whose vendor-consent section is range-encoded with every entry spanning vendors
 * 1-65535: short, but the IAB decoder expands each range, so decoding takes seconds (1,200
 * characters: about 2.4 s on this machine). The core segment's first 213 bits (version through
 * publisher country) come from a published string.
 */
export function rangeBombTcString(chars: number): string {
  const published = [...TC_PURPOSES_3_TO_9.split(".")[0]!].map((c) => bits(BASE64URL.indexOf(c), 6)).join("");
  let s = bits(2, 6) + published.slice(6, 213) + bits(65535, 16) + "1" + bits(4095, 12);
  while (s.length < chars * 6) s += "1" + bits(1, 16) + bits(65535, 16);
  let out = "";
  for (let i = 0; i < chars * 6; i += 6) out += BASE64URL[parseInt(s.slice(i, i + 6), 2)];
  return out;
}

/** The probe of issue 13: a 16,384-character TC string (a published one, padded). */
export const TC_STRING_16K = (TC_PURPOSES_3_TO_9 + "A".repeat(16_384)).slice(0, 16_384);

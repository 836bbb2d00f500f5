/**
 * "Facts, not data" (SPEC section 1): a subject id or a `properties` string that is shaped like an
 * e-mail address or a phone number is refused. The checks read the text as a person would: after
 * Unicode NFKC normalisation (so a fullwidth `＠` is an `@`) and trimming, and anywhere in it.
 *
 * E-mail: `local@domain.tld` anywhere (`"Alice <alice@example.com>"`), or a `mailto:` link.
 * Phone: a `tel:` or `sms:` link; `+` followed by 8-15 digits (E.164, with phone punctuation
 * between); or text made only of digits and phone punctuation (space ( ) . - /) holding 8 or more
 * digits — which also refuses bare 16-19-digit card numbers and 18-digit national numbers.
 * A calendar date (`2026-03-01`) is not a phone number. Ids that only contain digits, such as
 * `cus_12345678` or `user_123456789012345678`, pass: a prefix says what the number is.
 * Every pattern runs in time linear in the text; callers still refuse text over its length limit first.
 */
// Bounded by the longest real address (a 64-character local part, a 255-character domain): with an
// unbounded `+` each start of a long `aaa…@aaa…` run rescans the whole run, quadratic in its length.
const EMAIL_ANYWHERE = /[^\s@<>()[\]",;:]{1,64}@[^\s@<>()[\]",;:]{1,255}\.[^\s@<>()[\]",;:.]{2}/;
const MAILTO = /mailto:/i;
const PHONE_LINK = /(?:tel|sms|callto):/i;
// Tried only from a `+`, which it does not repeat: each try scans one run of digits and punctuation.
const E164_ANYWHERE = /\+[\s().\-/]*\d(?:[\s().\-/]*\d){7,14}(?!\d)/;
const DIGITS_AND_PUNCTUATION = /^\+?[0-9 ().\-/]+$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The text as the checks read it: NFKC-normalised and trimmed. */
export function normaliseForChecks(s: string): string {
  return s.normalize("NFKC").trim();
}

export function looksLikeEmail(s: string): boolean {
  const t = normaliseForChecks(s);
  return MAILTO.test(t) || EMAIL_ANYWHERE.test(t);
}

export function looksLikePhone(s: string): boolean {
  const t = normaliseForChecks(s);
  if (PHONE_LINK.test(t) || E164_ANYWHERE.test(t)) return true;
  if (!DIGITS_AND_PUNCTUATION.test(t) || CALENDAR_DATE.test(t)) return false;
  return t.replace(/\D/g, "").length >= 8;
}

/** What personal data the text looks like, as the end of an error message; null when it looks like none. */
export function personalDataShape(s: string): string | null {
  if (looksLikeEmail(s)) return "looks like an e-mail address";
  if (looksLikePhone(s)) return "looks like a phone number";
  return null;
}

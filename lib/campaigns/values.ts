/** Timestamps and counts as postgres.js and PGlite return them (Date or string; number, string or bigint). */
export const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
export const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
export const num = (v: unknown): number => Number(v ?? 0);

/**
 * A screen's prefetched read that failed on the server (a 503 over the read budget, a 400), sent to the browser as
 * an answer that says so. A rejected prefetch would reach the browser as React's redacted production error
 * ("Minified React error #441") instead of its message; the query hooks turn this answer back into the error
 * (`ApiError` with the status and message the API would have given), and a card's Retry drops it and asks the API.
 */
export interface Unavailable {
  tl_unavailable: { status: number; message: string };
}

export const unavailable = (status: number, message: string): Unavailable => ({
  tl_unavailable: { status, message },
});

export const isUnavailable = (value: unknown): value is Unavailable =>
  typeof (value as Unavailable | null)?.tl_unavailable?.message === "string";

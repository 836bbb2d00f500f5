/** Progress lines for long steps: how far, and how long is left at the rate so far. */

export function duration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}

/** "40%, about 45 s left" from the share done and the time it took; nothing to say before 1% is done. */
export function eta(done: number, total: number, elapsedMs: number): string {
  if (total <= 0) return "";
  const share = Math.min(1, done / total);
  const percent = `${Math.floor(share * 100)}%`;
  if (share < 0.01 || share >= 1) return percent;
  return `${percent}, about ${duration((elapsedMs / share) * (1 - share))} left`;
}

/** Reports at most every `everyMs`, plus the first and the last call. */
export function throttled(
  report: (done: number, total: number) => void,
  everyMs = 5000,
): (done: number, total: number) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (done, total) => {
    const now = Date.now();
    if (done >= total || now - last >= everyMs) {
      last = now;
      report(done, total);
    }
  };
}

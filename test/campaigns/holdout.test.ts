import { describe, expect, test } from "vitest";
import { holdoutBucket, isHeldOut } from "@/lib/campaigns";

const subjects = Array.from({ length: 5000 }, (_, i) => `cus_${i + 1}`);

describe("holdout", () => {
  test("the same campaign and subject always land in the same bucket", () => {
    expect(holdoutBucket("cmp_a", "cus_1")).toBe(holdoutBucket("cmp_a", "cus_1"));
    expect(subjects.filter((s) => isHeldOut("cmp_a", s, 10))).toEqual(
      subjects.filter((s) => isHeldOut("cmp_a", s, 10)),
    );
  });

  test("the bucket is SHA-256 of campaign id + subject, its first 48 bits scaled to [0, 100)", () => {
    // sha256("cmp_acus_1") starts with these 12 hex digits (checked with `printf cmp_acus_1 | sha256sum`).
    const hex = "7e1405a4f3a4";
    expect(holdoutBucket("cmp_a", "cus_1")).toBeCloseTo((Number.parseInt(hex, 16) / 2 ** 48) * 100, 10);
  });

  test.each([10, 25])("%i%% of 5,000 subjects are held out, within 2 points", (percent) => {
    const held = subjects.filter((s) => isHeldOut("cmp_share", s, percent)).length;
    expect(Math.abs((held / subjects.length) * 100 - percent)).toBeLessThanOrEqual(2);
  });

  test("another campaign holds out other people", () => {
    const a = new Set(subjects.filter((s) => isHeldOut("cmp_a", s, 10)));
    const b = subjects.filter((s) => isHeldOut("cmp_b", s, 10));
    const overlap = b.filter((s) => a.has(s)).length;
    expect(overlap / b.length).toBeLessThan(0.2);
  });

  test("0% holds out nobody and the bucket is below the percentage exactly when held out", () => {
    expect(subjects.some((s) => isHeldOut("cmp_a", s, 0))).toBe(false);
    for (const s of subjects.slice(0, 500))
      expect(isHeldOut("cmp_a", s, 30)).toBe(holdoutBucket("cmp_a", s) < 30);
  });
});

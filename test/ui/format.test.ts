import { expect, test } from "vitest";
import { bucketOf, formatTick } from "@/app/_components/chart-format";
import { toCsv } from "@/lib/csv";
import { formatMoney, formatPeriod, formatPoints, formatRate } from "@/app/_components/format";
import { overallRate } from "@/lib/metrics/overall-rates";

const en = { locale: "en-US", currency: "EUR" };
const de = { locale: "de-DE", currency: "EUR" };

test.each([
  [en, 0.52189, "52.2%"],
  [de, 0.52189, "52,2\u00a0%"],
  [en, null, "—"],
])(
  "a rate reads as a percentage in the reader's locale, and no denominator as a dash (%o, %s)",
  (f, rate, shown) => {
    expect(formatRate(f, rate)).toBe(shown);
  },
);

test("money is in the workspace currency, trust score in signed points", () => {
  expect(formatMoney(en, 71473.22)).toBe("€71,473.22");
  expect(formatMoney(de, 5)).toBe("5,00\u00a0€");
  expect(formatPoints(en, -5.2, true)).toBe("-5.2");
  expect(formatPoints(en, 0.9, true)).toBe("+0.9");
});

test("a bucket is labelled by its calendar start, in UTC", () => {
  expect(formatPeriod(en, "2026-10-01", "month")).toBe("Oct 2026");
  expect(formatPeriod(en, "2026-08-03", "week")).toBe("Week of Aug 3, 2026");
  // On an axis a month keeps its year whole: "Oct 26" is also how a day (the 26th of October) is labelled.
  expect(formatPeriod(en, "2026-10-01", "month", true)).toBe("Oct 2026");
  expect(formatPeriod(en, "2026-10-26", "day", true)).toBe("Oct 26");
  expect(bucketOf("2026-07-04T23:30:00Z", "week")).toBe("2026-06-29");
  expect(bucketOf("2026-07-04T23:30:00Z", "month")).toBe("2026-07-01");
});

test("CSV quotes what needs quoting and leaves nulls empty", () => {
  expect(toCsv(["reason", "events", "rate"], [['subject: bad, "x"', 4, null]])).toBe(
    'reason,events,rate\r\n"subject: bad, ""x""",4,\r\n',
  );
});

test("an overall rate over no denominator is null, not zero", () => {
  expect(overallRate(0, 0)).toEqual({ numerator: 0, denominator: 0, value: null });
  expect(overallRate(1, 4).value).toBe(0.25);
});

test("a rate axis writes its ticks as they are: 0.25% steps of a zoomed axis are not rounded to 0.3%", () => {
  expect([0, 0.0025, 0.005, 0.0075, 0.01].map((v) => formatTick(en, "rate", v))).toEqual([
    "0%",
    "0.25%",
    "0.5%",
    "0.75%",
    "1%",
  ]);
  expect(formatTick(en, "rate", 0.6)).toBe("60%");
});

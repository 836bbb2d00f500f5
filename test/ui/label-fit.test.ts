import { expect, test } from "vitest";
import { breakable, fittingFont } from "@/app/_components/label-fit";

test("a label that fits its slot keeps its words and shrinks no further than it must", () => {
  expect(breakable("partner-research", 200)).toEqual({ text: "partner-research", longestWord: 16 });
  expect(fittingFont(200, 16)).toBe(12);
  expect(breakable("Order updates", 60)).toEqual({ text: "Order updates", longestWord: 7 });
});

test("a hyphenated key too long for a phone's slot even at 9 px breaks after its hyphens, not mid-word", () => {
  // 16 letters at 9 px need about 89 px.
  expect(breakable("partner-research", 70)).toEqual({ text: "partner-\nresearch", longestWord: 8 });
  expect(fittingFont(70, 8)).toBe(12);
  expect(breakable("a-b-c-d-e-f-ghijklmnop", 40).text).toBe("a-\nb-\nc-\nd-\ne-\nf-\nghijklmnop");
});

test("a long label without a hyphen is left whole, at the smallest type", () => {
  expect(breakable("Personalisation", 50)).toEqual({ text: "Personalisation", longestWord: 15 });
  expect(fittingFont(50, 15)).toBe(9);
});

test("the measured width of the page's font decides the size: a wide font gets smaller type, or a break", () => {
  // "Advertising" in a 72 px slot: 12 px would do at the average 0.62 em a letter, not in a font of 0.7 em.
  expect(fittingFont(72, 11)).toBeCloseTo(10.56, 2);
  expect(fittingFont(72, 11, 0.7)).toBeCloseTo(9.35, 2);
  expect(fittingFont(72, 11, 0.7) * 11 * 0.7).toBeCloseTo(72, 6);
  // "partner-research" fits 100 px at 9 px with 0.62 em a letter, not with 0.75: then it breaks after its hyphen.
  expect(breakable("partner-research", 100).text).toBe("partner-research");
  expect(breakable("partner-research", 100, 0.75).text).toBe("partner-\nresearch");
});

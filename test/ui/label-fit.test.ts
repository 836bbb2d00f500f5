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

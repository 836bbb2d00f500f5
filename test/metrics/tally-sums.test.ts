import { expect, test } from "vitest";
import type { TallyRow } from "@/lib/metrics/state/contributions";
import { NEG_INF, POS_INF } from "@/lib/metrics/state/intervals";
import { TallySums } from "@/lib/metrics/state/store";

const row = (x: number, y: number, z = 0, n = 1, key = "news"): TallyRow => ({
  grain: "day",
  measure: "used",
  key,
  dim: "",
  x,
  y,
  z,
  n,
});

test("rows with the same key are summed, and rows that sum to 0 are left out", () => {
  const sums = new TallySums();
  sums.add([row(20000, 19990), row(20000, 19990, 0, 2), row(20001, 19990)], 1);
  sums.add([row(20001, 19990)], -1);
  expect([...sums.changed()]).toEqual([row(20000, 19990, 0, 3)]);
});

test("x, y and z are told apart at every 32-bit value, the open ends and 16-bit boundaries included", () => {
  const values = [NEG_INF, -65536, -65535, -1, 0, 1, 65535, 65536, 131071, POS_INF];
  const rows: TallyRow[] = [];
  for (const x of values)
    for (const y of values) for (const z of [0, 1, 65536, POS_INF]) rows.push(row(x, y, z));
  const sums = new TallySums();
  sums.add(rows, 1);
  sums.add(rows, 1);
  const changed = [...sums.changed()];
  expect(changed).toHaveLength(rows.length);
  expect(changed.every((r) => r.n === 2)).toBe(true);
  expect(new Set(changed.map((r) => `${r.x},${r.y},${r.z}`)).size).toBe(rows.length);
});

test("the string parts of the key keep rows apart", () => {
  const sums = new TallySums();
  sums.add(
    [
      row(1, 1, 0, 1, "news"),
      row(1, 1, 0, 1, "ads"),
      { ...row(1, 1), grain: "month" },
      { ...row(1, 1), measure: "used_valued" },
      { ...row(1, 1), dim: "c:web" },
    ],
    1,
  );
  expect([...sums.changed()]).toHaveLength(5);
});

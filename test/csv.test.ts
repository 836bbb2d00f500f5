import { parse } from "csv-parse/sync";
import { expect, test } from "vitest";
import { toCsv } from "@/lib/csv";

test("cells with commas, quotes, line breaks and edge spaces are quoted and read back unchanged", () => {
  const rows = [["a,b", 'say "hi"', "two\nlines", " padded "]];
  const csv = toCsv(["w", "x", "y", "z"], rows);
  expect(csv).toBe('w,x,y,z\r\n"a,b","say ""hi""","two\nlines"," padded "\r\n');
  expect(parse(csv, { columns: true })).toEqual([{ w: "a,b", x: 'say "hi"', y: "two\nlines", z: " padded " }]);
});

test("empty cells, numbers and booleans read as a reader expects", () => {
  expect(toCsv(["n", "ok", "none", "gone"], [[2.5, true, null, undefined], [0, false, "", "x"]])).toBe("n,ok,none,gone\r\n2.5,true,,\r\n0,false,,x\r\n");
});

test("formula-like cells are neutralised only when asked, and the line ending is the caller's", () => {
  const rows = [["=SUM(A1)", "+1", "-2", "@me", "plain"]];
  expect(toCsv(["a", "b", "c", "d", "e"], rows, { escapeFormulas: true, lineEnding: "\n" })).toBe("a,b,c,d,e\n'=SUM(A1),'+1,'-2,'@me,plain\n");
  expect(toCsv(["a", "b", "c", "d", "e"], rows)).toBe("a,b,c,d,e\r\n=SUM(A1),+1,-2,@me,plain\r\n");
});

import { parse } from "csv-parse/sync";
import { expect, test } from "vitest";
import { csvCell } from "@/app/_components/data-table";
import { toCsv } from "@/lib/csv";

test("cells with commas, quotes, line breaks and edge spaces are quoted and read back unchanged", () => {
  const rows = [["a,b", 'say "hi"', "two\nlines", " padded "]];
  const csv = toCsv(["w", "x", "y", "z"], rows);
  expect(csv).toBe('w,x,y,z\r\n"a,b","say ""hi""","two\nlines"," padded "\r\n');
  expect(parse(csv, { columns: true })).toEqual([
    { w: "a,b", x: 'say "hi"', y: "two\nlines", z: " padded " },
  ]);
});

test("empty cells, numbers and booleans read as a reader expects", () => {
  expect(
    toCsv(
      ["n", "ok", "none", "gone"],
      [
        [2.5, true, null, undefined],
        [0, false, "", "x"],
      ],
    ),
  ).toBe("n,ok,none,gone\r\n2.5,true,,\r\n0,false,,x\r\n");
});

test("formula-like text cells are always neutralised; numbers, negative ones too, are left alone; the line ending is the caller's", () => {
  const rows = [["=SUM(A1)", "+1", "-2+3", "@me", "\tx", "\rx", "＝1", "plain", -2, 0]];
  const header = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
  expect(toCsv(header, rows, { lineEnding: "\n" })).toBe(
    "a,b,c,d,e,f,g,h,i,j\n'=SUM(A1),'+1,'-2+3,'@me,\"'\tx\",\"'\rx\",'＝1,plain,-2,0\n",
  );
  expect(parse(toCsv(header, rows), { columns: true })[0]).toMatchObject({
    a: "'=SUM(A1)",
    h: "plain",
    i: "-2",
  });
});

test("a negative number written as the screen rounds it (points, money, a percentage) is not mistaken for a formula", () => {
  const rows = [[csvCell(-0.7, "points"), csvCell(-12.5, "money"), csvCell(-0.015, "rate"), "-0.7x", "-"]];
  expect(toCsv(["points", "money", "rate", "text", "dash"], rows, { lineEnding: "\n" })).toBe(
    "points,money,rate,text,dash\n-0.7,-12.50,-1.5%,'-0.7x,'-\n",
  );
});

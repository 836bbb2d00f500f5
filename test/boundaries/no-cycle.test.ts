import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, onTestFinished, test } from "vitest";

const root = path.resolve(__dirname, "../..");
const eslint = new ESLint({ cwd: root });
const cycleErrors = async (files: string[]) =>
  (await eslint.lintFiles(files)).flatMap((r) =>
    r.messages.filter((m) => m.ruleId === "import/no-cycle").map(() => path.relative(root, r.filePath)),
  );

// `npm run lint` (part of `npm test`) checks the whole project with the same rule.
describe("import boundaries", () => {
  test("the lint run fails on two lib modules that import each other", async () => {
    // Two modules that import each other, written inside the project so its ESLint config applies.
    const dir = fs.mkdtempSync(path.join(root, "lib", ".cycle-check-"));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = () => b + 1;\n');
    fs.writeFileSync(
      path.join(dir, "b.ts"),
      'import { a } from "./a";\nexport const b = 1;\nexport const c = a;\n',
    );
    const errors = await cycleErrors([path.join(dir, "a.ts"), path.join(dir, "b.ts")]);
    expect(errors.sort()).toEqual([
      path.relative(root, path.join(dir, "a.ts")),
      path.relative(root, path.join(dir, "b.ts")),
    ]);
  });
});

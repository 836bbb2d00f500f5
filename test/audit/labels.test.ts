import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { ACTION_LABELS, actionLabel } from "@/lib/audit/labels";

/** Every action code written anywhere in lib/ (string literals of the families the audit log has). */
function actionCodes(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith(".ts") && !file.endsWith("labels.ts"))
        for (const m of fs
          .readFileSync(file, "utf8")
          .matchAll(/"((?:auth|user|key|settings|campaign|subject|suppression|snapshot)\.[a-z_]+)"/g))
          found.add(m[1]!);
    }
  };
  walk(path.join(process.cwd(), "lib"));
  // campaign.approve / campaign.reject are written as `campaign.${verdict}`.
  return [...found, "campaign.approve", "campaign.reject"].sort();
}

test("every audit action the code writes has a label in words for the audit screen", () => {
  const codes = actionCodes();
  expect(codes.length).toBeGreaterThan(25);
  expect(codes.filter((c) => !ACTION_LABELS[c])).toEqual([]);
});

test("an action without a label is shown in words, never as its code", () => {
  expect(actionLabel("auth.sign_in")).toBe("Signed in");
  expect(actionLabel("export.some_thing")).toBe("Export some thing");
});

import { expect, test } from "vitest";
import { applyWorkspaceConfig, exportWorkspaceConfig } from "@/lib/workspaces";
import { fixtureJson } from "../helpers/fixtures";
import { freshWorkspace } from "../helpers/db";

test("config export can be applied again unchanged, and every applied entry is declared", async () => {
  const ws = await freshWorkspace(fixtureJson("basic", "workspace.json"));
  const exported = await exportWorkspaceConfig(ws.db, ws.id);
  expect(exported.purposes).toHaveLength(5);
  expect(exported.fields.find((f) => f.key === "location")).toMatchObject({
    dormancy_days: 30,
    purposes: ["ads", "analytics"],
    status: "declared",
  });
  const other = await freshWorkspace();
  await applyWorkspaceConfig(other.db, other.id, exported);
  expect(await exportWorkspaceConfig(other.db, other.id)).toEqual(exported);
});

test.each([
  [
    "a field linked to an unknown purpose",
    { fields: [{ key: "email", name: "E-mail", purposes: ["nope"] }] },
    "config: fields.email.purposes: unknown purpose nope",
  ],
  [
    "a negative dormancy window",
    { fields: [{ key: "email", name: "E-mail", dormancy_days: -1 }] },
    "config: fields.0.dormancy_days",
  ],
  [
    "an unknown legal basis",
    { purposes: [{ key: "ads", name: "Ads", legal_basis: "because" }] },
    "config: purposes.0.legal_basis",
  ],
])("%s is refused and nothing is stored", async (_name, config, message) => {
  const ws = await freshWorkspace();
  await expect(applyWorkspaceConfig(ws.db, ws.id, config)).rejects.toThrow(message);
  const exported = await exportWorkspaceConfig(ws.db, ws.id);
  expect(exported.purposes).toEqual([]);
  expect(exported.fields).toEqual([]);
});

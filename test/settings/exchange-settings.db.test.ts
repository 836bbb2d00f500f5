import { beforeAll, expect, test } from "vitest";
import { DEFAULT_TRUST_WEIGHTS, effectiveWeights } from "@/lib/settings/weights";
import { applyWorkspaceConfig, exportWorkspaceConfig } from "@/lib/workspaces";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await freshWorkspace();
}, 300_000);

test("the configuration file sets the data requests' due days and the control sources; export prints them", async () => {
  expect(await exportWorkspaceConfig(ws.db, ws.id)).toMatchObject({
    dsar_due_days: 30,
    control_sources: ["preference_center"],
  });
  await applyWorkspaceConfig(ws.db, ws.id, {
    dsar_due_days: 45,
    control_sources: ["preference_center", "account_settings"],
  });
  expect(await exportWorkspaceConfig(ws.db, ws.id)).toMatchObject({
    dsar_due_days: 45,
    control_sources: ["preference_center", "account_settings"],
  });
  // A file without them leaves them as they are.
  await applyWorkspaceConfig(ws.db, ws.id, { purposes: [{ key: "ads", name: "Ads" }] });
  expect(await exportWorkspaceConfig(ws.db, ws.id)).toMatchObject({ dsar_due_days: 45 });
  await expect(applyWorkspaceConfig(ws.db, ws.id, { dsar_due_days: 0 })).rejects.toThrow(
    /^config: dsar_due_days: expected at least 1 day/,
  );
  expect((await exportWorkspaceConfig(ws.db, ws.id)).dsar_due_days).toBe(45);
});

test("the Trust Index's default weights are the SPEC's; saved weights without accountability use its default", () => {
  expect(DEFAULT_TRUST_WEIGHTS).toEqual({
    consent: 0.2,
    retention: 0.15,
    reciprocity: 0.2,
    minimisation: 0.15,
    transparency: 0.1,
    accountability: 0.1,
    survey: 0.1,
  });
  expect(
    effectiveWeights({
      consent: 1,
      retention: 1,
      reciprocity: 1,
      minimisation: 1,
      transparency: 1,
      survey: 1,
    }),
  ).toEqual({
    consent: 1,
    retention: 1,
    reciprocity: 1,
    minimisation: 1,
    transparency: 1,
    accountability: 0.1,
    survey: 1,
  });
});

import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { rows } from "@/db/client";
import { defaultSignalMapping } from "@/lib/signals/mapping";
import { loadSignalMapping, saveSignalMapping } from "@/lib/signals/settings";
import { applyWorkspaceConfig, exportWorkspaceConfig, getWorkspaceById } from "@/lib/workspaces";
import { freshWorkspace } from "../helpers/db";
import { addMember, operator } from "../helpers/auth";

test("a workspace without a mapping exports the defaults", async () => {
  const ws = await freshWorkspace();
  expect((await exportWorkspaceConfig(ws.db, ws.id)).signal_mapping).toEqual(defaultSignalMapping);
});

test("the config file round-trips signal_mapping: the parts given are stored as written, the export fills in the rest", async () => {
  const ws = await freshWorkspace({
    signal_mapping: { gpc: ["partner-sharing"], tcf: { special_features: { "1": ["geo-offers"] } } },
  });
  expect((await getWorkspaceById(ws.db, ws.id)).signalMapping).toEqual({
    gpc: ["partner-sharing"],
    tcf: { special_features: { "1": ["geo-offers"] } },
  });
  const exported = (await exportWorkspaceConfig(ws.db, ws.id)).signal_mapping;
  expect(exported).toEqual({
    ...defaultSignalMapping,
    gpc: ["partner-sharing"],
    tcf: { purposes: defaultSignalMapping.tcf.purposes, special_features: { "1": ["geo-offers"], "2": [] } },
  });
  const copy = await freshWorkspace();
  await applyWorkspaceConfig(copy.db, copy.id, { signal_mapping: exported });
  expect((await exportWorkspaceConfig(copy.db, copy.id)).signal_mapping).toEqual(exported);
  await applyWorkspaceConfig(copy.db, copy.id, { signal_mapping: null });
  expect(await loadSignalMapping(copy.db, copy.id)).toEqual(defaultSignalMapping);
});

test.each([
  [{ signal_mapping: { tcf: { purposes: { "12": ["ads"] } } } }, /^config: signal_mapping\.tcf\.purposes: /],
  [{ signal_mapping: { gpc: ["Ads"] } }, /^config: signal_mapping\.gpc\.0: expected a purpose key/],
  [{ signal_mapping: ["ads"] }, /^config: signal_mapping: expected an object/],
])(
  "an invalid signal_mapping in the config file is refused and names the place (%#)",
  async (config, message) => {
    const ws = await freshWorkspace();
    await expect(applyWorkspaceConfig(ws.db, ws.id, config)).rejects.toThrow(message);
    expect((await getWorkspaceById(ws.db, ws.id)).signalMapping).toBeNull();
  },
);

test("saving from Settings stores only what differs from the defaults and writes the audit log", async () => {
  const ws = await freshWorkspace();
  const { actor } = await addMember(ws, "admin");
  await saveSignalMapping(ws.db, actor, { ...defaultSignalMapping, segment: { Marketing: ["ads"] } });
  expect((await getWorkspaceById(ws.db, ws.id)).signalMapping).toEqual({ segment: { Marketing: ["ads"] } });
  const [entry] = await rows<{ actor: string; action: string; details: { to: unknown } }>(
    ws.db,
    sql`SELECT actor, action, details FROM audit_log WHERE workspace_id = ${ws.id}`,
  );
  expect(entry).toMatchObject({
    actor: actor.label,
    action: "settings.signal_mapping_save",
    details: { to: { segment: { Marketing: ["ads"] } } },
  });
  await saveSignalMapping(ws.db, operator(ws), defaultSignalMapping);
  expect((await getWorkspaceById(ws.db, ws.id)).signalMapping).toBeNull();
});

test("saving an invalid mapping lists every problem by place; a role without settings:write is refused", async () => {
  const ws = await freshWorkspace();
  const { actor } = await addMember(ws, "admin");
  const error = await saveSignalMapping(ws.db, actor, { gpc: ["Ads"], gpp: { sell: [] } }).catch(
    (e: unknown) => e,
  );
  expect(error).toMatchObject({
    code: "bad_request",
    details: {
      issues: [
        { path: "gpp", message: expect.stringContaining("sell") },
        { path: "gpc.0", message: expect.stringContaining("purpose key") },
      ],
    },
  });
  const { actor: marketer } = await addMember(ws, "marketer");
  await expect(saveSignalMapping(ws.db, marketer, defaultSignalMapping)).rejects.toMatchObject({
    code: "forbidden",
  });
});

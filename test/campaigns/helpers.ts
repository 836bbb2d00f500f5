import { sql } from "drizzle-orm";
import { rows } from "@/db/client";
import type { Actor } from "@/lib/auth/member";
import { approveCampaign, createCampaign, submitCampaign } from "@/lib/campaigns";
import { ingestEvents } from "@/lib/ingest";
import { addMember, type TestMember } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { fixtureJson } from "../helpers/fixtures";

export const DAY = 86_400_000;
/** Every test instant is counted from here; far enough back that 90-day results have elapsed. */
export const T0 = Date.parse("2026-01-01T00:00:00Z");
export const at = (days: number, hours = 0) => new Date(T0 + days * DAY + hours * 3_600_000).toISOString();

export interface CampaignTeam {
  ws: TestWorkspace;
  privacy: TestMember;
  privacy2: TestMember;
  admin: TestMember;
  marketer: TestMember;
  executive: TestMember;
}

/** A workspace with the shared fixture's catalog (birthday: 180-day dormancy) and one member per role. */
export async function campaignTeam(): Promise<CampaignTeam> {
  const ws = await freshWorkspace(fixtureJson("basic", "workspace.json"));
  const [privacy, privacy2, admin, marketer, executive] = await Promise.all(
    (["privacy", "privacy", "admin", "marketer", "executive"] as const).map((role) => addMember(ws, role)),
  );
  return {
    ws,
    privacy: privacy!,
    privacy2: privacy2!,
    admin: admin!,
    marketer: marketer!,
    executive: executive!,
  };
}

let nextId = 0;
export type EventInput = Record<string, unknown> & { type: string; occurred_at: string };

export async function send(ws: TestWorkspace, events: EventInput[]): Promise<void> {
  const withIds = events.map((e) => ({ id: `t-${++nextId}`, ...e }));
  for (let i = 0; i < withIds.length; i += 5000) {
    const summary = await ingestEvents(ws.db, ws.id, withIds.slice(i, i + 5000), "import");
    if (summary.rejected.length)
      throw new Error(`fixture events rejected: ${JSON.stringify(summary.rejected.slice(0, 3))}`);
  }
}

/** `n` customers `cus_<prefix><i>` whose birthday was collected on day 0: dormant from day 180 on. */
export function birthdays(n: number, prefix = "", day = 0): EventInput[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "data.collected",
    subject: `cus_${prefix}${i}`,
    field: "birthday",
    occurred_at: at(day, 1),
  }));
}

export const draft = (extra: Record<string, unknown> = {}) => ({
  name: "Birthday give-back",
  field: "birthday",
  action: "delete",
  ...extra,
});

/** Created by `by`, submitted by `by`, approved by `approver`: ready to launch. */
export async function approvedCampaign(
  ws: TestWorkspace,
  by: Actor,
  approver: Actor,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { id } = await createCampaign(ws.db, by, draft(extra));
  await submitCampaign(ws.db, by, id);
  await approveCampaign(ws.db, approver, id, { comment: "ok" });
  return id;
}

export async function auditActions(ws: TestWorkspace, target: string): Promise<string[]> {
  const found = await rows<{ action: string }>(
    ws.db,
    sql`SELECT action FROM audit_log WHERE workspace_id = ${ws.id} AND target = ${target} ORDER BY id`,
  );
  return found.map((r) => r.action);
}

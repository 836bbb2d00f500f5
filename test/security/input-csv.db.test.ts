import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, test } from "vitest";
import { GET as handoffGET } from "@/app/api/v1/campaigns/[id]/handoff/route";
import { auditCsv, recordAction } from "@/lib/audit";
import { launchCampaign } from "@/lib/campaigns";
import { params, request, routesUseTestDatabase } from "../helpers/auth";
import { approvedCampaign, at, campaignTeam, send, type CampaignTeam } from "../campaigns/helpers";

// Cells a spreadsheet would run as formulas: = + - @, a tab or a carriage return first.
const FORMULA_SUBJECTS = Array.from({ length: 10 }, (_, i) => [
  `=cus_${i}`,
  `+cus_${i}`,
  `-cus_${i}`,
  `@cus_${i}`,
  `=HYPERLINK("x${i}")`,
]).flat();
const PLAIN_SUBJECTS = Array.from({ length: 10 }, (_, i) => `cus_plain_${i}`);

let team: CampaignTeam;
let id: string;

beforeAll(async () => {
  await routesUseTestDatabase();
  team = await campaignTeam();
  await send(
    team.ws,
    [...FORMULA_SUBJECTS, ...PLAIN_SUBJECTS].map((subject) => ({
      type: "data.collected",
      subject,
      field: "birthday",
      occurred_at: at(0, 1),
    })),
  );
  id = await approvedCampaign(team.ws, team.privacy.actor, team.privacy2.actor, {
    message: "=1+1 We deleted your {field}.",
  });
  await launchCampaign(team.ws.db, team.privacy.actor, id);
});

async function handoff(format?: string): Promise<Response> {
  return handoffGET(
    request(`/api/v1/campaigns/${id}/handoff${format ? `?format=${format}` : ""}`, {
      cookie: team.privacy.cookie,
    }),
    params({ id }),
  );
}

describe("every CSV the product writes neutralises formula-like cells", () => {
  test("the hand-off CSV prefixes formula-like subjects and messages with ', and the JSON hand-off carries the exact ids", async () => {
    const json = (await (await handoff("json")).json()) as {
      subjects: string[];
      count: number;
      message: string;
    };
    const contacted = json.subjects;
    expect(contacted.length).toBe(json.count);
    expect(contacted.length).toBeGreaterThan(30);
    // Exact, byte for byte: every contacted subject is one that was sent, formula-like ones included.
    expect(contacted.every((s) => FORMULA_SUBJECTS.includes(s) || PLAIN_SUBJECTS.includes(s))).toBe(true);
    expect(contacted.filter((s) => /^[=+\-@]/.test(s)).length).toBeGreaterThan(20);
    expect(json.message).toBe("=1+1 We deleted your birthday.");

    const res = await handoff();
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csvRows = parse(await res.text(), { columns: true }) as Array<{ subject: string; message: string }>;
    expect(csvRows.map((r) => r.subject)).toEqual(contacted.map((s) => (/^[=+\-@]/.test(s) ? `'${s}` : s)));
    expect(new Set(csvRows.map((r) => r.message))).toEqual(new Set(["'=1+1 We deleted your birthday."]));
  });

  test("?format=json is named in the file name; an unknown format is a 400 naming the parameter", async () => {
    expect((await handoff("json")).headers.get("content-disposition")).toContain(`${id}-handoff.json`);
    const bad = await handoff("xlsx");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^format: expected csv or json/);
  });

  test("the audit log export neutralises an actor or target that starts like a formula", async () => {
    await recordAction(
      team.ws.db,
      { ...team.admin.actor, label: "=cmd|' /C calc'!A0" },
      "probe.formula",
      "@target",
    );
    const rows = parse(await auditCsv(team.ws.db, team.admin.actor, {}), { columns: true }) as Array<{
      actor: string;
      action: string;
      target: string;
    }>;
    expect(rows.find((r) => r.action === "probe.formula")).toMatchObject({
      actor: "'=cmd|' /C calc'!A0",
      target: "'@target",
    });
  });
});

import "server-only";
import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { rows, type Db } from "@/db/client";
import { auditLog, campaigns, users } from "@/db/schema";
import { ingestStream, NOW } from "@/lib/ingest/entry";
import { DEFAULT_END } from "@/lib/seed/generate";
import {
  between,
  chance,
  deriveSeed,
  mulberry32,
  weighted,
  type Random,
  type Weighted,
} from "@/lib/seed/random";
import { AppError } from "@/lib/errors";
import { freezeAudience } from "./launch";
import { DEFAULT_TEMPLATES } from "./message";

export const DEMO_CAMPAIGN_ID = "cmp_demo_birthday";
const DAY = 86_400_000;
const SEED = 2026;
const SUBMITTER = "privacy@demo.trustledger.test";
const APPROVER = "privacy2@demo.trustledger.test";

/** Contacted customers trust a little more, say yes a little more and leave a little less than the holdout. */
const OUTCOMES = {
  contacted: {
    churn: 0.03,
    optIn: 0.38,
    scores: [
      [10, 18],
      [9, 22],
      [8, 20],
      [7, 15],
      [6, 10],
      [5, 8],
      [4, 4],
      [3, 3],
    ] as Weighted<number>,
  },
  holdout: {
    churn: 0.15,
    optIn: 0.24,
    scores: [
      [10, 10],
      [9, 14],
      [8, 18],
      [7, 16],
      [6, 14],
      [5, 12],
      [4, 9],
      [3, 7],
    ] as Weighted<number>,
  },
};

const iso = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString();

function rngFor(subject: string): Random {
  return mulberry32(
    deriveSeed(SEED, Number.parseInt(createHash("sha256").update(subject).digest("hex").slice(0, 8), 16)),
  );
}

/** What happened to one audience member in the 90 days after launch: the deletion if contacted, and the outcomes. */
function storyOf(
  subject: string,
  holdout: boolean,
  launch: number,
  churnedAt: number | undefined,
): Record<string, unknown>[] {
  const rng = rngFor(subject);
  const o = holdout ? OUTCOMES.holdout : OUTCOMES.contacted;
  const id = (kind: string) => `${DEMO_CAMPAIGN_ID}.${kind}.${subject}`;
  const events: Record<string, unknown>[] = [];
  if (!holdout) {
    const at = launch + between(rng, 0.5, 21) * DAY;
    events.push({
      id: id("deleted"),
      type: "data.deleted",
      subject,
      field: "birthday",
      source: "campaign",
      campaign: DEMO_CAMPAIGN_ID,
      occurred_at: iso(at),
    });
  }
  let leaves = churnedAt;
  if (leaves === undefined && chance(rng, o.churn)) {
    leaves = launch + between(rng, 5, 88) * DAY;
    events.push({ id: id("churned"), type: "customer.churned", subject, occurred_at: iso(leaves) });
  }
  const alive = (t: number) => leaves === undefined || t < leaves;
  const ratedAt = launch + between(rng, 10, 85) * DAY;
  if (chance(rng, 0.45) && alive(ratedAt))
    events.push({
      id: id("rated"),
      type: "trust.rated",
      subject,
      score: weighted(rng, o.scores),
      occurred_at: iso(ratedAt),
    });
  const askedAt = launch + between(rng, 7, 80) * DAY;
  if (chance(rng, 0.35) && alive(askedAt)) {
    const type = chance(rng, o.optIn) ? "consent.granted" : "consent.denied";
    events.push({
      id: id("asked"),
      type,
      subject,
      purpose: "data-sharing",
      source: "preference_center",
      context: "preference_center",
      occurred_at: iso(askedAt),
    });
  }
  return events;
}

/**
 * The demo's completed campaign: birthdays (collected from almost everyone, used for nothing) deleted, launched
 * 120 days before the demo data ends, with a 10% holdout, confirmations and 90 days of outcomes. Deterministic;
 * does nothing when it exists already or when the demo holds no dormant birthdays at the launch instant.
 */
export async function loadDemoCampaign(
  db: Db,
  workspaceId: number,
): Promise<{ id: string; recipients: number; events: number } | null> {
  const [existing] = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, DEMO_CAMPAIGN_ID)));
  if (existing) return null;
  const launch = DEFAULT_END.getTime() - 120 * DAY + 9.5 * 3_600_000;
  const people = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, [SUBMITTER, APPROVER]));
  const userId = (email: string) => people.find((p) => p.email === email)?.id ?? null;
  const history: [string, string, number, Record<string, unknown> | null][] = [
    ["campaign.create", SUBMITTER, -6, { field: "birthday", action: "delete", holdout_percent: 10 }],
    ["campaign.submit", SUBMITTER, -5, null],
    [
      "campaign.approve",
      APPROVER,
      -3,
      { comment: "We use birthdays for nothing. Deleting them is the honest thing to do." },
    ],
    ["campaign.launch", SUBMITTER, 0, null],
  ];
  try {
    await db.transaction(async (tx) => {
      const [c] = await tx
        .insert(campaigns)
        .values({
          workspaceId,
          id: DEMO_CAMPAIGN_ID,
          name: "Give back unused birthdays",
          field: "birthday",
          action: "delete",
          holdoutPercent: 10,
          message: DEFAULT_TEMPLATES.delete,
          status: "launched",
          createdBy: SUBMITTER,
          createdAt: new Date(launch - 6 * DAY),
          updatedAt: new Date(launch),
          submittedBy: SUBMITTER,
          submittedByUserId: userId(SUBMITTER),
          submittedAt: new Date(launch - 5 * DAY),
          reviewedBy: APPROVER,
          reviewedAt: new Date(launch - 3 * DAY),
          reviewComment: history[2]![3]!.comment as string,
          launchedBy: SUBMITTER,
          launchedAt: new Date(launch),
        })
        .returning();
      await freezeAudience(tx, c!, new Date(launch));
      await tx.insert(auditLog).values(
        history.map(([action, actor, days, details]) => ({
          workspaceId,
          actor,
          action,
          target: DEMO_CAMPAIGN_ID,
          details,
          at: new Date(launch + days * DAY),
        })),
      );
    });
  } catch (e) {
    if (e instanceof AppError && e.code === "conflict") return null;
    throw e;
  }
  const audience = await rows<{ subject: string; holdout: boolean; churned_at: unknown }>(
    db,
    sql`SELECT r.subject, r.holdout,
          (SELECT min(e.occurred_at) FROM events e WHERE e.workspace_id = ${workspaceId} AND e.subject = r.subject AND e.type = 'customer.churned') AS churned_at
        FROM campaign_recipients r WHERE r.workspace_id = ${workspaceId} AND r.campaign_id = ${DEMO_CAMPAIGN_ID}
        ORDER BY r.subject COLLATE "C"`,
  );
  const events = audience.flatMap((r) =>
    storyOf(
      r.subject,
      r.holdout,
      launch,
      r.churned_at ? new Date(r.churned_at as string | Date).getTime() : undefined,
    ),
  );
  const records = (async function* () {
    yield* events;
  })();
  await ingestStream(db, workspaceId, records, "campaign", { maxListed: 0 }, NOW);
  return { id: DEMO_CAMPAIGN_ID, recipients: audience.length, events: events.length };
}

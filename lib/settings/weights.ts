import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { workspaces } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction } from "@/lib/audit";
import { parseInput } from "@/lib/parse";
import { getWorkspaceById } from "@/lib/workspaces";

/** The Trust Index components of SPEC section 4 with their default weights. */
export const DEFAULT_TRUST_WEIGHTS = {
  consent: 0.2,
  retention: 0.15,
  reciprocity: 0.2,
  minimisation: 0.15,
  transparency: 0.1,
  accountability: 0.1,
  survey: 0.1,
} as const;
export type TrustComponent = keyof typeof DEFAULT_TRUST_WEIGHTS;
export type TrustWeights = Record<TrustComponent, number>;
export const TRUST_COMPONENTS = Object.keys(DEFAULT_TRUST_WEIGHTS) as TrustComponent[];

const Weight = z.coerce.number().finite().min(0, "a weight must be 0 or more").max(100);

export const TrustWeightsInput = z
  .object(
    Object.fromEntries(TRUST_COMPONENTS.map((c) => [c, Weight])) as Record<TrustComponent, typeof Weight>,
  )
  .strict()
  .refine((w) => Object.values(w).some((v) => v > 0), "at least one weight must be above 0");

/** A workspace's saved weights over the defaults (stored weights for unknown components are ignored). */
export function effectiveWeights(stored: Record<string, number> | null | undefined): TrustWeights {
  const out: TrustWeights = { ...DEFAULT_TRUST_WEIGHTS };
  for (const c of TRUST_COMPONENTS) {
    const v = stored?.[c];
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) out[c] = v;
  }
  return out;
}

export async function getTrustWeights(db: Db, actor: Actor): Promise<TrustWeights> {
  authorize(actor, "settings:read");
  return effectiveWeights((await getWorkspaceById(db, actor.workspaceId)).trustWeights);
}

/** Saves all six weights (each ≥ 0; the index renormalises them, so they need not sum to 1). */
export async function saveTrustWeights(db: Db, actor: Actor, input: unknown): Promise<TrustWeights> {
  authorize(actor, "settings:write");
  const weights = parseInput(TrustWeightsInput, input) as TrustWeights;
  const before = effectiveWeights((await getWorkspaceById(db, actor.workspaceId)).trustWeights);
  await db.update(workspaces).set({ trustWeights: weights }).where(eq(workspaces.id, actor.workspaceId));
  await recordAction(db, actor, "settings.weights_save", "trust_index", { from: before, to: weights });
  return weights;
}

import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { workspaces } from "@/db/schema";
import { authorize, type Actor } from "@/lib/auth/member";
import { recordAction } from "@/lib/audit";
import { badRequest } from "@/lib/errors";
import { getWorkspaceById } from "@/lib/workspaces";
import { SignalMapping } from "./mapping";
import { compactSignalMapping, effectiveSignalMapping } from "./workspace-mapping";

/** The workspace's mapping merged over the defaults. */
export async function loadSignalMapping(db: Db, workspaceId: number): Promise<SignalMapping> {
  return effectiveSignalMapping((await getWorkspaceById(db, workspaceId)).signalMapping);
}

export interface MappingIssue {
  path: string;
  message: string;
}

/**
 * Saves a workspace's mapping from the Settings screen. Only the parts that differ from the defaults are stored.
 * An invalid mapping is a 400 whose details list every issue (`details.issues`), for the form to show by field.
 */
export async function saveSignalMapping(db: Db, actor: Actor, input: unknown): Promise<SignalMapping> {
  authorize(actor, "settings:write");
  const parsed = SignalMapping.safeParse(input);
  if (!parsed.success) {
    const issues: MappingIssue[] = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
    }));
    throw badRequest(`signal_mapping: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, {
      issues,
    });
  }
  const stored = compactSignalMapping(parsed.data);
  const before = compactSignalMapping(await loadSignalMapping(db, actor.workspaceId));
  await db.update(workspaces).set({ signalMapping: stored }).where(eq(workspaces.id, actor.workspaceId));
  await recordAction(db, actor, "settings.signal_mapping_save", "signal_mapping", {
    from: before,
    to: stored,
  });
  return parsed.data;
}

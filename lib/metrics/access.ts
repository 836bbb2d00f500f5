import type { Db } from "@/db/client";
import { authorize } from "@/lib/auth/member";
import { getApiMember } from "@/lib/auth/session";
import { authenticateKey } from "@/lib/keys";

/** Who reads metrics, resolved to one workspace: a signed-in user or an API key. */
export interface MetricsReader {
  workspaceId: number;
  userId?: number | null;
  keyId?: number | null;
}

/**
 * The workspace a metrics request may read: an API key with the `read` scope when the request sends one,
 * else the signed-in member's current workspace (403 without `metrics:read`).
 */
export async function resolveReader(db: Db, req: Request): Promise<MetricsReader> {
  const authorization = req.headers.get("authorization");
  if (!authorization) {
    const member = await getApiMember(req, db);
    if (member) {
      authorize(member, "metrics:read");
      return { workspaceId: member.workspaceId, userId: member.userId };
    }
  }
  const key = await authenticateKey(db, authorization, "read");
  return { workspaceId: key.workspaceId, keyId: key.keyId };
}

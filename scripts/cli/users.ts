import type { Db } from "@/db/client";
import { cliActor } from "@/lib/auth/member";
import { isRole, ROLES } from "@/lib/auth/permissions";
import { inviteMember } from "@/lib/users";
import { requireWorkspace } from "@/lib/workspaces";
import { printJson, requireOption, UsageError } from "./context";

/** `tl user create`: prints {"id", "email", "password"}; the password is shown this once (null for an existing account). */
export async function userCreateCommand(db: Db, values: Record<string, string | boolean | undefined>): Promise<void> {
  const email = requireOption(values, "email");
  const role = requireOption(values, "role");
  if (!isRole(role)) throw new UsageError(`--role: expected ${ROLES.join(", ")}, got '${role}'`);
  const ws = await requireWorkspace(db, requireOption(values, "workspace"));
  const created = await inviteMember(db, cliActor(ws.id), { email, role, name: typeof values.name === "string" ? values.name : undefined });
  printJson({ id: created.id, email: created.email, password: created.password });
}

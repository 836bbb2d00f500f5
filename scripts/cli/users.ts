import type { Db } from "@/db/client";
import { resetPassword } from "@/lib/auth/account";
import { cliActor } from "@/lib/auth/member";
import { isRole, ROLES } from "@/lib/auth/permissions";
import { inviteMember } from "@/lib/users";
import { requireWorkspace } from "@/lib/workspaces";
import { printJson, requireOption, UsageError } from "./context";

/** The arguments of `tl user create`, checked without the database. */
export function checkUserCreateArgs(values: Record<string, string | boolean | undefined>) {
  const email = requireOption(values, "email");
  const role = requireOption(values, "role");
  if (!isRole(role)) throw new UsageError(`--role: expected ${ROLES.join(", ")}, got '${role}'`);
  requireOption(values, "workspace");
  return { email, role };
}

/**
 * `tl user create`: invites the e-mail into the workspace and prints the same JSON as the Users screen's API
 * ({"email", "role", "status", "one_time_password", "expires_at"}); the password is shown this once.
 */
export async function userCreateCommand(
  db: Db,
  values: Record<string, string | boolean | undefined>,
): Promise<void> {
  const { email, role } = checkUserCreateArgs(values);
  const ws = await requireWorkspace(db, requireOption(values, "workspace"));
  printJson(
    await inviteMember(db, cliActor(ws.id), {
      email,
      role,
      name: typeof values.name === "string" ? values.name : undefined,
    }),
  );
}

/** `tl user reset-password --email E`: a one-time password that must be replaced at the next sign-in; sessions end. */
export async function userResetPasswordCommand(
  db: Db,
  values: Record<string, string | boolean | undefined>,
): Promise<void> {
  printJson(await resetPassword(db, "cli", { email: requireOption(values, "email").trim().toLowerCase() }));
}

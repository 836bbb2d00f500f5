"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { actorOf } from "@/lib/auth/member";
import { clientIp } from "@/lib/auth/request";
import { requireMember } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getDb } from "@/lib/server/database";
import { defaultSignalMapping } from "@/lib/signals/mapping";
import {
  mappingFromForm,
  mappingToForm,
  rowOf,
  type FormIssue,
  type MappingForm,
} from "@/lib/signals/mapping-form";
import { saveSignalMapping } from "@/lib/signals/settings";

export interface MappingFormState {
  status: "idle" | "saved" | "invalid";
  /** Problems by form row (`form` for the whole form). */
  issues: Record<string, string[]>;
  values: MappingForm;
  /** Bumped on every answer, so that the form re-renders with `values`. */
  version: number;
}

export async function saveMappingAction(
  previous: MappingFormState,
  data: FormData,
): Promise<MappingFormState> {
  const member = await requireMember("settings:write");
  const form: MappingForm = {};
  for (const [name, value] of data)
    if (typeof value === "string" && !name.startsWith("$")) form[name] = value;
  const read =
    form.intent === "reset" ? { mapping: defaultSignalMapping, issues: [] } : mappingFromForm(form);
  const answer = (
    status: MappingFormState["status"],
    issues: FormIssue[],
    values: MappingForm,
  ): MappingFormState => ({
    status,
    issues: byRow(issues),
    values,
    version: previous.version + 1,
  });
  if (read.issues.length) return answer("invalid", read.issues, form);
  try {
    const saved = await saveSignalMapping(
      await getDb(),
      actorOf(member, clientIp(await headers())),
      read.mapping,
    );
    revalidatePath("/settings/signals");
    return answer("saved", [], mappingToForm(saved));
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== "bad_request") throw e;
    const issues = Array.isArray(e.details?.issues)
      ? (e.details.issues as FormIssue[])
      : [{ path: "form", message: e.message }];
    return answer("invalid", issues, form);
  }
}

function byRow(issues: readonly FormIssue[]): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const issue of issues) (rows[rowOf(issue.path)] ??= []).push(issue.message);
  return rows;
}

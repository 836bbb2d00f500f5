import { headers } from "next/headers";
import type { DehydratedState } from "@tanstack/react-query";
import { cache } from "react";
import type { Db } from "@/db/client";
import type { Permission } from "@/lib/auth/permissions";
import { requireMember, type Member } from "@/lib/auth/session";
import { dataEndDay } from "@/lib/event-stats";
import { catalog } from "@/lib/insights/workspace-names";
import { getDb } from "@/lib/server/database";
import type { Formats } from "./format";
import { prefetchedState } from "./prefetch";
import {
  addDays,
  defaultsFor,
  knownValues,
  resolveView,
  type KnownValues,
  type View,
  type ViewDefaults,
} from "./view";

export type SearchParams = Record<string, string | string[] | undefined>;

/** Periods end with the data (so a demo or a paused feed still shows its last 90 days), never after tomorrow. */
const viewDefaults = cache(async (workspaceId: number): Promise<ViewDefaults> => {
  const tomorrow = addDays(new Date().toISOString().slice(0, 10), 1);
  const end = await dataEndDay(await getDb(), workspaceId);
  return defaultsFor(end && end < tomorrow ? end : tomorrow);
});

const member = cache((permission?: Permission) => requireMember(permission));

/** Names of purposes and fields, for every screen: loaded once per request, before any screen's own queries start. */
const catalogOf = cache(async (workspaceId: number) => catalog(await getDb(), workspaceId));
const catalogState = cache(async (workspaceId: number): Promise<DehydratedState> =>
  prefetchedState([["catalog", {}, () => catalogOf(workspaceId)]]),
);

/** The first of the reader's Accept-Language tags that Intl supports, so numbers read the way they expect. */
export const readerLocale = cache(async (): Promise<string> => {
  const header = (await headers()).get("accept-language") ?? "";
  for (const part of header.split(",")) {
    const tag = part.split(";")[0]?.trim();
    if (!tag || tag === "*") continue;
    try {
      if (Intl.NumberFormat.supportedLocalesOf([tag]).length) return tag;
    } catch {
      // a malformed tag: try the next one
    }
  }
  return "en-US";
});

export interface ScreenContext {
  member: Member;
  db: Db;
  defaults: ViewDefaults;
  formats: Formats;
  catalog: DehydratedState;
}

/** What every dashboard page starts with: the signed-in member (403 without `permission`), the database, the defaults. */
export async function screenContext(permission?: Permission): Promise<ScreenContext> {
  const m = await member(permission);
  const [db, defaults, locale] = await Promise.all([getDb(), viewDefaults(m.workspaceId), readerLocale()]);
  return {
    member: m,
    db,
    defaults,
    formats: { locale, currency: m.currency },
    catalog: await catalogState(m.workspaceId),
  };
}

export async function screenView(
  permission: Permission,
  searchParams: Promise<SearchParams>,
): Promise<ScreenContext & { view: View; known: KnownValues }> {
  const [context, search] = await Promise.all([screenContext(permission), searchParams]);
  // An unknown purpose, region or channel is dropped here as on the client, so no query asks for it and the screen
  // says why.
  const known = knownValues(await catalogOf(context.member.workspaceId));
  return { ...context, view: resolveView(search, context.defaults, known), known };
}

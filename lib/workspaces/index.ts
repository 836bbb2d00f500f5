import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { fields, purposes, workspaces, type Workspace } from "@/db/schema";
import { badRequest, notFound } from "@/lib/errors";
import type { SignalMapping } from "@/lib/signals/mapping";
import { effectiveSignalMapping } from "@/lib/signals/workspace-mapping";
import { WorkspaceConfig } from "./config";

export { WorkspaceConfig } from "./config";

const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function createWorkspace(
  db: Db,
  input: { slug: string; name?: string; currency?: string },
): Promise<Workspace> {
  if (!SLUG_RE.test(input.slug))
    throw badRequest(
      `slug: expected lowercase letters, digits and '-' (1-63 characters), got '${input.slug}'`,
    );
  const currency = input.currency ?? "EUR";
  if (!/^[A-Z]{3}$/.test(currency))
    throw badRequest(`currency: expected an ISO 4217 code such as EUR, got '${currency}'`);
  const existing = await findWorkspace(db, input.slug);
  if (existing) throw badRequest(`workspace '${input.slug}' already exists`);
  const [created] = await db
    .insert(workspaces)
    .values({ slug: input.slug, name: input.name ?? input.slug, currency })
    .returning();
  if (!created) throw new Error("workspace insert returned nothing");
  return created;
}

export async function findWorkspace(db: Db, slug: string): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
  return row;
}

export async function requireWorkspace(db: Db, slug: string): Promise<Workspace> {
  const ws = await findWorkspace(db, slug);
  if (!ws)
    throw notFound(
      `workspace '${slug}' does not exist (create it with: npm run tl -- workspace create ${slug})`,
    );
  return ws;
}

export async function getWorkspaceById(db: Db, id: number): Promise<Workspace> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id)).limit(1);
  if (!row) throw notFound(`workspace ${id} does not exist`);
  return row;
}

/** Upserts purposes and fields from a configuration file; every entry applied this way is `declared`. */
export async function applyWorkspaceConfig(
  db: Db,
  workspaceId: number,
  input: unknown,
): Promise<{ purposes: number; fields: number }> {
  const parsed = WorkspaceConfig.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw badRequest(`config: ${first ? `${first.path.join(".")}: ${first.message}` : "invalid"}`);
  }
  const config = parsed.data;
  await db.transaction(async (tx) => {
    for (const p of config.purposes) {
      const values = {
        name: p.name,
        description: p.description ?? null,
        valuePromise: p.value_promise ?? null,
        legalBasis: p.legal_basis ?? null,
        status: "declared",
        updatedAt: new Date(),
      };
      await tx
        .insert(purposes)
        .values({ workspaceId, key: p.key, ...values })
        .onConflictDoUpdate({ target: [purposes.workspaceId, purposes.key], set: values });
    }
    const purposeKeys = new Set(
      (
        await tx.select({ key: purposes.key }).from(purposes).where(eq(purposes.workspaceId, workspaceId))
      ).map((r) => r.key),
    );
    for (const f of config.fields) {
      const unknown = f.purposes.filter((k) => !purposeKeys.has(k));
      if (unknown.length)
        throw badRequest(`config: fields.${f.key}.purposes: unknown purpose ${unknown.join(", ")}`);
      const values = {
        name: f.name,
        sensitivity: f.sensitivity,
        dormancyDays: f.dormancy_days,
        purposes: f.purposes,
        status: "declared",
        updatedAt: new Date(),
      };
      await tx
        .insert(fields)
        .values({ workspaceId, key: f.key, ...values })
        .onConflictDoUpdate({ target: [fields.workspaceId, fields.key], set: values });
    }
    if (config.signal_mapping !== undefined)
      await tx
        .update(workspaces)
        .set({ signalMapping: config.signal_mapping })
        .where(eq(workspaces.id, workspaceId));
    if (config.dsar_due_days !== undefined)
      await tx
        .update(workspaces)
        .set({ dsarDueDays: config.dsar_due_days })
        .where(eq(workspaces.id, workspaceId));
    if (config.control_sources !== undefined)
      await tx
        .update(workspaces)
        .set({ controlSources: [...new Set(config.control_sources)] })
        .where(eq(workspaces.id, workspaceId));
  });
  return { purposes: config.purposes.length, fields: config.fields.length };
}

export interface ExportedConfig {
  purposes: {
    key: string;
    name: string;
    description: string | null;
    value_promise: string | null;
    legal_basis: string | null;
    status: string;
  }[];
  fields: {
    key: string;
    name: string;
    sensitivity: string;
    dormancy_days: number;
    purposes: string[];
    status: string;
  }[];
  signal_mapping: SignalMapping;
  dsar_due_days: number;
  control_sources: string[];
}

export async function exportWorkspaceConfig(db: Db, workspaceId: number): Promise<ExportedConfig> {
  const ps = await db
    .select()
    .from(purposes)
    .where(eq(purposes.workspaceId, workspaceId))
    .orderBy(asc(purposes.key));
  const fs = await db
    .select()
    .from(fields)
    .where(eq(fields.workspaceId, workspaceId))
    .orderBy(asc(fields.key));
  const ws = await getWorkspaceById(db, workspaceId);
  return {
    purposes: ps.map((p) => ({
      key: p.key,
      name: p.name,
      description: p.description,
      value_promise: p.valuePromise,
      legal_basis: p.legalBasis,
      status: p.status,
    })),
    fields: fs.map((f) => ({
      key: f.key,
      name: f.name,
      sensitivity: f.sensitivity,
      dormancy_days: f.dormancyDays,
      purposes: f.purposes,
      status: f.status,
    })),
    signal_mapping: effectiveSignalMapping(ws.signalMapping),
    dsar_due_days: ws.dsarDueDays,
    control_sources: ws.controlSources,
  };
}

export async function listPurposeKeys(db: Db, workspaceId: number): Promise<string[]> {
  const ps = await db
    .select({ key: purposes.key })
    .from(purposes)
    .where(eq(purposes.workspaceId, workspaceId))
    .orderBy(asc(purposes.key));
  return ps.map((p) => p.key);
}

export async function purposeExists(db: Db, workspaceId: number, key: string): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`1` })
    .from(purposes)
    .where(and(eq(purposes.workspaceId, workspaceId), eq(purposes.key, key)))
    .limit(1);
  return !!row;
}

import "server-only";
import { sql } from "drizzle-orm";
import { rows, type Db } from "./client";

/**
 * Citus (distributed PostgreSQL): after the migrations, every table of the public schema is made a
 * reference table (a copy on every node) or distributed by `workspace_id`, co-located with `events`,
 * so that everything one workspace touches lives on one shard group. Without the `citus` extension
 * nothing happens. Idempotent: tables Citus already knows are left alone, so a later migration's new
 * tables are distributed by the next `migrate`.
 *
 * The rule: a table with a `workspace_id` column is per-workspace (distributed) unless it is named
 * here; the tables named here and every table without `workspace_id` are reference tables — small,
 * and looked up before the workspace is known (sign-in by e-mail, an API key by its prefix, an invitation by e-mail).
 */
export const REFERENCE_TABLES = ["workspaces", "users", "memberships", "api_keys", "invitations"] as const;
/** Every distributed table is co-located with this one. */
export const COLOCATION_ANCHOR = "events";

export interface TablePlacement {
  table: string;
  kind: "distributed" | "reference";
}

export async function hasCitus(db: Db): Promise<boolean> {
  const [found] = await rows<{ citus: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus`,
  );
  return Boolean(found?.citus);
}

/** Where each public table belongs on a Citus cluster (the anchor first, so the others can join its group). */
export async function plannedPlacements(db: Db): Promise<TablePlacement[]> {
  const tables = await rows<{ table: string; per_workspace: boolean }>(
    db,
    sql`SELECT c.relname AS "table",
               EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped) AS per_workspace
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY c.relname <> ${COLOCATION_ANCHOR}, c.relname`,
  );
  const reference = new Set<string>(REFERENCE_TABLES);
  return tables.map(({ table, per_workspace }) => ({
    table,
    kind: per_workspace && !reference.has(table) ? "distributed" : "reference",
  }));
}

/** Tables Citus already places, and how. */
async function placedTables(db: Db): Promise<Map<string, "distributed" | "reference">> {
  const placed = await rows<{ table: string; method: string }>(
    db,
    sql`SELECT logicalrelid::regclass::text AS "table", partmethod AS method FROM pg_dist_partition`,
  );
  return new Map(
    placed.map((p) => [
      p.table.replace(/^public\./, "").replace(/"/g, ""),
      p.method === "n" ? "reference" : "distributed",
    ]),
  );
}

/** Distributes the schema on a Citus coordinator (no-op elsewhere). Returns the tables it placed now. */
export async function distributeSchema(db: Db): Promise<TablePlacement[]> {
  if (!(await hasCitus(db))) return [];
  const placed = await placedTables(db);
  const done: TablePlacement[] = [];
  for (const p of await plannedPlacements(db)) {
    const already = placed.get(p.table);
    if (already === p.kind) continue;
    if (already)
      throw new Error(
        `Citus: table ${p.table} is a ${already} table but the schema wants it ${p.kind}; move it by hand (undistribute_table) first`,
      );
    if (p.kind === "reference") await db.execute(sql`SELECT create_reference_table(${p.table})`);
    else if (p.table === COLOCATION_ANCHOR)
      await db.execute(sql`SELECT create_distributed_table(${p.table}, 'workspace_id')`);
    else
      await db.execute(
        sql`SELECT create_distributed_table(${p.table}, 'workspace_id', colocate_with => ${COLOCATION_ANCHOR})`,
      );
    done.push(p);
  }
  return done;
}

import fs from "node:fs";
import type { ParseArgsConfig } from "node:util";
import {
  applyWorkspaceConfig,
  createWorkspace,
  exportWorkspaceConfig,
  requireWorkspace,
} from "@/lib/workspaces";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/keys";
import { openCli, printJson, requireOption, UsageError } from "./context";
import { benchIngest } from "./bench-ingest";
import { benchMetrics, benchMetricsOptions, benchMetricsSummary } from "./bench-metrics";
import { benchReads, benchReadsSummary } from "./bench-reads";
import { benchSuppression, benchSuppressionSummary } from "./bench-suppression";
import { consentRecordCommand } from "./consent-record";
import { checkImportFile, importFile } from "./import";
import { checkSignalsFile, importSignalsFile, isSignalFormat } from "./import-signals";
import { checkMetricsArgs, metricsCommand, metricsOptions, metricsSummary } from "./metrics";
import { seedCommand, seedEvents } from "./seed";
import { suppressionCommand, suppressionQueryOf, suppressionSummary } from "./suppression";
import { checkUserCreateArgs, userCreateCommand, userResetPasswordCommand } from "./users";

type Values = Record<string, string | boolean | undefined>;

export interface Command {
  summary: string;
  options?: ParseArgsConfig["options"];
  /**
   * Checks the arguments without the database; `tl` runs it before `run`, so a missing or malformed one fails at
   * once, with its own message, and the embedded database is neither created nor opened (nor waited for while the
   * server holds it).
   */
  check?(values: Values, positionals: string[]): void;
  run(values: Values, positionals: string[]): Promise<void>;
}

const needsWorkspace = (v: Values) => void requireOption(v, "workspace");
const scopesOf = (v: Values) =>
  ((v.scope as unknown as string[] | undefined) ?? []).flatMap((s) => s.split(",")).filter(Boolean);

const workspaceOption = { workspace: { type: "string" as const, short: "w" } };

async function withDb<T>(fn: (ctx: Awaited<ReturnType<typeof openCli>>) => Promise<T>): Promise<T> {
  const ctx = await openCli();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function readJsonFile(file: string | undefined): unknown {
  if (!file) throw new UsageError("a JSON file is required");
  if (!fs.existsSync(file)) throw new UsageError(`file not found: ${file}`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

export const commands: Record<string, Command> = {
  migrate: {
    summary: "apply the database migrations",
    run: () => withDb(async ({ database }) => printJson({ migrated: true, database: database.kind })),
  },
  "workspace create": {
    summary: "<slug> [--name N] [--currency EUR]",
    options: { name: { type: "string" }, currency: { type: "string" } },
    check: (_v, [slug]) => {
      if (!slug) throw new UsageError("workspace create needs a slug");
    },
    run: (v, [slug]) =>
      withDb(async ({ database }) => {
        const ws = await createWorkspace(database.db, {
          slug: slug as string,
          name: v.name as string | undefined,
          currency: v.currency as string | undefined,
        });
        printJson({ id: ws.id, slug: ws.slug, name: ws.name, currency: ws.currency });
      }),
  },
  "config apply": {
    summary: "--workspace <slug> <file.json>",
    options: workspaceOption,
    check: (v, [file]) => {
      needsWorkspace(v);
      readJsonFile(file);
    },
    run: (v, [file]) =>
      withDb(async ({ database }) => {
        const config = readJsonFile(file);
        const ws = await requireWorkspace(database.db, requireOption(v, "workspace"));
        printJson(await applyWorkspaceConfig(database.db, ws.id, config));
      }),
  },
  "config export": {
    summary: "--workspace <slug>",
    options: workspaceOption,
    check: needsWorkspace,
    run: (v) =>
      withDb(async ({ database }) => {
        const ws = await requireWorkspace(database.db, requireOption(v, "workspace"));
        printJson(await exportWorkspaceConfig(database.db, ws.id));
      }),
  },
  "key create": {
    summary: "--workspace <slug> --scope ingest|read|suppression [--scope …] [--name N]",
    options: { ...workspaceOption, scope: { type: "string", multiple: true }, name: { type: "string" } },
    check: (v) => {
      needsWorkspace(v);
      if (!scopesOf(v).length) throw new UsageError("--scope is required (ingest, read or suppression)");
    },
    run: (v) =>
      withDb(async ({ database }) => {
        const ws = await requireWorkspace(database.db, requireOption(v, "workspace"));
        printJson(await createApiKey(database.db, ws.id, scopesOf(v), v.name as string | undefined));
      }),
  },
  "key list": {
    summary: "--workspace <slug>",
    options: workspaceOption,
    check: needsWorkspace,
    run: (v) =>
      withDb(async ({ database }) => {
        const ws = await requireWorkspace(database.db, requireOption(v, "workspace"));
        printJson(await listApiKeys(database.db, ws.id));
      }),
  },
  "key revoke": {
    summary: "--workspace <slug> <id or prefix>",
    options: workspaceOption,
    check: (v, [key]) => {
      if (!key) throw new UsageError("key revoke needs the key's id or prefix");
      needsWorkspace(v);
    },
    run: (v, [key]) =>
      withDb(async ({ database }) => {
        const ws = await requireWorkspace(database.db, requireOption(v, "workspace"));
        await revokeApiKey(database.db, ws.id, key as string);
        printJson({ revoked: key });
      }),
  },
  "user create": {
    summary: "--workspace <slug> --email <e> --role admin|privacy|marketer|executive [--name N]",
    options: {
      ...workspaceOption,
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
    },
    check: checkUserCreateArgs,
    run: (v) => withDb(({ database }) => userCreateCommand(database.db, v)),
  },
  "user reset-password": {
    summary: "--email <e>   (prints a one-time password; the next sign-in must replace it)",
    options: { email: { type: "string" } },
    check: (v) => void requireOption(v, "email"),
    run: (v) => withDb(({ database }) => userResetPasswordCommand(database.db, v)),
  },
  import: {
    summary:
      "--workspace <slug> <file.ndjson|file.csv> [--format ndjson|csv|tcf|gpp|gpc|google_consent_mode|segment|signals]",
    options: { ...workspaceOption, format: { type: "string" }, quiet: { type: "boolean", short: "q" } },
    check: (v, [file]) => {
      if (!file) throw new UsageError("import needs a file");
      needsWorkspace(v);
      if (isSignalFormat(v.format)) checkSignalsFile(file, v.format as string);
      else checkImportFile(file, v.format as string | undefined);
    },
    run: (v, [file]) =>
      withDb(async ({ database }) => {
        const ws = await requireWorkspace(database.db, requireOption(v, "workspace"));
        const progress =
          v.quiet || !process.stderr.isTTY ? undefined : (line: string) => process.stderr.write(`\r${line}`);
        const summary = await (isSignalFormat(v.format) ? importSignalsFile : importFile)(
          database.db,
          ws.id,
          file as string,
          v.format as string | undefined,
          progress,
        );
        if (progress) process.stderr.write("\n");
        printJson(summary);
      }),
  },
  metrics: {
    summary: metricsSummary,
    options: metricsOptions,
    check: (v, names) => void checkMetricsArgs(v, names),
    run: (v, names) => withDb(({ database }) => metricsCommand(database.db, v, names[0] as string)),
  },
  suppression: {
    summary: suppressionSummary,
    options: {
      ...workspaceOption,
      purpose: { type: "string" },
      at: { type: "string" },
      format: { type: "string" },
      "changed-since": { type: "string" },
    },
    check: (v) => {
      needsWorkspace(v);
      suppressionQueryOf(v);
    },
    run: (v) => withDb(({ database }) => suppressionCommand(database.db, v)),
  },
  "export consent-record": {
    summary: "--workspace <slug> --subject <id>: the subject's consent record (ISO/IEC TS 27560 style)",
    options: { ...workspaceOption, subject: { type: "string" } },
    check: (v) => {
      requireOption(v, "subject");
      needsWorkspace(v);
    },
    run: (v) => withDb(({ database }) => consentRecordCommand(database.db, v)),
  },
  seed: {
    summary: "[--events N] [--workspace demo] [--if-empty]: load the deterministic demo company",
    options: { ...workspaceOption, events: { type: "string" }, "if-empty": { type: "boolean" } },
    check: (v) => void seedEvents(v),
    run: (v) => withDb(({ database }) => seedCommand(database.db, v)),
  },
  "bench metrics": {
    summary: benchMetricsSummary,
    options: benchMetricsOptions,
    run: (v) => benchMetrics(v),
  },
  "bench reads": {
    summary: benchReadsSummary,
    options: {
      events: { type: "string" },
      mode: { type: "string" },
      warm: { type: "boolean" },
      port: { type: "string" },
      "budget-ms": { type: "string" },
    },
    run: (v) => benchReads(v),
  },
  "bench suppression": {
    summary: benchSuppressionSummary,
    options: { subjects: { type: "string" } },
    run: (v) => benchSuppression(v),
  },
  "bench ingest": {
    summary:
      "[--events 200000] [--batch 1000] [--concurrency 4] [--warmup 20000]: HTTP ingest vs raw COPY (needs DATABASE_URL)",
    options: {
      events: { type: "string" },
      batch: { type: "string" },
      concurrency: { type: "string" },
      warmup: { type: "string" },
      port: { type: "string" },
    },
    run: (v) => benchIngest(v),
  },
};

import { errorFields, log } from "@/lib/log";
import { appDatabase, shutdownDatabase } from "./database";

let stopping = false;

/** Opens and migrates the database at start-up, so a bad DATABASE_URL or a held lock fails loudly at once. */
export async function startServer(): Promise<void> {
  try {
    const { database } = await appDatabase();
    log("info", "database ready", { kind: database.kind });
  } catch (e) {
    log("error", "database unavailable at start-up", errorFields(e));
  }
  // `next start` exits at once on SIGTERM unless NEXT_MANUAL_SIG_HANDLE is set (our start scripts set it).
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop(signal));
  }
}

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log("info", "shutting down: finishing in-flight batches", { signal });
  try {
    await shutdownDatabase();
    log("info", "shut down cleanly");
    process.exit(0);
  } catch (e) {
    log("error", "shutdown failed", errorFields(e));
    process.exit(1);
  }
}

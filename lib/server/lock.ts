import fs from "node:fs";
import path from "node:path";

export interface LockOwner {
  pid: number;
  role: "app" | "cli";
  url?: string;
  since: string;
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    const who =
      owner.role === "app"
        ? `the running app (pid ${owner.pid}${owner.url ? `, ${owner.url}` : ""})`
        : `another tl command (pid ${owner.pid})`;
    const hint =
      owner.role === "app"
        ? "Stop the app first, or send events through it (POST /api/v1/events, or the Events screen's upload)."
        : "Wait for it to finish.";
    super(`the embedded database in ${dir} is in use by ${who}. ${hint}`);
    this.name = "DatabaseInUseError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is a single-process database: two processes on one data directory corrupt it.
 * One process at a time holds this lock file; a lock left by a dead process is taken over.
 */
export function acquireLock(dir: string, owner: Omit<LockOwner, "pid" | "since">): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "trustledger.lock");
  const me: LockOwner = { pid: process.pid, since: new Date().toISOString(), ...owner };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          const current = JSON.parse(fs.readFileSync(file, "utf8")) as LockOwner;
          if (current.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let holder: LockOwner | undefined;
      try {
        holder = JSON.parse(fs.readFileSync(file, "utf8")) as LockOwner;
      } catch {
        holder = undefined;
      }
      if (holder && holder.pid !== process.pid && alive(holder.pid))
        throw new DatabaseInUseError(dir, holder);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

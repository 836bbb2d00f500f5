import { migrate, openPostgres } from "@/db/client";

/** Migrates (and on Citus distributes) the server at `url` once, before the workers start. */
export async function migrateServer(url: string | undefined): Promise<void> {
  if (!url) return;
  const database = await openPostgres(url, 1);
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
}

/** The PostgreSQL project's setup (TEST_DATABASE_URL). */
export default function setup(): Promise<void> {
  return migrateServer(process.env.TEST_DATABASE_URL);
}

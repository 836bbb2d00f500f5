import { migrate, openPostgres } from "@/db/client";

/** Migrates the real PostgreSQL server once, before the workers start. */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const database = await openPostgres(url, 1);
  try {
    await migrate(database);
  } finally {
    await database.close();
  }
}

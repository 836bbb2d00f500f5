import { migrateServer } from "./global-setup";

/** The Citus project's setup (TEST_CITUS_URL, a coordinator): migrates and distributes the schema. */
export default function setup(): Promise<void> {
  return migrateServer(process.env.TEST_CITUS_URL);
}

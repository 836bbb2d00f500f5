/** Runs once when the server starts: migrate the database, and stop cleanly on SIGTERM. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server/lifecycle");
  await startServer();
}

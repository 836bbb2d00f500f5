import fs from "node:fs";
import path from "node:path";

export const FIXTURES_DIR = path.join(process.cwd(), "test", "fixtures");

export function fixtureEvents(name: string): unknown[] {
  return fs
    .readFileSync(path.join(FIXTURES_DIR, name, "events.ndjson"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
}

export function fixtureJson<T = unknown>(name: string, file: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name, file), "utf8")) as T;
}

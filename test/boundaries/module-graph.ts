import fs from "node:fs";
import path from "node:path";

/** The project's modules and their value imports (not `import type`), read from the source text. */
export const root = path.resolve(__dirname, "../..");

const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;

export function valueImports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => m[1] as string);
}

/** A specifier resolved to a project file (`@/…` or relative), or null for a package. */
export function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith("@/")
    ? path.join(root, spec.slice(2))
    : spec.startsWith(".")
      ? path.resolve(path.dirname(from), spec)
      : null;
  if (!base) return null;
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, "index.ts"),
    path.join(base, "index.tsx"),
  ])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return null;
}

export function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts"))
    .map((f) => path.join(root, dir, f));
}

const directive = (file: string, name: string) =>
  new RegExp(`^\\s*["']${name}["']`).test(fs.readFileSync(file, "utf8"));
export const isClientComponent = (file: string) => directive(file, "use client");
/** A file of server actions: a client component calls them over the network, never loads the module. */
const isServerActions = (file: string) => directive(file, "use server");

/**
 * Every project module a client component loads through value imports (server action files end the walk), with one
 * path that reaches it.
 */
export function reachedFromClient(): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const queue = sourceFiles("app")
    .filter(isClientComponent)
    .map((f) => [f]);
  while (queue.length) {
    const chain = queue.shift() as string[];
    const file = chain[chain.length - 1] as string;
    if (reached.has(file)) continue;
    reached.set(file, chain);
    if (isServerActions(file)) continue;
    for (const spec of valueImports(file)) {
      const next = resolveLocal(file, spec);
      if (next && !reached.has(next)) queue.push([...chain, next]);
    }
  }
  return reached;
}

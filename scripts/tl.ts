import { parseArgs } from "node:util";
import { AppError } from "@/lib/errors";
import { DatabaseInUseError } from "@/lib/server/lock";
import { commands } from "./cli/commands";
import { UsageError } from "./cli/context";

const USAGE = `usage: npm run tl -- <command> [options]
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(26)} ${c.summary}`)
  .join("\n")}`;

async function main(argv: string[]): Promise<void> {
  const words = argv.filter((a) => !a.startsWith("-"));
  // Commands are one or two words ("migrate", "key create"): take the longest that exists.
  const two = words.slice(0, 2).join(" ");
  const name = commands[two] ? two : (words[0] ?? "");
  const command = commands[name];
  if (!command) throw new UsageError(name ? `unknown command '${name}'\n${USAGE}` : USAGE);
  const rest = [...argv];
  for (const w of name.split(" ")) rest.splice(rest.indexOf(w), 1);
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options ?? {},
    allowPositionals: true,
    strict: true,
  });
  const args = values as Record<string, string | boolean | undefined>;
  command.check?.(args, positionals);
  await command.run(args, positionals);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    const known =
      e instanceof UsageError ||
      e instanceof AppError ||
      e instanceof DatabaseInUseError ||
      (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    // drizzle wraps driver errors with the whole statement and its parameters: show the driver's reason.
    const cause = (e as { cause?: unknown }).cause;
    // A usage error keeps all its lines (the list of commands); other errors their first.
    const message =
      e instanceof UsageError
        ? e.message
        : cause instanceof Error
          ? cause.message
          : e instanceof Error
            ? (e.message.split("\n")[0] ?? "")
            : String(e);
    process.stderr.write(`tl: ${known ? message : `failed: ${message}`}\n`);
    if (!known && process.env.TL_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exit(known ? 2 : 1);
  },
);

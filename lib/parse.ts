import type { z } from "zod";
import { badRequest } from "@/lib/errors";

/** Parses input with a zod schema; a failure is a 400 naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw badRequest(`${first?.path.join(".") || "input"}: ${first?.message ?? "invalid"}`);
}

import { z } from "zod";

const Day = z.iso.date({ error: "expected a day, YYYY-MM-DD" });
const Filter = z.string().trim().min(1).max(32).optional();

/** The view a snapshot is taken of: the Overview's period and filters (a purpose does not apply to the Overview). */
export const SnapshotView = z
  .strictObject({ from: Day, to: Day, region: Filter, channel: Filter })
  .refine((v) => v.from < v.to, { error: "from must be before to", path: ["from"] });
export type SnapshotView = z.output<typeof SnapshotView>;

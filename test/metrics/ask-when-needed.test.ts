import { expect, test } from "vitest";
import { askWhenNeeded } from "@/lib/metrics/ask-when-needed";
import type { FirstUseResponse } from "@/lib/metrics/types";

const field = (name: string, by_context: FirstUseResponse["fields"][number]["by_context"]) => ({
  field: name,
  collected: 0,
  used_within_window: 0,
  never_used: 0,
  median_days_to_first_use: null,
  by_context,
});

test("the finding names the field and step whose collections most often went unused, ignoring small and well-used steps", () => {
  const response: FirstUseResponse = {
    metric: "first-use",
    from: "2026-01-01T00:00:00Z",
    to: "2026-07-01T00:00:00Z",
    at: "2026-07-01T00:00:00Z",
    fields: [
      field("birthday", {
        signup: { collected: 40, used_within_window: 8, never_used: 30 },
        checkout: { collected: 10, used_within_window: 9, never_used: 1 },
        survey: { collected: 4, used_within_window: 0, never_used: 4 },
      }),
      field("email", { signup: { collected: 50, used_within_window: 25, never_used: 20 } }),
    ],
  };
  expect(askWhenNeeded(response)).toEqual([
    { field: "birthday", context: "signup", collected: 40, unused: 32, share: 0.8 },
    { field: "email", context: "signup", collected: 50, unused: 25, share: 0.5 },
  ]);
});

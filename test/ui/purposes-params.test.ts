import { describe, expect, test } from "vitest";
import { purposesQueries } from "@/app/(dashboard)/purposes/purposes-params";
import { defaultsFor } from "@/app/_components/view";

const { from, to, granularity } = defaultsFor("2026-11-01");
const view = { from, to, granularity, channel: "web" };

describe("the Purposes screen's journey step (context)", () => {
  test("one that consent events were asked at is asked for, with the view", () => {
    const q = purposesQueries(view, { context: "checkout" }, ["banner", "checkout"]);
    expect(q.context).toBe("checkout");
    expect(q.contextProblem).toBeUndefined();
    expect(q.optIn).toMatchObject({ context: "checkout", channel: "web" });
  });

  test("one that none was asked at is dropped and said, the rest of the view kept", () => {
    const q = purposesQueries(view, { context: "nowhere", breakdown: "region" }, ["banner", "checkout"]);
    expect(q.context).toBeUndefined();
    expect(q.optIn.context).toBeUndefined();
    expect(q.optInBreakdown).toMatchObject({ breakdown: "region", channel: "web" });
    expect(q.contextProblem).toBe(
      "No consent event in this workspace was asked at the journey step “nowhere” (there are banner, checkout): showing every journey step.",
    );
  });

  test("without the catalog's list the context is taken as it is", () => {
    expect(purposesQueries(view, { context: "nowhere" }).context).toBe("nowhere");
  });
});

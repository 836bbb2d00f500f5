import { beforeAll, expect, test } from "vitest";
import { GET as insightRoute } from "@/app/api/v1/insights/[name]/route";
import { GET as metricRoute } from "@/app/api/v1/metrics/[metric]/route";
import { createApiKey } from "@/lib/keys";
import { METRIC_NAMES } from "@/lib/metrics";
import { addMember, params, request, routesUseTestDatabase } from "../helpers/auth";
import { freshWorkspace, type TestWorkspace } from "../helpers/db";
import { fixtureJson } from "../helpers/fixtures";

// Every read that takes `purpose` refuses a purpose the workspace does not have, naming it: an ignored filter
// would answer numbers the asker did not ask for.

let ws: TestWorkspace;
let readKey: string;
let cookie: string;
beforeAll(async () => {
  await routesUseTestDatabase();
  ws = await freshWorkspace(fixtureJson("basic", "workspace.json"));
  readKey = (await createApiKey(ws.db, ws.id, ["read"])).key;
  cookie = (await addMember(ws, "executive")).cookie;
});

const PERIOD = "from=2026-01-01&to=2026-02-01";

async function metric(name: string, purpose: string): Promise<[number, string | undefined]> {
  const res = await metricRoute(
    new Request(`http://localhost/api/v1/metrics/${name}?${PERIOD}&purpose=${purpose}`, {
      headers: { authorization: `Bearer ${readKey}` },
    }),
    params({ metric: name }),
  );
  return [res.status, ((await res.json()) as { message?: string }).message];
}

const UNKNOWN =
  "purpose: unknown purpose 'nope' (expected one of ads, analytics, data-sharing, order-updates, personalised-offers)";

test.each(METRIC_NAMES)(
  "the %s metric answers 400 naming an unknown purpose, 200 for a known one",
  async (name) => {
    expect(await metric(name, "nope")).toEqual([400, UNKNOWN]);
    expect((await metric(name, "ads"))[0]).toBe(200);
  },
);

test("the churn-after-withdrawal insight answers 400 naming an unknown purpose, 200 for a known one", async () => {
  const get = async (purpose: string) => {
    const res = await insightRoute(
      request(`/api/v1/insights/churn-after-withdrawal?${PERIOD}&purpose=${purpose}`, { cookie }),
      params({ name: "churn-after-withdrawal" }),
    );
    return [res.status, ((await res.json()) as { message?: string }).message];
  };
  expect(await get("nope")).toEqual([400, UNKNOWN]);
  expect((await get("ads"))[0]).toBe(200);
});

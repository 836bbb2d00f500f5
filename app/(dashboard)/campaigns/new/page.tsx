import type { Metadata } from "next";
import { screenContext, type SearchParams } from "@/app/_components/server-context";
import { actorOf } from "@/lib/auth/member";
import { campaignFormOptions } from "@/lib/campaigns";
import { CampaignForm } from "../campaign-form";

export const metadata: Metadata = { title: "New give-back campaign · Trustledger" };

/**
 * `?field=<key>&at=<instant>` comes from the Data inventory's "Give back" action on a dormant field, with the
 * inventory's `region` and `channel` when it was filtered (a value the form does not offer is left out).
 */
const offered = (asked: unknown, values: readonly string[]): string =>
  typeof asked === "string" && values.includes(asked) ? asked : "";

export default async function NewCampaignPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { member, db, defaults } = await screenContext("campaigns:write");
  const [options, search] = await Promise.all([campaignFormOptions(db, actorOf(member, null)), searchParams]);
  const asked = typeof search.field === "string" ? search.field : undefined;
  const field = options.fields.find((f) => f.key === asked) ?? options.fields[0];
  // `?at=` is the instant the Data inventory counted at: the preview says how its count compares. Opened without it
  // (the Campaigns screen's "New campaign"), the inventory's own default: the end of the data (its default period's end).
  const inventoryAt =
    typeof search.at === "string" && !Number.isNaN(Date.parse(search.at))
      ? search.at
      : `${defaults.anchor}T00:00:00.000Z`;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>New give-back campaign</h1>
          <p>
            The audience is every holding of the field that is dormant when the campaign launches. A second
            person approves it before it can launch.
          </p>
        </div>
      </div>
      {field ? (
        <CampaignForm
          options={options}
          inventoryAt={inventoryAt}
          initial={{
            name: `Give back unused ${field.name.toLowerCase()}`,
            field: field.key,
            purpose: "",
            region: offered(search.region, options.regions),
            channel: offered(search.channel, options.channels),
            action: "delete",
            holdout: "10",
            message: null,
          }}
        />
      ) : (
        <p className="muted">
          The workspace has no fields yet: declare them in Settings or send data.collected events.
        </p>
      )}
    </>
  );
}

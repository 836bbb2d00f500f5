import Link from "next/link";
import { Card } from "@/app/_components/card";
import { humanize } from "@/app/_components/dimension-names";
import { EmptyState } from "@/app/_components/states";
import { listAudit, type AuditRow } from "@/lib/audit";
import { actionLabel } from "@/lib/audit/labels";
import { actorOf } from "@/lib/auth/member";
import { requireMember } from "@/lib/auth/session";
import { listCampaigns } from "@/lib/campaigns";
import { AppError } from "@/lib/errors";
import { getDb } from "@/lib/server/database";
import styles from "../settings.module.css";

const FAMILIES: [string, string][] = [
  ["auth", "Sign-ins"],
  ["user", "Users"],
  ["key", "API keys"],
  ["settings", "Settings"],
  ["campaign", "Campaigns"],
  ["subject", "Reads of a customer's record"],
  ["snapshot", "Saved snapshots"],
];
const FILTERS = ["action", "actor", "from", "to"] as const;

type Search = Record<string, string | string[] | undefined>;

export default async function AuditSettings({ searchParams }: { searchParams: Promise<Search> }) {
  const member = await requireMember("audit:read");
  const search = await searchParams;
  const filter: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = search[k];
    if (typeof v === "string" && v.trim()) filter[k] = v.trim();
  }
  let entries: AuditRow[] = [];
  let problem: string | null = null;
  const db = await getDb();
  const actor = actorOf(member, null);
  try {
    entries = await listAudit(db, actor, { ...filter, limit: 500 });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problem = e.message;
  }
  // A campaign step's target is the campaign's id (cmp_…): shown by its name, linked to it, for readers who may open it.
  const campaignNames = new Map<string, string>();
  if (entries.some((e) => e.action.startsWith("campaign.")))
    try {
      for (const c of await listCampaigns(db, actor)) campaignNames.set(c.id, c.name);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  const csvHref = `/api/settings/audit?${new URLSearchParams({ ...filter, format: "csv" })}`;
  return (
    <Card
      id="audit"
      title="Audit log"
      description="Who did what, when, and from where: sign-ins, settings, users, API keys and campaign steps. Entries are never edited or deleted."
      actions={
        <a className="btn btn-small" href={csvHref} download data-csv="audit-log">
          Export CSV
        </a>
      }
    >
      <form className={styles.form} method="get" aria-label="Filter the audit log">
        <label>
          Action
          <select className="select" name="action" defaultValue={filter.action ?? ""}>
            <option value="">All</option>
            {FAMILIES.map(([f, label]) => (
              <option key={f} value={f}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor contains
          <input className="input" name="actor" defaultValue={filter.actor ?? ""} />
        </label>
        <label>
          From (UTC)
          <input className="input" name="from" type="date" defaultValue={filter.from ?? ""} />
        </label>
        <label>
          To (UTC, not included)
          <input className="input" name="to" type="date" defaultValue={filter.to ?? ""} />
        </label>
        <div className={styles.actions}>
          <button className="btn btn-primary" type="submit">
            Filter
          </button>
          <a className="btn" href="/settings/audit">
            Clear
          </a>
          <span className="muted">
            {problem
              ? null
              : `${entries.length}${entries.length === 500 ? "+ (newest 500 shown; the CSV has them all)" : ""} entries`}
          </span>
        </div>
      </form>
      {problem ? (
        <p className={styles.error} role="alert">
          {problem}
        </p>
      ) : entries.length === 0 ? (
        <EmptyState title="No entries match" />
      ) : (
        <div className="table-wrap">
          <table className="data" data-table="audit-log">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">From</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <th scope="row" className={`num ${styles.when}`}>
                    {e.at.slice(0, 10)} {e.at.slice(11, 19)}
                  </th>
                  <td>{e.actor}</td>
                  <td data-action={e.action} title={e.action}>
                    {actionLabel(e.action)}
                  </td>
                  <td>
                    {e.target && e.action.startsWith("campaign.") && campaignNames.has(e.target) ? (
                      <Link href={`/campaigns/${encodeURIComponent(e.target)}`} title={e.target}>
                        {campaignNames.get(e.target)}
                      </Link>
                    ) : (
                      (e.target ?? "—")
                    )}
                  </td>
                  <td className="num">{e.ip ?? "—"}</td>
                  <td className={styles.details}>{e.details ? <Details details={e.details} /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** A value of the details as text: nested objects and lists as "key value" pairs, never as JSON. */
function plain(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.map(plain).join(", ");
  if (typeof value === "object")
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${humanize(k).toLowerCase()} ${plain(v)}`)
      .join(", ");
  if (typeof value === "string" && ISO_INSTANT.test(value))
    return `${value.slice(0, 10)} ${value.slice(11, 16)} UTC`;
  return String(value);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An entry's details as labelled lines ("Comment: …"), wrapping inside the cell. */
function Details({ details }: { details: Record<string, unknown> }) {
  return (
    <dl className={styles.detailList}>
      {Object.entries(details).map(([k, v]) => (
        <div key={k}>
          <dt>{humanize(k)}</dt>
          <dd>{plain(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Card } from "@/app/_components/card";
import { dimensionName } from "@/app/_components/dimension-names";
import { formatCount, formatDateTime } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import type { AudienceCount, CampaignAction, CampaignDetail, CampaignFormOptions } from "@/lib/campaigns";
import { HOLDOUT_MAX } from "@/lib/campaigns/input";
import {
  campaignKeys,
  campaignsApi,
  useAudienceQuery,
  useMessagePreviewQuery,
  useSettledParams,
} from "./campaign-api";
import styles from "./campaigns.module.css";

const ACTIONS: { value: CampaignAction; label: string; help: string }[] = [
  {
    value: "delete",
    label: "Delete",
    help: "The systems that hold the field delete it and confirm each deletion back to Trustledger.",
  },
  {
    value: "release",
    label: "Release",
    help: "Hand back the permission for one purpose: the customer's consent is withdrawn, recorded as coming from this campaign.",
  },
  {
    value: "ask",
    label: "Ask",
    help: "The customer chooses: keep the data (it counts as collected again) or have it deleted.",
  },
];

export interface DraftValues {
  name: string;
  field: string;
  purpose: string;
  region: string;
  channel: string;
  action: CampaignAction;
  holdout: string;
  /** Null: the action's default message. */
  message: string | null;
}

export function draftOf(c: CampaignDetail, templates: CampaignFormOptions["templates"]): DraftValues {
  return {
    name: c.name,
    field: c.field,
    purpose: c.purpose ?? "",
    region: c.region ?? "",
    channel: c.channel ?? "",
    action: c.action,
    holdout: String(c.holdout_percent),
    message: c.message === templates[c.action] ? null : c.message,
  };
}

const defaultName = (fieldName: string) => `Give back unused ${fieldName.toLowerCase()}`;

/** Create a campaign, or edit a draft (`id`). The audience and the message are previewed live from the server. */
export function CampaignForm({
  options,
  initial,
  id,
  onDone,
  inventoryAt,
}: {
  options: CampaignFormOptions;
  initial: DraftValues;
  id?: string;
  onDone?: () => void;
  /** The instant the Data inventory counted at, when the form was opened from it: the preview counts there too. */
  inventoryAt?: string;
}) {
  const f = useFormats();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [d, setD] = useState<DraftValues>(initial);
  const [nameTouched, setNameTouched] = useState(!!id);
  const fieldName = (key: string) => options.fields.find((x) => x.key === key)?.name ?? key;
  const set = (patch: Partial<DraftValues>) => setD((prev) => ({ ...prev, ...patch }));
  const template = d.message ?? options.templates[d.action];

  const filters = Object.fromEntries(
    Object.entries({ field: d.field, purpose: d.purpose, region: d.region, channel: d.channel }).filter(
      ([, v]) => v,
    ),
  );
  const audienceParams = useSettledParams(inventoryAt ? { ...filters, compare_at: inventoryAt } : filters);
  const messageParams = useSettledParams({ ...filters, action: d.action, template });
  const audience = useAudienceQuery(audienceParams, !!audienceParams.field);
  const preview = useMessagePreviewQuery(messageParams, !!messageParams.field);

  const save = useMutation({
    mutationFn: (body: unknown) =>
      id
        ? campaignsApi<{ id: string }>("PATCH", `/${encodeURIComponent(id)}`, body)
        : campaignsApi<{ id: string }>("POST", "", body),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: campaignKeys.list });
      if (id) {
        await queryClient.invalidateQueries({ queryKey: campaignKeys.detail(id) });
        onDone?.();
      } else router.push(`/campaigns/${saved.id}`);
    },
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({
      name: d.name,
      field: d.field,
      purpose: d.purpose,
      region: d.region,
      channel: d.channel,
      action: d.action,
      holdout_percent: d.holdout,
      message: template,
    });
  }

  const holdout = Number(d.holdout);
  // The split is previewed only for a holdout the server would accept (whole, 0 to HOLDOUT_MAX): never "−3,098 contacted".
  const holdoutValid =
    d.holdout.trim() !== "" && Number.isInteger(holdout) && holdout >= 0 && holdout <= HOLDOUT_MAX;
  const count = audience.data?.audience;
  return (
    <div className={styles.split}>
      <Card
        id="campaign-draft"
        title={id ? "Edit the draft" : "New give-back campaign"}
        description="Who gets something back, what, and how it is said."
      >
        <form className={styles.form} onSubmit={onSubmit} aria-label="Campaign">
          <label className={styles.full}>
            Name
            <input
              className="input"
              name="name"
              value={d.name}
              maxLength={120}
              required
              onChange={(e) => (setNameTouched(true), set({ name: e.target.value }))}
            />
          </label>
          <label>
            Field
            <select
              className="select"
              name="field"
              value={d.field}
              onChange={(e) =>
                set({
                  field: e.target.value,
                  ...(nameTouched ? {} : { name: defaultName(fieldName(e.target.value)) }),
                })
              }
            >
              {options.fields.map((x) => (
                <option key={x.key} value={x.key}>
                  {x.name} ({x.dormancy_days}-day window)
                </option>
              ))}
            </select>
          </label>
          <FilterSelect
            label={`Purpose ${d.action === "release" ? "(required for a release)" : "(optional)"}`}
            name="purpose"
            value={d.purpose}
            any="Any (all holders)"
            choices={options.purposes.map((p) => [p.key, `${p.name} (consent granted)`])}
            onChange={(purpose) => set({ purpose })}
          />
          <FilterSelect
            label="Region (optional)"
            name="region"
            value={d.region}
            any="All regions"
            choices={options.regions.map((r) => [r, dimensionName(f.locale, "region", r)])}
            onChange={(region) => set({ region })}
          />
          <FilterSelect
            label="Channel (optional)"
            name="channel"
            value={d.channel}
            any="All channels"
            choices={options.channels.map((c) => [c, dimensionName(f.locale, "channel", c)])}
            onChange={(channel) => set({ channel })}
          />
          <fieldset className={`${styles.full} ${styles.choices}`}>
            <legend>Action</legend>
            {ACTIONS.map((a) => (
              <label key={a.value} className={styles.choice}>
                <input
                  type="radio"
                  name="action"
                  value={a.value}
                  checked={d.action === a.value}
                  onChange={() => set({ action: a.value })}
                />
                <span>
                  <strong>{a.label}</strong>
                  <span className="muted"> — {a.help}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label>
            Holdout (% not contacted, the control group)
            <input
              className="input"
              name="holdout"
              type="number"
              min={0}
              max={HOLDOUT_MAX}
              step={1}
              value={d.holdout}
              onChange={(e) => set({ holdout: e.target.value })}
            />
          </label>
          <label className={styles.full}>
            Message ({"{field}"} and {"{purpose}"} are filled in)
            <textarea
              className={`input ${styles.textarea}`}
              name="message"
              value={template}
              maxLength={1000}
              onChange={(e) => set({ message: e.target.value })}
            />
          </label>
          <div className={styles.actions}>
            <button className="btn btn-primary" type="submit" disabled={save.isPending}>
              {id ? "Save draft" : "Create draft"}
            </button>
            {d.message !== null ? (
              <button className="btn" type="button" onClick={() => set({ message: null })}>
                Use the default message
              </button>
            ) : null}
            {onDone ? (
              <button className="btn" type="button" onClick={onDone}>
                Cancel
              </button>
            ) : null}
            {save.error ? (
              <span className={styles.error} role="alert">
                {save.error.message}
              </span>
            ) : null}
          </div>
        </form>
      </Card>
      <Card
        id="campaign-preview"
        title="Live preview"
        description={
          audience.data
            ? `Counted at ${formatDateTime(f, audience.data.at)} (now), as launching now would freeze it.`
            : "Counted now, as launching now would freeze it."
        }
      >
        <div className={styles.audience} aria-live="polite" aria-busy={audience.isFetching || undefined}>
          <span className={styles.big} data-audience={count ?? ""}>
            {count === undefined ? "…" : formatCount(f, count)}
          </span>
          <span>
            dormant holdings of {fieldName(d.field).toLowerCase()}
            {audience.data ? ` (of ${formatCount(f, audience.data.holdings)} held)` : ""}
          </span>
        </div>
        {count !== undefined && holdoutValid ? (
          <p className="muted" data-split>
            About {formatCount(f, Math.round(count * (1 - holdout / 100)))} contacted,{" "}
            {formatCount(f, Math.round((count * holdout) / 100))} held out.
          </p>
        ) : null}
        {!holdoutValid ? (
          <p className={styles.error} data-holdout-error>
            The holdout must be a whole percentage from 0 to {HOLDOUT_MAX}.
          </p>
        ) : null}
        {audience.data?.compared ? <InventoryComparison count={audience.data} /> : null}
        {audience.error ? <p className={styles.error}>{audience.error.message}</p> : null}
        <h3 className={styles.previewTitle}>What customers read</h3>
        <blockquote className={styles.message} data-message-preview>
          {preview.error ? (
            <span className={styles.error}>{preview.error.message}</span>
          ) : (
            (preview.data?.message ?? "…")
          )}
        </blockquote>
      </Card>
    </div>
  );
}

/** An optional narrowing of the audience: the empty choice means no filter. */
function FilterSelect(props: {
  label: string;
  name: string;
  value: string;
  any: string;
  choices: [value: string, label: string][];
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select
        className="select"
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value="">{props.any}</option>
        {props.choices.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The preview against the Data inventory it was opened from: the same rule at two instants. Dormancy grows with
 * time (a holding unused for its window becomes dormant), so a count now can exceed the inventory's at its end.
 */
function InventoryComparison({ count }: { count: AudienceCount }) {
  const f = useFormats();
  const then = count.compared;
  if (!then) return null;
  const same = then.audience === count.audience;
  return (
    <p className="muted" data-inventory-comparison>
      At {formatDateTime(f, then.at)}, the instant the Data inventory counts at (the end of its period; by
      default the end of the data), the same rule and filters give {formatCount(f, then.audience)} dormant (of{" "}
      {formatCount(f, then.holdings)} held).{" "}
      {same
        ? "The same now."
        : `Now the count is ${formatCount(f, count.audience)}: holdings are counted as they stand at each instant, and between the two some became dormant (unused for longer than the field's window), were collected, used or deleted.`}
    </p>
  );
}

"use client";

import styles from "../settings.module.css";
import type { Catalog } from "./catalog";
import { CatalogSection } from "./catalog-section";

type Field = Catalog["fields"][number];

export function FieldsEditor({
  initial,
  sensitivities,
  canWrite,
}: {
  initial: Catalog;
  sensitivities: string[];
  canWrite: boolean;
}) {
  return (
    <CatalogSection<Field>
      kind="fields"
      noun="field"
      title="Fields"
      description="The kinds of personal data you hold, how sensitive they are, which purposes they serve, and after how many days unused they count as dormant."
      empty="Declare one, apply a configuration file, or send data.* events that name a field."
      initial={initial}
      canWrite={canWrite}
      rows={(c) => c.fields}
      columns={[
        {
          key: "sensitivity",
          label: "Sensitivity",
          value: (f) => f.sensitivity,
          format: (f) => <span className={`badge badge-${f.sensitivity}`}>{f.sensitivity}</span>,
        },
        { key: "dormancy_days", label: "Dormant after (days)", value: (f) => f.dormancy_days, numeric: true },
        {
          key: "purposes",
          label: "Purposes",
          value: (f) => f.purposes.join(" "),
          format: (f) =>
            f.purposes.length ? (
              f.purposes.map((k) => initial.purposes.find((p) => p.key === k)?.name ?? k).join(", ")
            ) : (
              <span className="muted">none</span>
            ),
        },
      ]}
      read={(f) => ({
        sensitivity: String(f.get("sensitivity") ?? "medium"),
        dormancy_days: Number(f.get("dormancy_days")),
        purposes: f.getAll("purposes").map(String),
      })}
      inputs={(current, catalog) => (
        <>
          <label>
            Sensitivity
            <select className="select" name="sensitivity" defaultValue={current?.sensitivity ?? "medium"}>
              {sensitivities.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Dormancy window (days)
            <input
              className="input"
              name="dormancy_days"
              type="number"
              min={1}
              max={3650}
              defaultValue={current?.dormancy_days ?? 180}
              required
            />
          </label>
          <fieldset className={`${styles.full} ${styles.checks}`}>
            <legend className="muted">Purposes it serves</legend>
            {catalog.purposes.map((p) => (
              <label key={p.key}>
                <input
                  type="checkbox"
                  name="purposes"
                  value={p.key}
                  defaultChecked={current?.purposes.includes(p.key)}
                />
                {p.name}
              </label>
            ))}
          </fieldset>
        </>
      )}
    />
  );
}

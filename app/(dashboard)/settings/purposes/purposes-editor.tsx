"use client";

import styles from "../settings.module.css";
import { blankToNull, type Catalog } from "./catalog";
import { CatalogSection } from "./catalog-section";

type Purpose = Catalog["purposes"][number];

const dash = <span className="muted">—</span>;

export function PurposesEditor({
  initial,
  legalBases,
  canWrite,
}: {
  initial: Catalog;
  legalBases: string[];
  canWrite: boolean;
}) {
  return (
    <CatalogSection<Purpose>
      kind="purposes"
      noun="purpose"
      title="Purposes"
      description="Why you process data, and what the customer gets for it. A purpose first seen in events stays undeclared until described here."
      empty="Declare one, apply a configuration file, or send events that name a purpose."
      initial={initial}
      canWrite={canWrite}
      rows={(c) => c.purposes}
      columns={[
        {
          key: "legal_basis",
          label: "Legal basis",
          value: (p) => p.legal_basis,
          format: (p) => p.legal_basis?.replace(/_/g, " ") ?? "—",
        },
        {
          key: "value_promise",
          label: "Value promise",
          value: (p) => p.value_promise,
          format: (p) => p.value_promise ?? dash,
        },
        {
          key: "description",
          label: "Description",
          value: (p) => p.description,
          format: (p) => p.description ?? dash,
        },
      ]}
      read={(f) => ({
        description: blankToNull(f.get("description")),
        value_promise: blankToNull(f.get("value_promise")),
        legal_basis: blankToNull(f.get("legal_basis")),
      })}
      inputs={(current) => (
        <>
          <label>
            Legal basis
            <select className="select" name="legal_basis" defaultValue={current?.legal_basis ?? ""}>
              <option value="">—</option>
              {legalBases.map((b) => (
                <option key={b} value={b}>
                  {b.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
          <label className={styles.full}>
            Description
            <textarea
              className={`input ${styles.textarea}`}
              name="description"
              defaultValue={current?.description ?? ""}
              maxLength={2000}
            />
          </label>
          <label className={styles.full}>
            Value promise (what the customer gets)
            <textarea
              className={`input ${styles.textarea}`}
              name="value_promise"
              defaultValue={current?.value_promise ?? ""}
              maxLength={2000}
            />
          </label>
        </>
      )}
    />
  );
}

"use client";

import { useActionState } from "react";
import { Card } from "@/app/_components/card";
import type { MappingForm, MappingRow, MappingSection } from "@/lib/signals/mapping-form";
import styles from "../settings.module.css";
import own from "./signals.module.css";
import { saveMappingAction, type MappingFormState } from "./actions";

interface Props {
  sections: MappingSection[];
  /** The form key of the Segment lines. */
  segmentField: string;
  initial: MappingForm;
  defaults: MappingForm;
  purposes: string[];
}

export function SignalMappingForm({ sections, segmentField, initial, defaults, purposes }: Props) {
  const [state, action, pending] = useActionState(saveMappingAction, {
    status: "idle",
    issues: {},
    values: initial,
    version: 0,
  } satisfies MappingFormState);
  const known = new Set(purposes);
  const problems = Object.values(state.issues).flat().length;
  return (
    <form action={action} key={state.version} aria-label="Consent signal mapping" className={own.sections}>
      <p className="muted">
        Which of your purposes each consent signal speaks for. List purpose keys separated by commas; an empty
        row maps to nothing. Purposes of this workspace:{" "}
        {purposes.length ? purposes.join(", ") : "none declared yet"}.
      </p>
      {state.status === "invalid" ? (
        <div className="state state-error" role="alert">
          <strong>Not saved: {problems === 1 ? "one problem" : `${problems} problems`} below.</strong>
          {state.issues.form?.map((m) => (
            <span key={m}>{m}</span>
          ))}
        </div>
      ) : null}
      {state.status === "saved" ? (
        <p className={styles.ok} role="status">
          Saved. Signals received from now on use this mapping; events already stored stay as they are.
        </p>
      ) : null}
      {sections.map((section) => (
        <Card
          key={section.id}
          id={`mapping-${section.id}`}
          title={section.title}
          description={section.description}
        >
          <div className={styles.form}>
            {section.rows.map((row) => (
              <MappingInput
                key={row.path}
                row={row}
                value={state.values[row.path] ?? ""}
                fallback={defaults[row.path] ?? ""}
                errors={state.issues[row.path]}
                known={known}
              />
            ))}
          </div>
        </Card>
      ))}
      <Card
        id="mapping-segment"
        title="Segment consent categories"
        description="One category a line: Category = purpose, purpose. Names match without regard to case, spaces, '_' or '-'."
      >
        <div className={styles.form}>
          <label className={styles.full}>
            <span className="sr-only">Segment categories</span>
            <textarea
              className={`input ${styles.textarea} ${own.segment}`}
              name={segmentField}
              rows={7}
              defaultValue={state.values[segmentField] ?? ""}
              aria-invalid={state.issues[segmentField] ? true : undefined}
            />
            <span className="muted">Default: {(defaults[segmentField] ?? "").split("\n").join("; ")}</span>
            {state.issues[segmentField]?.map((m) => (
              <span key={m} className={styles.error}>
                {m}
              </span>
            ))}
          </label>
        </div>
      </Card>
      <div className={styles.actions}>
        <button className="btn btn-primary" type="submit" name="intent" value="save" disabled={pending}>
          Save mapping
        </button>
        <button className="btn" type="submit" name="intent" value="reset" disabled={pending}>
          Reset to defaults
        </button>
      </div>
    </form>
  );
}

function MappingInput({
  row,
  value,
  fallback,
  errors,
  known,
}: {
  row: MappingRow;
  value: string;
  fallback: string;
  errors?: string[];
  known: Set<string>;
}) {
  const unknown = value
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k && !known.has(k));
  return (
    <label>
      {row.label}
      <input
        className="input"
        name={row.path}
        defaultValue={value}
        placeholder="no purpose"
        aria-invalid={errors ? true : undefined}
      />
      <span className="muted">Default: {fallback || "none"}</span>
      {unknown.length && !errors ? (
        <span className="muted">
          Not yet a purpose here: {unknown.join(", ")} (created undeclared when a signal reaches it)
        </span>
      ) : null}
      {errors?.map((m) => (
        <span key={m} className={styles.error}>
          {m}
        </span>
      ))}
    </label>
  );
}

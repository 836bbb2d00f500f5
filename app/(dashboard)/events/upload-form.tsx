"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatCount } from "@/app/_components/format";
import { useFormats } from "@/app/_components/providers";
import type { UploadSummary } from "@/lib/event-stats/upload";

type Status =
  | { kind: "idle" }
  | { kind: "sending"; name: string }
  | { kind: "done"; name: string; summary: UploadSummary }
  | { kind: "failed"; message: string };

/** NDJSON or CSV file → POST /api/v1/events/upload; shows the same summary as `tl import`. */
export function UploadForm() {
  const f = useFormats();
  const client = useQueryClient();
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  async function upload(form: HTMLFormElement) {
    const file = (form.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    if (!file) {
      setStatus({ kind: "failed", message: "Choose a file first." });
      return;
    }
    setStatus({ kind: "sending", name: file.name });
    const body = new FormData();
    body.set("file", file);
    try {
      const res = await fetch("/api/v1/events/upload", { method: "POST", body, credentials: "same-origin" });
      const json = (await res.json().catch(() => ({}))) as UploadSummary & { message?: string };
      if (!res.ok) throw new Error(json.message ?? `${res.status} ${res.statusText}`);
      setStatus({ kind: "done", name: file.name, summary: json });
      form.reset();
      // New events change every number on every screen.
      await client.invalidateQueries();
    } catch (e) {
      setStatus({ kind: "failed", message: e instanceof Error ? e.message : "The upload failed." });
    }
  }

  return (
    <section className="card" style={{ marginBottom: 16 }} aria-labelledby="upload-title" data-card="upload">
      <div className="card-head">
        <div>
          <h2 id="upload-title">Upload events</h2>
          <p>
            One event per line (NDJSON) or a CSV whose first line names the columns (
            <code>id, type, subject, occurred_at, purpose, …</code>). Sending the same ids again changes
            nothing.
          </p>
        </div>
      </div>
      <form
        className="upload"
        onSubmit={(e) => {
          e.preventDefault();
          void upload(e.currentTarget);
        }}
      >
        <label>
          <span className="sr-only">Events file</span>
          <input
            className="input"
            type="file"
            name="file"
            accept=".ndjson,.jsonl,.json,.csv,application/x-ndjson,text/csv"
            required
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={status.kind === "sending"}>
          {status.kind === "sending" ? `Uploading ${status.name}…` : "Upload"}
        </button>
      </form>
      <div aria-live="polite" style={{ marginTop: 10 }}>
        {status.kind === "done" ? (
          <div data-upload-summary>
            <p className="summary-line">
              {status.name}: <strong>{formatCount(f, status.summary.accepted)}</strong> accepted,{" "}
              <strong>{formatCount(f, status.summary.duplicates)}</strong> duplicates,{" "}
              <strong className={status.summary.rejected_count ? "bad" : undefined}>
                {formatCount(f, status.summary.rejected_count)}
              </strong>{" "}
              rejected.
            </p>
            {status.summary.rejected.length ? (
              <ul>
                {status.summary.rejected.slice(0, 10).map((r) => (
                  <li key={r.index}>
                    {status.summary.format === "csv" ? `row ${r.index + 2}` : `event ${r.index + 1}`}
                    {r.id ? ` (${r.id})` : ""}: {r.errors.join("; ")}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : status.kind === "failed" ? (
          <p role="alert" className="bad">
            {status.message}
          </p>
        ) : null}
      </div>
    </section>
  );
}

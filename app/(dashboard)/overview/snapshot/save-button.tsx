"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { SnapshotView } from "@/lib/snapshots/view";

/** Saves the snapshot as it reads now and opens the saved copy, whose numbers never change. */
export function SaveSnapshotButton({ view }: { view: SnapshotView }) {
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  async function save() {
    setState({ busy: true, error: null });
    try {
      const res = await fetch("/api/v1/snapshots", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(view),
        cache: "no-store",
      });
      const body = (await res.json().catch(() => null)) as { id?: number; message?: string } | null;
      if (!res.ok || !body?.id)
        throw new Error(body?.message ?? `the snapshot was not saved (${res.status})`);
      router.push(`/overview/snapshot/${body.id}`);
    } catch (e) {
      setState({ busy: false, error: e instanceof Error ? e.message : "the snapshot was not saved" });
    }
  }
  return (
    <>
      <button type="button" className="btn" onClick={save} disabled={state.busy} data-snapshot-save>
        {state.busy ? "Saving…" : "Save this snapshot"}
      </button>
      {state.error ? (
        <p role="alert" className="form-error">
          {state.error}
        </p>
      ) : null}
    </>
  );
}

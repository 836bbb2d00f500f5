"use client";

import { useState, useTransition } from "react";

export interface WorkspaceOption {
  slug: string;
  name: string;
  role: string;
}

/** Switches the current workspace (a server action sets the cookie), then reloads so no data of the old one stays. */
export function WorkspaceSwitcher({
  current,
  workspaces,
  switchAction,
}: {
  current: string;
  workspaces: WorkspaceOption[];
  switchAction: (slug: string) => Promise<unknown>;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <label className="workspace-switcher">
      <span className="sr-only">Workspace</span>
      <select
        className="select"
        value={current}
        disabled={pending || workspaces.length < 2}
        onChange={(e) => {
          const slug = e.target.value;
          setError(null);
          startTransition(async () => {
            try {
              await switchAction(slug);
              window.location.assign(window.location.pathname);
            } catch {
              setError("Could not switch workspace.");
            }
          });
        }}
      >
        {workspaces.map((w) => (
          <option key={w.slug} value={w.slug}>
            {w.name}
          </option>
        ))}
      </select>
      {error ? (
        <span role="alert" className="bad">
          {error}
        </span>
      ) : null}
    </label>
  );
}

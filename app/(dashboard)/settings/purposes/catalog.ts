"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ExportedConfig } from "@/lib/workspaces";
import { settingsApi } from "../api";

export type Catalog = ExportedConfig;

export function useCatalogQuery(initial: Catalog) {
  return useQuery({
    queryKey: ["settings-catalog"],
    queryFn: () => settingsApi<Catalog>("GET", "catalog"),
    initialData: initial,
  });
}

/** Saves a purpose or a field, then reloads the catalog. */
export function useSaveEntry(kind: "purposes" | "fields", onSaved: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (entry: Record<string, unknown>) => settingsApi("POST", kind, entry),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["settings-catalog"] });
      onSaved();
    },
  });
}

export const blankToNull = (v: FormDataEntryValue | null): string | null =>
  typeof v === "string" && v.trim() ? v.trim() : null;

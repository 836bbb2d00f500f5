"use client";

import { useCatalogQuery } from "./queries";

/** Display names for the keys metrics return; an undeclared key is shown as itself, marked. */
export function useNames() {
  const catalog = useCatalogQuery();
  const purposes = new Map(catalog.purposes.map((p) => [p.key, p]));
  const fields = new Map(catalog.fields.map((f) => [f.key, f]));
  return {
    purpose: (key: string) => purposes.get(key)?.name ?? key,
    field: (key: string) => fields.get(key)?.name ?? key,
    purposeDeclared: (key: string) => purposes.get(key)?.status === "declared",
    fieldDeclared: (key: string) => fields.get(key)?.status === "declared",
    catalog,
  };
}

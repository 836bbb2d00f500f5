"use client";

import { colorAt } from "./chart-format";
import { dimensionName, type Dimension } from "./dimension-names";
import { useFormats } from "./providers";
import { useCatalogQuery } from "./queries";

/** Display names for the keys metrics return; an undeclared key is shown as itself, marked. */
export function useNames() {
  const catalog = useCatalogQuery();
  const { locale } = useFormats();
  const order = new Map(catalog.purposes.map((p, i) => [p.key, i]));
  const purposes = new Map(catalog.purposes.map((p) => [p.key, p]));
  const fields = new Map(catalog.fields.map((f) => [f.key, f]));
  return {
    purpose: (key: string) => purposes.get(key)?.name ?? key,
    field: (key: string) => fields.get(key)?.name ?? key,
    purposeDeclared: (key: string) => purposes.get(key)?.status === "declared",
    fieldDeclared: (key: string) => fields.get(key)?.status === "declared",
    /** A purpose's colour follows its place in the workspace's catalog, so it keeps it when a filter narrows a chart. */
    purposeColor: (key: string) => colorAt(order.get(key) ?? catalog.purposes.length),
    dimension: (dimension: Dimension, key: string) => dimensionName(locale, dimension, key),
    catalog,
  };
}

import { cookies } from "next/headers";
import type { Theme } from "./theme-toggle";

export async function readerTheme(): Promise<Theme> {
  const value = (await cookies()).get("tl_theme")?.value;
  return value === "light" || value === "dark" ? value : "system";
}

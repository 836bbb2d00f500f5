"use client";

import { useState } from "react";

export type Theme = "system" | "light" | "dark";
const THEMES: { id: Theme; label: string }[] = [
  { id: "system", label: "Auto" },
  { id: "light", label: "Light" },
  { id: "dark", label: "Dark" },
];

/** Remembered in a cookie so that the server renders the chosen theme from the first byte (no flash). */
function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === "system") {
    root.removeAttribute("data-theme");
    document.cookie = "tl_theme=; path=/; max-age=0; samesite=lax";
  } else {
    root.setAttribute("data-theme", theme);
    document.cookie = `tl_theme=${theme}; path=/; max-age=31536000; samesite=lax`;
  }
}

/** Light, dark, or the system's choice (prefers-color-scheme). */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <div className="presets" role="group" aria-label="Colour theme">
      {THEMES.map((t) => (
        <button
          key={t.id}
          type="button"
          className="btn btn-small"
          aria-pressed={theme === t.id}
          onClick={() => {
            setTheme(t.id);
            applyTheme(t.id);
          }}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

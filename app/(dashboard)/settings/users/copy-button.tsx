"use client";

import { useState } from "react";

/** Copies a secret to the clipboard and says whether it worked (the clipboard needs https or localhost). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <span>
      <button type="button" className="btn btn-small" aria-label={label} onClick={copy}>
        Copy
      </button>{" "}
      <span role="status">
        {copied === true
          ? "Copied."
          : copied === false
            ? "Could not copy: select the password and copy it."
            : ""}
      </span>
    </span>
  );
}

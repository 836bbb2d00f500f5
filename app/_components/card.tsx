import Link from "next/link";
import type { ReactNode } from "react";

/** A titled panel; `definition` links the metric to its entry on /definitions. */
export function Card({
  title,
  description,
  definition,
  actions,
  wide,
  children,
  id,
}: {
  title: string;
  description?: ReactNode;
  definition?: string;
  actions?: ReactNode;
  wide?: boolean;
  children: ReactNode;
  id?: string;
}) {
  return (
    <section
      className={wide ? "card wide" : "card"}
      aria-labelledby={id ? `${id}-title` : undefined}
      data-card={id}
    >
      <div className="card-head">
        <div>
          <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
          {description ? <p>{description}</p> : null}
        </div>
        <div className="card-actions">
          {definition ? (
            <Link
              className="btn btn-small"
              href={`/definitions#${definition}`}
              aria-label={`Definition: ${title}`}
            >
              Definition
            </Link>
          ) : null}
          {actions}
        </div>
      </div>
      {children}
    </section>
  );
}

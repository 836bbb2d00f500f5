import type { Metadata } from "next";
import { requireMember } from "@/lib/auth/session";
import { DEFINITIONS } from "./definitions";

export const metadata: Metadata = { title: "Definitions · Trustledger" };

/** Every number on the dashboard, stated as SPEC section 4 defines it; KPIs link here by anchor. */
export default async function DefinitionsPage() {
  await requireMember();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Definitions</h1>
          <p>
            How every number on these screens is computed. Each KPI links to its entry; the metrics API and
            the CLI compute the same numbers.
          </p>
        </div>
      </div>
      <nav aria-label="Definitions" className="card" style={{ marginBottom: 16 }}>
        <ul className="presets" style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {DEFINITIONS.map((d) => (
            <li key={d.id}>
              <a className="btn btn-small" href={`#${d.id}`}>
                {d.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <article className="prose card">
        {DEFINITIONS.map((d) => (
          <section key={d.id} id={d.id} aria-labelledby={`${d.id}-title`}>
            <h2 id={`${d.id}-title`}>{d.title}</h2>
            {d.body}
          </section>
        ))}
      </article>
    </>
  );
}

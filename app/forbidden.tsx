import Link from "next/link";

export default function Forbidden() {
  return (
    <main style={{ padding: 32, fontFamily: "system-ui, sans-serif" }}>
      <h1>403 — not allowed</h1>
      <p>Your role does not give access to this page. Ask an admin of your workspace if you need it.</p>
      <Link href="/overview">Back to the overview</Link>
    </main>
  );
}

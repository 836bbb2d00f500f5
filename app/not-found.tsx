import type { Metadata } from "next";
import { PlainPage } from "./_components/plain-page";

export const metadata: Metadata = { title: "Page not found · Trustledger" };

export default function NotFound() {
  return (
    <PlainPage code="404" title="This page does not exist">
      <p>The link may be mistyped or out of date. Every screen is in the navigation of the overview.</p>
    </PlainPage>
  );
}

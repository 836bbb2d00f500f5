import { PlainPage } from "./_components/plain-page";

export default function Forbidden() {
  return (
    <PlainPage code="403" title="Your role does not open this page">
      <p>Ask an admin of your workspace if you need it.</p>
    </PlainPage>
  );
}

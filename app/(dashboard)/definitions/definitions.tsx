import type { ReactNode } from "react";
import { MIN_DATA_COMPONENTS, MIN_SAMPLE } from "@/lib/metrics/sufficiency";

export interface Definition {
  id: string;
  title: string;
  body: ReactNode;
}

/** The anchors are part of the product: KPIs and cards link to `/definitions#<id>`. */
export const DEFINITIONS: Definition[] = [
  {
    id: "periods",
    title: "Periods, buckets and filters",
    body: (
      <>
        <p>
          A period is half-open, <code>[from, to)</code>, in UTC; the date pickers show its first and last
          day. Buckets are calendar days, ISO weeks (from Monday) or months; a bucket that the period cuts is
          clipped to it and keeps its calendar start as its label. &ldquo;Subjects&rdquo; means distinct
          customers. A customer&rsquo;s events are ordered by when they occurred, ties by arrival; of events
          sharing an id only the first to arrive counts. Every rate is empty (&ldquo;—&rdquo;) when its
          denominator is 0.
        </p>
        <p>
          A customer&rsquo;s <strong>region</strong> and <strong>channel</strong> are the latest non-empty
          values on their events up to the end of the period. A region or channel filter keeps those customers
          and computes every metric over their events alone. A context filter (opt-in only) keeps the consent
          events asked at that journey step.
        </p>
        <p>
          Periods end with the data: without dates in the link, a screen shows the 90 days up to the latest
          event received (never later than today).
        </p>
      </>
    ),
  },
  {
    id: "consent-state",
    title: "Consent state",
    body: (
      <p>
        The consent state of a customer for a purpose at an instant is the type of their latest{" "}
        <code>consent.granted</code>, <code>consent.denied</code> or <code>consent.withdrawn</code> event for
        it at or before that instant — granted, denied, withdrawn — or <em>never asked</em>. &ldquo;At the
        start of a period&rdquo; means just before it, so every event belongs either to the state at the start
        or to the period.
      </p>
    ),
  },
  {
    id: "opt-in-rate",
    title: "Opt-in rate",
    body: (
      <>
        <p>
          For a purpose and period: <strong>asked</strong> = customers with at least one{" "}
          <code>consent.granted</code> or <code>consent.denied</code> for the purpose in the period;{" "}
          <strong>granted</strong> = those of them whose latest such answer in the period is a grant. Opt-in
          rate = granted ÷ asked. Asking the same person five times counts them once.
        </p>
        <p>
          The <strong>overall</strong> opt-in rate on the Overview sums asked and granted across purposes (as
          the Trust Index&rsquo;s consent component does).
        </p>
      </>
    ),
  },
  {
    id: "withdrawal-rate",
    title: "Withdrawal rate",
    body: (
      <p>
        For a purpose and period: <strong>consenting</strong> = customers whose consent state is granted at
        the start of the period or who grant consent in it; <strong>withdrawn</strong> = those of them with a{" "}
        <code>consent.withdrawn</code> in the period. Withdrawal rate = withdrawn ÷ consenting. Overall: both
        summed across purposes. Lower is better.
      </p>
    ),
  },
  {
    id: "reciprocity",
    title: "Reciprocity",
    body: (
      <p>
        For a purpose and period: of the customers whose data was used for the purpose (a{" "}
        <code>data.used</code> naming them), the share who also received value for it (
        <code>value.delivered</code>) in the period. Overall: both counts summed across purposes. Bulk uses
        (without a customer) are not counted here.
      </p>
    ),
  },
  {
    id: "value-coverage",
    title: "Value coverage",
    body: (
      <p>
        Of the consenting customers (as in the withdrawal rate), the share who received value for the purpose
        in the period.
      </p>
    ),
  },
  {
    id: "value-total",
    title: "Value delivered (total)",
    body: (
      <p>
        The sum of <code>value.amount</code> (absent: 0) of the purpose&rsquo;s <code>value.delivered</code>{" "}
        events in the period that are in the workspace&rsquo;s currency or carry no currency. Amounts in other
        currencies are reported separately, never converted.
      </p>
    ),
  },
  {
    id: "funnel",
    title: "Purpose funnel",
    body: (
      <p>
        For each purpose and period: <strong>asked</strong> and <strong>granted</strong> as in the opt-in
        rate; <strong>used</strong> = customers whose data was used for it; <strong>value delivered</strong> =
        those of them who got value for it (the reciprocity numerator); <strong>withdrawn</strong> =
        consenting customers who took their consent back. Each step counts distinct customers in the period.
      </p>
    ),
  },
  {
    id: "holdings",
    title: "Holdings",
    body: (
      <p>
        A holding is a (customer, field) pair: the field was collected (<code>data.collected</code>) at or
        before the instant and not deleted (<code>data.deleted</code>) after its latest collection. Screens
        measure holdings at the end of the period.
      </p>
    ),
  },
  {
    id: "dormant-share",
    title: "Dormant data and dormant share",
    body: (
      <>
        <p>
          A holding is <strong>dormant</strong> when its latest collection is at least the field&rsquo;s
          dormancy window old (default 180 days) and the field has not been used for that customer — nor in a
          bulk use of everyone&rsquo;s values — within the window. Dormant share = dormant holdings ÷
          holdings; overall, both summed across fields. Lower is better: dormant data is what to give back or
          delete.
        </p>
        <p>
          <strong>Last used</strong> is the latest use of the field, for one customer or in bulk, at or before
          the instant.
        </p>
      </>
    ),
  },
  {
    id: "inventory-risk",
    title: "Inventory risk and transparency gaps",
    body: (
      <>
        <p>
          The Data inventory sorts fields by <strong>risk</strong> = dormant holdings × sensitivity weight
          (low 1, medium 2, high 3, special 4): a large pile of unused, sensitive data comes first.
        </p>
        <p>
          A <strong>transparency gap</strong> is a field or purpose first seen in events and never declared
          (no description or value promise), or a field used for a purpose it is not declared for. A declared
          purpose that a field is never used for is marked too: the data is held for a promise not kept.
        </p>
      </>
    ),
  },
  {
    id: "churn-rate",
    title: "Churn rate",
    body: (
      <p>
        <strong>Active</strong> = customers with any event before the start of the period and no{" "}
        <code>customer.churned</code> before it (a customer who churned stays out, even if events arrive
        later); <strong>churned</strong> = active customers with a <code>customer.churned</code> in the
        period. Churn rate = churned ÷ active. Lower is better.
      </p>
    ),
  },
  {
    id: "churn-cohorts",
    title: "Churn by consent cohort",
    body: (
      <p>
        The active customers split, for each purpose, by their consent state at the start of the period:{" "}
        <strong>granted</strong>, <strong>not granted</strong> (denied or withdrawn) and{" "}
        <strong>never asked</strong>, each with its own churn rate.
      </p>
    ),
  },
  {
    id: "churn-after-withdrawal",
    title: "Churn after withdrawal",
    body: (
      <p>
        The active customers (as for the churn rate) split by whether they withdrew any consent in the period.
        For those who did, churned means a <code>customer.churned</code> after their first withdrawal in the
        period; for the others, any in the period. The median time from withdrawal to churn is shown with it.
      </p>
    ),
  },
  {
    id: "trust-score",
    title: "Trust score",
    body: (
      <p>
        From the survey question &ldquo;How much do you trust us with your data?&rdquo; (0–10), each
        customer&rsquo;s latest answer in the period counts once: trust score = % answering 9–10 − % answering
        0–6, from −100 to 100 points, shown with the number of responses and the mean answer.
      </p>
    ),
  },
  {
    id: "trust-index",
    title: "Trust Index",
    body: (
      <>
        <p>
          A monthly index from 0 to 100: the weighted mean of seven components, each between 0 and 1, shown
          with each component so a change can be explained.
        </p>
        <ul>
          <li>
            <strong>Consent</strong> (weight 0.20): the overall opt-in rate.
          </li>
          <li>
            <strong>Retention of consent</strong> (0.15): 1 − the overall withdrawal rate.
          </li>
          <li>
            <strong>Reciprocity</strong> (0.20): the overall reciprocity.
          </li>
          <li>
            <strong>Data minimisation</strong> (0.15): 1 − the overall dormant share at the month&rsquo;s end.
          </li>
          <li>
            <strong>Transparency</strong> (0.10): the share of purposes and fields that are declared.
          </li>
          <li>
            <strong>Accountability</strong> (0.10): data subject requests answered on time — on time ÷ due
            over all request types in the month (see <a href="#dsar-on-time">answered on time</a>).
          </li>
          <li>
            <strong>Trust survey</strong> (0.10): (trust score + 100) ÷ 200.
          </li>
        </ul>
        <p>
          A component with no data, or with <a href="#not-enough-data">not enough data</a>, is left out and
          the other weights renormalised. A month needs at least {MIN_DATA_COMPONENTS} components measured
          from events (transparency comes from the configuration, not from customers) to have an index.
          Weights are set per workspace (Settings). &ldquo;What moved the index&rdquo; shows each
          component&rsquo;s contribution — weight × value × 100 — so the contributions add up to the index.
        </p>
      </>
    ),
  },
  {
    id: "not-enough-data",
    title: "Not enough data",
    body: (
      <>
        <p>
          A rate or score measured on fewer than <strong>{MIN_SAMPLE}</strong> customers (responses for the
          trust score, holdings for the dormant share) is shown as &ldquo;not enough data&rdquo; with the
          count it was measured on, not as a number: a handful of answers moves a percentage by tens of
          points. A Trust Index component measured on fewer than {MIN_SAMPLE} is left out of the index, and a
          month with fewer than {MIN_DATA_COMPONENTS} components measured from events has no index. The API
          gives the Trust Index with this rule when asked with <code>min_sample={MIN_SAMPLE}</code> (as the
          Overview does), and exactly as defined above without it.
        </p>
        <p>
          The metrics API and the CLI still return every number with its counts next to it (
          <code>answered</code>, <code>responses</code>, …), so the same rule can be applied to them; the
          Trust Index applies it itself and lists the components in <code>not_enough_data</code>.
        </p>
      </>
    ),
  },
  {
    id: "opt-outs-by-source",
    title: "Opt-outs by source",
    body: (
      <p>
        Where customers say no. Each customer who withdrew a consent for a purpose in the period (the W of the{" "}
        <a href="#withdrawal-rate">withdrawal rate</a>) is counted once, under the <code>source</code> of
        their first <code>consent.withdrawn</code> for it in the period — DMAchoice, the Do-Not-Call registry,
        DAA WebChoices or AppChoices, NAI, CCPA &ldquo;Do Not Sell&rdquo;, Global Privacy Control, an
        unsubscribe link, the preference centre — or &ldquo;not stated&rdquo; without one. The counts of a
        purpose add up to its withdrawals; the total over purposes counts a customer who opted out of two
        purposes twice.
      </p>
    ),
  },
  {
    id: "suppression-list",
    title: "Suppression list",
    body: (
      <>
        <p>
          For a purpose at an instant: the customers whose <a href="#consent-state">consent state</a> for it
          is denied or withdrawn — the people a marketing tool must not contact for that purpose — each with
          the state, the time of the answer that set it and its source, sorted by customer id.
        </p>
        <p>
          A list names customers, so only admins, the privacy team and marketers can read it (and API keys
          with the <code>suppression</code> scope); every read is written to the audit log. A sync with{" "}
          <code>changed_since</code> answers only the customers whose entry changed through events that
          arrived after the cursor; one who left the list comes back as <code>granted</code>.
        </p>
      </>
    ),
  },
  {
    id: "dsar",
    title: "Data subject requests",
    body: (
      <p>
        Requests (<code>dsar.requested</code>) are paired with completions (<code>dsar.completed</code>) in
        event order: a completion closes the earliest still-open request of the same customer and type; a
        completion with nothing open is <em>unmatched</em>. Per period: <strong>opened</strong> = requests
        made in it; <strong>completed</strong> = requests closed in it, wherever they were opened;{" "}
        <strong>median days</strong> = the median time from request to completion of those;{" "}
        <strong>open at end</strong> = requests made before the period&rsquo;s end and not completed before
        it, <strong>overdue</strong> those of them whose due date passed before it.
      </p>
    ),
  },
  {
    id: "dsar-on-time",
    title: "Requests answered on time",
    body: (
      <p>
        A request is due its workspace&rsquo;s due days (<code>dsar_due_days</code>, default 30 — GDPR allows
        a month, CCPA 45 days) after it was made. <strong>Due</strong> = requests whose due instant falls in
        the period; <strong>on time</strong> = those of them completed at or before it. On-time rate = on time
        ÷ due; the Trust Index&rsquo;s accountability component.
      </p>
    ),
  },
  {
    id: "dsar-open",
    title: "Open and overdue requests",
    body: (
      <p>
        At the end of the period: requests made before it and not completed before it (completed at or after
        the end counts as open), and of them those due before the end.
      </p>
    ),
  },
  {
    id: "control-effect",
    title: "Control effect",
    body: (
      <>
        <p>
          Does giving customers control pay? The customers active at the start of the period (as for the{" "}
          <a href="#churn-rate">churn rate</a>) split into those who had used a control before it — any
          consent event from one of the workspace&rsquo;s control sources (<code>control_sources</code>,
          default the preference centre) — and those who had not, with each group&rsquo;s churn rate.{" "}
          <strong>Difference</strong> = churn rate with control − without, with a 95% interval (difference ±
          1.96 × √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂)); <strong>relative reduction</strong> = 1 − with ÷ without.
        </p>
        <p>
          It shows an <strong>association, not a cause</strong>: customers who use controls may differ in
          other ways. An interval that includes zero shows no clear difference; with small groups the interval
          is wide (and has zero width when a rate is 0 or 1).
        </p>
      </>
    ),
  },
  {
    id: "first-use",
    title: "First use",
    body: (
      <>
        <p>
          Do we ask too early? For each field: the customers whose <em>first ever</em>{" "}
          <code>data.collected</code> of it falls in the period, and when it was first used after that (for
          them or in bulk), up to the end of the period. <strong>Used within window</strong> = first used
          within the field&rsquo;s dormancy window; <strong>never used</strong> = not used at all; median days
          to first use over those used. The same counts per journey step (<code>context</code>) of the first
          collection.
        </p>
        <p>
          <strong>Ask when needed</strong>: a journey step where at least 40% of at least 5 customers&rsquo;
          data went unused for the whole window is named: a form that asks for the birthday at sign-up and
          first uses it a year later should ask when it is needed.
        </p>
      </>
    ),
  },
  {
    id: "fair-exchange",
    title: "Fair exchange",
    body: (
      <p>
        Which kinds of value go with customers keeping their yes? For each purpose, the consenting customers
        of the period (the C of the <a href="#withdrawal-rate">withdrawal rate</a>) grouped by the kind of
        value they received for it in the period — discount, service, personalisation, content, money, other —
        and those who received none; a customer who received several kinds is in each. For each group:
        consenting, withdrawn, and the withdrawal rate.
      </p>
    ),
  },
  {
    id: "kpi-change",
    title: "Change against the previous period",
    body: (
      <p>
        Each KPI tile compares the period with the period of equal length just before it, computed the same
        way. Rates change in percentage points (pp), the trust score in points. The arrow is green when the
        change is good news: up for opt-in rate, reciprocity and trust score; down for withdrawal rate,
        dormant share and churn rate.
      </p>
    ),
  },
];

"use client";
// /explorer/providers/<address>: a provider's public record from the indexer: stake and tier, offers, reputation
// counters as the registry keeps them, earnings over time (each finalized job's payment, as a running total) and its
// latest jobs.
import Link from "next/link";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { formatAmount, formatDate, formatPricePer1k, tierName } from "../lib/format.ts";
import type { CsvColumn } from "./csv.ts";
import { CsvButton } from "./CsvButton.tsx";
import { ExplorerNav } from "./ExplorerNav.tsx";
import type { SqlRow } from "./indexerSql.ts";
import { LineChart } from "./LineChart.tsx";
import { PROFILE_JOB_COLUMNS } from "./tableCsv.ts";
import { big, str, useIndexerQuery } from "./useIndexerQuery.ts";
import { useTokenFormat } from "./useTokenFormat.ts";

const OCTO = { symbol: "OCTO", decimals: 18 };

/** Each finalized job's payment to the provider at the time of its finalization, as a running total. */
export function runningTotal(rows: readonly { t: number; amount: bigint }[]): { t: number; total: bigint }[] {
  let total = 0n;
  return [...rows]
    .sort((a, b) => a.t - b.t)
    .map((r) => {
      total += r.amount;
      return { t: r.t, total };
    });
}

export function ProviderProfile({ address }: { address: string }) {
  const a = address.toLowerCase();
  const provider = useIndexerQuery("select * from provider where address = $1", [a]);
  const offers = useIndexerQuery(
    "select o.model_id, m.name, o.payment_token, o.price_per_token, o.max_context, o.active from offer o left join model m on m.id = o.model_id where o.provider = $1 order by o.active desc, m.name",
    [a],
  );
  const payments = useIndexerQuery(
    "select s.timestamp, j.id, j.provider_amount from job_step s join job j on j.id = s.job_id where s.step = 'JobFinalized' and j.provider = $1 order by s.timestamp",
    [a],
  );
  const jobs = useIndexerQuery(
    "select id, status, token_count, provider_amount, created_at from job where provider = $1 order by id desc limit 10",
    [a],
  );
  const token = useTokenFormat();
  const p = provider.data?.[0];
  const earnings = runningTotal(
    (payments.data ?? []).map((r) => ({ t: Number(str(r, "timestamp")), amount: big(r, "provider_amount") })),
  );
  const n = (c: string) => Number(str(p ?? {}, c) || 0);
  const judged = n("completed") + n("timed_out") + n("slashed");
  const offerColumns: CsvColumn<SqlRow>[] = [
    "model_id",
    "name",
    "payment_token",
    "price_per_token",
    "max_context",
    "active",
  ].map((c) => ({
    header: c,
    value: (r) => str(r, c),
  }));
  const paymentColumns: CsvColumn<SqlRow>[] = [
    { header: "time (UTC)", value: (r) => formatDate(big(r, "timestamp")) },
    { header: "job", value: (r) => str(r, "id") },
    { header: "provider amount", value: (r) => str(r, "provider_amount") },
  ];

  return (
    <section className="card explorer" data-testid="provider-profile">
      <h1 className="mono">Provider {address}</h1>
      <ExplorerNav />
      <ErrorNotice error={provider.error} onRetry={() => void provider.refetch()} />
      {provider.data && !p && <p className="notice">The indexer knows no provider at this address.</p>}
      {p && (
        <>
          <div className="stats">
            <span className="stat">
              <strong data-testid="profile-stake">{formatAmount(big(p, "stake"), OCTO)}</strong>staked
            </span>
            <span className="stat">
              <strong>{tierName(n("tier"))}</strong>tier
            </span>
            <span className="stat">
              <strong data-testid="profile-earned">{token.amount(big(p, "earned"))}</strong>earned
            </span>
            <span className="stat">
              <strong>{judged === 0 ? "—" : `${Math.round((100 * n("completed")) / judged)} %`}</strong>completed of
              judged jobs
            </span>
          </div>
          <h2>Reputation (the registry’s counters)</h2>
          <dl className="facts" data-testid="reputation">
            <dt>Completed</dt>
            <dd>{n("completed")}</dd>
            <dt>Timed out</dt>
            <dd>{n("timed_out")}</dd>
            <dt>Disputed</dt>
            <dd>{n("disputed")}</dd>
            <dt>Slashed</dt>
            <dd>
              {n("slashed")} ({formatAmount(big(p, "slashed_amount"), OCTO)})
            </dd>
            <dt>Released back</dt>
            <dd>{n("released")}</dd>
            <dt>Committee votes missed</dt>
            <dd>{n("missed_votes")}</dd>
            <dt>Jobs claimed</dt>
            <dd>{n("jobs_claimed")}</dd>
            <dt>Tokens served</dt>
            <dd>{str(p, "tokens")}</dd>
            <dt>Unbonding</dt>
            <dd>{formatAmount(big(p, "unbonding"), OCTO)}</dd>
            <dt>Accepting jobs</dt>
            <dd>{str(p, "accepting") === "true" ? "yes" : "no"}</dd>
            <dt>Registered</dt>
            <dd>
              {formatDate(big(p, "registered_at"))} · block {str(p, "registered_block")}
            </dd>
          </dl>
        </>
      )}
      <h2>Offers</h2>
      <table data-testid="profile-offers">
        <thead>
          <tr>
            <th>Model</th>
            <th>Price</th>
            <th>Max context</th>
            <th>Active</th>
          </tr>
        </thead>
        <tbody>
          {(offers.data ?? []).map((o) => (
            <tr
              key={`${str(o, "model_id")}-${str(o, "payment_token")}`}
              className={str(o, "active") === "true" ? "" : "muted"}
            >
              <td title={str(o, "model_id")}>{str(o, "name") || str(o, "model_id").slice(0, 10)}</td>
              <td>
                {token.ready ? formatPricePer1k(big(o, "price_per_token"), token.unit) : str(o, "price_per_token")}
              </td>
              <td>{str(o, "max_context")}</td>
              <td>{str(o, "active") === "true" ? "yes" : "removed"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CsvButton name="provider-offers" columns={offerColumns} rows={offers.data ?? []} />
      <h2>Earnings over time</h2>
      <LineChart
        title="Paid to this provider, running total"
        points={earnings.map((e) => ({ t: e.t, value: token.toNumber(e.total) }))}
        format={(v) => `${v.toLocaleString("en-US", { maximumFractionDigits: 6 })} ${token.symbol}`}
        testId="earnings-chart"
      />
      <CsvButton name="provider-payments" columns={paymentColumns} rows={payments.data ?? []} />
      <h2>Latest jobs</h2>
      <table data-testid="profile-jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>State</th>
            <th>Tokens</th>
            <th>Earned</th>
            <th>Created (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {(jobs.data ?? []).map((j) => (
            <tr key={str(j, "id")}>
              <td>
                <Link href={`/explorer/jobs/${str(j, "id")}`}>#{str(j, "id")}</Link>
              </td>
              <td>{str(j, "status")}</td>
              <td>{str(j, "token_count")}</td>
              <td>{j.provider_amount === null ? "" : token.amount(big(j, "provider_amount"))}</td>
              <td>{formatDate(big(j, "created_at"))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CsvButton name="provider-jobs" columns={PROFILE_JOB_COLUMNS} rows={jobs.data ?? []} />
      <Link href={`/explorer?provider=${a}`}>All jobs of this provider →</Link>
    </section>
  );
}

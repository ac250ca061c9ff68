"use client";
// /explorer/totals: jobs, tokens, volume, disputes and slashes per provider and per model, and per day, from the
// indexer's running totals; each table with a chart and its CSV.
import Link from "next/link";
import type { Address } from "viem";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { shortAddress } from "../lib/format.ts";
import { BarChart } from "./BarChart.tsx";
import type { CsvColumn } from "./csv.ts";
import { CsvButton } from "./CsvButton.tsx";
import { ExplorerNav } from "./ExplorerNav.tsx";
import type { SqlRow } from "./indexerSql.ts";
import { big, str, useIndexerQuery } from "./useIndexerQuery.ts";
import { useTokenFormat } from "./useTokenFormat.ts";

type Totals = {
  key: string;
  label: string;
  jobs: number;
  tokens: bigint;
  volume: bigint;
  disputes: number;
  slashes: number;
};

const columns = (keyHeader: string): CsvColumn<Totals>[] => [
  { header: keyHeader, value: (t) => t.key },
  { header: "label", value: (t) => t.label },
  { header: "jobs", value: (t) => t.jobs },
  { header: "tokens", value: (t) => t.tokens },
  { header: "volume (base units)", value: (t) => t.volume },
  { header: "disputes", value: (t) => t.disputes },
  { header: "slashes", value: (t) => t.slashes },
];

/** Provider rows: the registry's counters (disputes, slashes, tokens) with the jobs and volume summed over `job`. */
function providerTotals(providers: SqlRow[], byJob: SqlRow[]): Totals[] {
  return providers.map((p) => {
    const address = str(p, "address");
    const jobs = byJob.find((j) => str(j, "provider") === address);
    return {
      key: address,
      label: shortAddress(address as Address),
      jobs: Number(str(jobs ?? {}, "jobs") || 0),
      tokens: big(p, "tokens"),
      volume: jobs ? big(jobs, "earned") + big(jobs, "fees") : 0n,
      disputes: Number(str(p, "disputed")),
      slashes: Number(str(p, "slashed")),
    };
  });
}

function TotalsTable({
  name,
  rows,
  linkOf,
  keyHeader,
}: {
  name: string;
  rows: Totals[];
  keyHeader: string;
  linkOf?: (t: Totals) => string;
}) {
  const token = useTokenFormat();
  return (
    <>
      <table data-testid={`totals-${name}`}>
        <thead>
          <tr>
            <th>{keyHeader}</th>
            <th>Jobs</th>
            <th>Tokens</th>
            <th>Volume</th>
            <th>Disputes</th>
            <th>Slashes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.key} data-testid={`totals-${name}-${t.key}`}>
              <td title={t.key}>{linkOf ? <Link href={linkOf(t)}>{t.label}</Link> : t.label}</td>
              <td>{t.jobs}</td>
              <td>{t.tokens.toString()}</td>
              <td>{token.amount(t.volume)}</td>
              <td>{t.disputes}</td>
              <td>{t.slashes}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CsvButton name={`totals-${name}`} columns={columns(keyHeader)} rows={rows} />
    </>
  );
}

export function TotalsView() {
  const providers = useIndexerQuery("select address, tokens, disputed, slashed from provider order by address");
  const byJob = useIndexerQuery(
    "select provider, count(*) as jobs, sum(provider_amount) as earned, sum(fee_amount) as fees from job where provider is not null group by provider",
  );
  const models = useIndexerQuery("select id, name, jobs, tokens, volume, disputes, slashes from model order by name");
  const days = useIndexerQuery(
    "select day, payment_token, jobs_created, jobs_finalized, tokens, volume from daily_total order by day",
  );
  const token = useTokenFormat();
  const perProvider = providerTotals(providers.data ?? [], byJob.data ?? []);
  const perModel: Totals[] = (models.data ?? []).map((m) => ({
    key: str(m, "id"),
    label: str(m, "name"),
    jobs: Number(str(m, "jobs")),
    tokens: big(m, "tokens"),
    volume: big(m, "volume"),
    disputes: Number(str(m, "disputes")),
    slashes: Number(str(m, "slashes")),
  }));
  const dayColumns: CsvColumn<SqlRow>[] = ["day", "jobs_created", "jobs_finalized", "tokens", "volume"].map((c) => ({
    header: c,
    value: (r) => str(r, c),
  }));
  const volumeBar = (t: Totals) => ({
    label: t.label,
    value: token.toNumber(t.volume),
    display: token.amount(t.volume),
  });

  return (
    <section className="card explorer">
      <h1>Totals</h1>
      <ExplorerNav />
      {[providers, byJob, models, days].map((q, i) => (
        <ErrorNotice key={i} error={q.error} onRetry={() => void q.refetch()} />
      ))}
      <h2>Per provider</h2>
      <div className="charts">
        <BarChart title="Volume" bars={perProvider.map(volumeBar)} testId="chart-provider-volume" />
        <BarChart title="Jobs" bars={perProvider.map((t) => ({ label: t.label, value: t.jobs }))} />
      </div>
      <TotalsTable
        name="providers"
        keyHeader="provider"
        rows={perProvider}
        linkOf={(t) => `/explorer/providers/${t.key}`}
      />
      <h2>Per model</h2>
      <div className="charts">
        <BarChart title="Volume" bars={perModel.map(volumeBar)} testId="chart-model-volume" />
        <BarChart title="Tokens" bars={perModel.map((t) => ({ label: t.label, value: Number(t.tokens) }))} />
      </div>
      <TotalsTable name="models" keyHeader="model" rows={perModel} linkOf={(t) => `/explorer?model=${t.key}`} />
      <h2>Per day (UTC)</h2>
      <BarChart
        title="Jobs created"
        bars={(days.data ?? []).map((d) => ({ label: `${str(d, "day")}`, value: Number(str(d, "jobs_created")) }))}
      />
      <table data-testid="totals-days">
        <thead>
          <tr>
            <th>Day</th>
            <th>Created</th>
            <th>Finalized</th>
            <th>Tokens</th>
            <th>Volume</th>
          </tr>
        </thead>
        <tbody>
          {(days.data ?? []).map((d) => (
            <tr key={`${str(d, "day")}-${str(d, "payment_token")}`}>
              <td>{str(d, "day")}</td>
              <td>{str(d, "jobs_created")}</td>
              <td>{str(d, "jobs_finalized")}</td>
              <td>{str(d, "tokens")}</td>
              <td>{token.amount(big(d, "volume"))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CsvButton name="totals-days" columns={dayColumns} rows={days.data ?? []} />
    </section>
  );
}

"use client";
// /explorer/jobs/<id>: one job as the indexer recorded it (every step with its block, transaction and time, the
// amounts, the receipt's chunks, the dispute's committee and votes) and the Verify button, which reads the chain.
import Link from "next/link";
import type { Address } from "viem";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { formatAmount, formatDate, shortAddress } from "../lib/format.ts";
import type { CsvColumn } from "./csv.ts";
import { CsvButton } from "./CsvButton.tsx";
import { ExplorerNav } from "./ExplorerNav.tsx";
import type { SqlRow } from "./indexerSql.ts";
import { CHUNK_COLUMNS, committeeSeats, numberChunks, type ReceiptChunk, VOTE_COLUMNS } from "./tableCsv.ts";
import { big, str, useIndexerQuery } from "./useIndexerQuery.ts";
import { useTokenFormat } from "./useTokenFormat.ts";
import { VerifyPanel } from "./VerifyPanel.tsx";

const OCTO = { symbol: "OCTO", decimals: 18 };

const STEP_COLUMNS: CsvColumn<SqlRow>[] = [
  { header: "step", value: (r) => str(r, "step") },
  { header: "actor", value: (r) => str(r, "actor") },
  { header: "block", value: (r) => str(r, "block_number") },
  { header: "transaction", value: (r) => str(r, "transaction_hash") },
  { header: "log index", value: (r) => str(r, "log_index") },
  { header: "time (UTC)", value: (r) => formatDate(big(r, "timestamp")) },
];

function AddressLink({ address, provider }: { address: string; provider?: boolean }) {
  if (!address) return <>—</>;
  const href = provider ? `/explorer/providers/${address}` : `/explorer?user=${address}`;
  return (
    <Link href={href} title={address}>
      {shortAddress(address as Address)}
    </Link>
  );
}

export function JobReceipt({ jobId }: { jobId: bigint }) {
  const id = jobId.toString();
  const job = useIndexerQuery("select * from job where id = $1", [id]);
  const steps = useIndexerQuery("select * from job_step where job_id = $1 order by block_number, log_index", [id]);
  const receipt = useIndexerQuery("select * from receipt where job_id = $1", [id]);
  const dispute = useIndexerQuery("select * from dispute where job_id = $1", [id]);
  const votes = useIndexerQuery("select * from vote where job_id = $1 order by block_number", [id]);
  const token = useTokenFormat();
  const row = job.data?.[0];
  const model = useIndexerQuery("select name from model where id = $1", [row ? str(row, "model_id") : ""], {
    enabled: !!row,
  });
  const r = receipt.data?.[0];
  const d = dispute.data?.[0];
  const amount = (column: string) => (row && row[column] !== null ? token.amount(big(row, column)) : "—");
  // The provider's collateral is locked from its stake, in OCTO.
  const octo = (column: string) => (row && row[column] !== null ? formatAmount(big(row, column), OCTO) : "—");
  const chunks = numberChunks((r?.chunks ?? []) as ReceiptChunk[]);
  const committee = (d?.committee ?? []) as string[];
  const seats = committeeSeats(committee, votes.data ?? []);

  return (
    <section className="card explorer" data-testid="job-receipt">
      <h1>
        Job #{id}{" "}
        {row && (
          <span className={`state state-${str(row, "status")}`} data-testid="job-state">
            {str(row, "status")}
          </span>
        )}
      </h1>
      <ExplorerNav />
      <ErrorNotice error={job.error} onRetry={() => void job.refetch()} />
      {job.data && !row && <p className="notice">The indexer has no job #{id} (yet).</p>}
      {row && (
        <>
          <dl className="facts">
            <dt>User</dt>
            <dd>
              <AddressLink address={str(row, "user")} />
            </dd>
            <dt>Provider</dt>
            <dd>
              <AddressLink address={str(row, "provider") || str(row, "named_provider")} provider />
            </dd>
            <dt>Model</dt>
            <dd title={str(row, "model_id")}>
              {model.data?.[0] ? str(model.data[0], "name") : str(row, "model_id").slice(0, 10)}
            </dd>
            <dt>Verifiable</dt>
            <dd>{str(row, "verifiable") === "true" ? "yes (greedy, proven output)" : "no"}</dd>
            <dt>Max tokens</dt>
            <dd>{str(row, "max_output_tokens")}</dd>
            <dt>Deadline</dt>
            <dd>{formatDate(big(row, "deadline"))}</dd>
            <dt>Created</dt>
            <dd>
              {formatDate(big(row, "created_at"))} · block {str(row, "created_block")}
            </dd>
            <dt>Released back</dt>
            <dd>{str(row, "releases")} time(s)</dd>
          </dl>
          <h2>Amounts</h2>
          <dl className="facts" data-testid="amounts">
            <dt>Escrow</dt>
            <dd>{amount("escrow")}</dd>
            <dt>Max price / token</dt>
            <dd>{amount("max_price_per_token")}</dd>
            <dt>Price / token</dt>
            <dd>{amount("price_per_token")}</dd>
            <dt>Tokens billed</dt>
            <dd data-testid="tokens">{str(row, "token_count") || "—"}</dd>
            <dt>To the provider</dt>
            <dd>{amount("provider_amount")}</dd>
            <dt>Market fee</dt>
            <dd>{amount("fee_amount")}</dd>
            <dt>Refunded</dt>
            <dd>{amount("refund_amount")}</dd>
            <dt>Collateral</dt>
            <dd>{octo("collateral")}</dd>
            <dt>Collateral slashed</dt>
            <dd>{octo("collateral_slashed")}</dd>
          </dl>
        </>
      )}

      <h2>Steps</h2>
      <table data-testid="steps">
        <thead>
          <tr>
            <th>Step</th>
            <th>By</th>
            <th>Block</th>
            <th>Transaction</th>
            <th>Time (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {(steps.data ?? []).map((s) => (
            <tr key={str(s, "id")} data-testid="step">
              <td>{str(s, "step")}</td>
              <td>
                <AddressLink address={str(s, "actor")} provider={str(s, "actor") !== str(row ?? {}, "user")} />
              </td>
              <td>{str(s, "block_number")}</td>
              <td className="mono" title={str(s, "transaction_hash")}>
                {str(s, "transaction_hash").slice(0, 18)}…
              </td>
              <td>{formatDate(big(s, "timestamp"))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CsvButton name={`job-${id}-steps`} columns={STEP_COLUMNS} rows={steps.data ?? []} />

      {r && (
        <>
          <h2>Receipt</h2>
          <dl className="facts" data-testid="receipt-facts">
            <dt>Output root</dt>
            <dd className="mono">{str(r, "output_root")}</dd>
            <dt>Ciphertext hash</dt>
            <dd className="mono">{str(r, "ciphertext_hash")}</dd>
            <dt>Bytes / tokens</dt>
            <dd>
              {str(r, "byte_length")} bytes · {str(r, "token_count")} tokens in {str(r, "chunk_count")} chunk(s)
            </dd>
            <dt>Challenge ends</dt>
            <dd>{formatDate(big(r, "challenge_end"))}</dd>
            <dt>Submitted</dt>
            <dd>
              block {str(r, "block_number")} · <span className="mono">{str(r, "transaction_hash").slice(0, 18)}…</span>
            </dd>
          </dl>
          <table data-testid="chunks">
            <thead>
              <tr>
                <th>Chunk</th>
                <th>Bytes</th>
                <th>Tokens</th>
                <th>Proven output commitment</th>
              </tr>
            </thead>
            <tbody>
              {chunks.map((c) => (
                <tr key={c.index}>
                  <td>{c.index}</td>
                  <td>{c.byteLength}</td>
                  <td>{c.tokenCount}</td>
                  <td className="mono">{c.outputCommitment.slice(0, 24)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CsvButton name={`job-${id}-chunks`} columns={CHUNK_COLUMNS} rows={chunks} />
        </>
      )}
      {/* Offered whatever the indexer says (it reads the chain); a job without a result fails with the reason. */}
      <h2>Verify</h2>
      <VerifyPanel jobId={jobId} />

      {d && (
        <>
          <h2>Dispute</h2>
          <dl className="facts" data-testid="dispute">
            <dt>Opened by</dt>
            <dd>
              {/* A dispute without a disputer is a random sample: the result's coin (a later block's hash) drew it. */}
              {/^0x0{40}$/.test(str(d, "disputer")) ? "a random sample" : <AddressLink address={str(d, "disputer")} />}
              {" · "}
              {formatDate(big(d, "opened_at"))}
            </dd>
            <dt>Committee</dt>
            <dd>
              {committee.length === 0
                ? "not drawn yet"
                : committee.map((a) => (
                    <span key={a}>
                      <AddressLink address={a} provider />{" "}
                    </span>
                  ))}
            </dd>
            <dt>Votes</dt>
            <dd>
              {str(d, "fault_votes")} provider at fault · {str(d, "clean_votes")} clean
            </dd>
            {d.fraud_chunk !== null && (
              <>
                <dt>Ciphertext mismatch</dt>
                <dd>proven on chunk {str(d, "fraud_chunk")}</dd>
              </>
            )}
          </dl>
          <table data-testid="votes">
            <thead>
              <tr>
                <th>Validator</th>
                <th>Vote</th>
                <th>Block</th>
                <th>Time (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {seats.map((s) => (
                <tr key={s.validator} data-testid="vote" data-vote={s.vote}>
                  <td>
                    <AddressLink address={s.validator} provider />
                  </td>
                  <td>{s.vote}</td>
                  <td>{s.row ? str(s.row, "block_number") : ""}</td>
                  <td>{s.row ? formatDate(big(s.row, "timestamp")) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CsvButton name={`job-${id}-votes`} columns={VOTE_COLUMNS} rows={seats} />
        </>
      )}
      <p className="hint">
        <Link href={`/jobs/${id}`}>Open this job in the app</Link> (the user who paid can read the answer there).
      </p>
    </section>
  );
}

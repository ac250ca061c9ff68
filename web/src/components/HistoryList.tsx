"use client";
// The connected wallet's past jobs. Their answers open on any device with the same wallet: one signature derives the
// user key, and each job's secret follows from it and the job's public nonce (the sdk's recoverJobSecret).
import Link from "next/link";
import { useState, useSyncExternalStore } from "react";
import type { GetJobReturnType } from "@octo/sdk";
import { useHistory } from "../hooks/useHistory.ts";
import { useJobResult } from "../hooks/useJob.ts";
import { usePaymentToken } from "../hooks/useMarketData.ts";
import { useOcto } from "../hooks/useOcto.ts";
import { formatAmount, formatDate, shortAddress } from "../lib/format.ts";
import { secretStore } from "../lib/secretStore.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { WalletNotice } from "./WalletNotice.tsx";

export function HistoryList() {
  const { wallet } = useOcto();
  const history = useHistory(wallet.kind === "ready" ? wallet.address : undefined);
  const [opening, setOpening] = useState<{ pending: boolean; error?: unknown }>({ pending: false });
  const open = () => {
    setOpening({ pending: true });
    history.openAll().then(
      () => setOpening({ pending: false }),
      (error: unknown) => setOpening({ pending: false, error }),
    );
  };
  return (
    <section className="card">
      <h1>Your jobs</h1>
      <WalletNotice purpose="see your jobs" />
      <ErrorNotice error={history.error} onRetry={() => void history.refetch()} />
      {history.data && history.data.length === 0 && (
        <p className="hint">No jobs from this wallet on this market yet.</p>
      )}
      {history.data && history.data.length > 0 && (
        <>
          <button type="button" onClick={open} disabled={opening.pending} data-testid="open-all">
            {opening.pending ? "Waiting for your wallet…" : "Open my answers (one signature)"}
          </button>
          <ErrorNotice error={opening.error} onRetry={open} />
          <table data-testid="history">
            <thead>
              <tr>
                <th>Job</th>
                <th>Status</th>
                <th>Provider</th>
                <th>Escrowed</th>
                <th>Deadline</th>
                <th>Answer</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map(({ created, job }) => (
                <HistoryRow
                  key={created.args.jobId.toString()}
                  jobId={created.args.jobId}
                  job={job}
                  escrow={created.args.escrow}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function HistoryRow({ jobId, job, escrow }: { jobId: bigint; job: GetJobReturnType; escrow: bigint }) {
  const { market } = useOcto();
  useSyncExternalStore(secretStore.subscribe, secretStore.version, () => 0);
  const secret = secretStore.jobSecret(market.chainId, jobId);
  const result = useJobResult(jobId, secret, job.statusName);
  const token = usePaymentToken();
  return (
    <tr>
      <td>
        <Link href={`/jobs/${jobId}`}>#{jobId.toString()}</Link>
      </td>
      <td>{job.statusName}</td>
      <td>{shortAddress(job.provider)}</td>
      <td>{token.data ? formatAmount(escrow, token.data) : escrow.toString()}</td>
      <td>{formatDate(job.deadline)}</td>
      <td data-testid={`history-answer-${jobId}`}>
        {result.data ? result.data.text : secret ? (result.isLoading ? "opening…" : "—") : "sealed"}
      </td>
    </tr>
  );
}

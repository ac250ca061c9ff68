"use client";
// One job, live: the stepper, the answer streaming in from the provider (or, when its stream is unreachable, from the
// chain once posted), the decrypted answer, its receipt checks (and its page in the explorer), the actions that apply
// now, and a dispute's progress once raised.
import Link from "next/link";
import { useState } from "react";
import { useJobAction } from "../hooks/useJobActions.ts";
import { useJobLive, useJobRecord, useJobResult, useReceipt } from "../hooks/useJob.ts";
import { useOcto } from "../hooks/useOcto.ts";
import { useJobSecret } from "../hooks/useSecrets.ts";
import { expiryOf } from "../lib/deadline.ts";
import { disputeProgress } from "../lib/disputeProgress.ts";
import { formatDate, shortAddress } from "../lib/format.ts";
import { retryOf } from "../lib/retryOf.ts";
import { DisputePanel } from "./DisputePanel.tsx";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { ExpiredNotice } from "./ExpiredNotice.tsx";
import { JobStepper } from "./JobStepper.tsx";
import { WalletNotice } from "./WalletNotice.tsx";

export function JobView({ jobId }: { jobId: bigint }) {
  const { wallet } = useOcto();
  const record = useJobRecord(jobId);
  const { secret, recover } = useJobSecret(jobId);
  const [recovering, setRecovering] = useState<{ pending: boolean; error?: unknown }>({ pending: false });
  const live = useJobLive(jobId, secret, record.data?.provider);
  const status = live.status ?? record.data?.statusName;
  const result = useJobResult(jobId, secret, status);
  const receipt = useReceipt(jobId, status);
  const action = useJobAction(jobId, secret);
  const dispute = disputeProgress(live.events);
  const job = record.data;
  // The record refetches every few seconds, so this is re-read often enough to notice a deadline passing.
  const now = Date.now() / 1000;
  const mine = wallet.kind === "ready" && job && job.user.toLowerCase() === wallet.address.toLowerCase();
  const expiry = job ? expiryOf({ status, deadline: job.deadline, now }) : { expired: false as const };

  const open = () => {
    setRecovering({ pending: true });
    recover().then(
      () => setRecovering({ pending: false }),
      (error: unknown) => setRecovering({ pending: false, error }),
    );
  };

  return (
    <section className="card">
      <h1>Job #{jobId.toString()}</h1>
      {record.error && <ErrorNotice error={record.error} onRetry={() => void record.refetch()} />}
      {job && (
        <p className="hint">
          Provider {shortAddress(job.provider)} · at most {job.maxOutputTokens} tokens · deadline{" "}
          {formatDate(job.deadline)}
        </p>
      )}

      <JobStepper progress={live.progress} />
      {expiry.expired && job && (
        <ExpiredNotice
          action={expiry.action}
          deadline={job.deadline}
          canAct={wallet.kind === "ready"}
          pending={action.isPending}
          run={(a) => action.mutate(a)}
        />
      )}
      {live.chainError && <ErrorNotice error={live.chainError} />}

      {!secret && job && (
        <div className="notice">
          <strong>The answer is sealed for the wallet that paid</strong>
          <p>
            {mine
              ? "Sign once with your wallet to derive this job's key (the same signature opens all your jobs)."
              : "Connect the wallet that created this job to read it."}
          </p>
          {mine ? (
            <button type="button" onClick={open} disabled={recovering.pending} data-testid="unlock">
              {recovering.pending ? "Waiting for your wallet…" : "Open with my wallet"}
            </button>
          ) : (
            <WalletNotice purpose="read this job" />
          )}
          <ErrorNotice error={recovering.error} onRetry={open} />
        </div>
      )}

      {secret && (
        <>
          <h2>Answer</h2>
          {live.streamError && !result.data && (
            <p className="notice warn" data-testid="stream-fallback">
              The provider’s live stream is unreachable; the answer will appear when it is posted on-chain.
            </p>
          )}
          {result.data ? (
            <pre className="answer" data-testid="answer">
              {result.data.text}
            </pre>
          ) : (
            <pre className="answer streaming" data-testid="streamed">
              {live.streamed ||
                (status === "Open" ? "Waiting for the provider to claim the job…" : "Waiting for the first tokens…")}
            </pre>
          )}
          {result.data && live.pieces > 0 && (
            <p className={live.streamed === result.data.text ? "hint" : "notice warn"} data-testid="stream-summary">
              Streamed live in {live.pieces} {live.pieces === 1 ? "piece" : "pieces"}:{" "}
              {live.streamed === result.data.text
                ? "same as the proven answer."
                : "it differs from the proven answer; the proven answer is shown."}
            </p>
          )}
          <ErrorNotice error={result.error} onRetry={() => void result.refetch()} />
        </>
      )}

      {receipt.data && (
        <div className="receipt" data-testid="receipt">
          <h2>Receipt {receipt.data.ok ? "✓ proofs verified" : "✗ a check failed"}</h2>
          <p>
            <Link href={`/explorer/jobs/${jobId}`} data-testid="explorer-link">
              This job’s receipt in the explorer
            </Link>
          </p>
          {/* Say exactly what passed: the proofs bind the posted ciphertext, the committed key and the billed tokens to
              this job and provider; whether the answer is the model's rests on stake and re-execution (disputes). */}
          <p className="hint" data-testid="receipt-meaning">
            {receipt.data.ok
              ? "Checked in this browser from chain data: the posted answer is the one the provider proved, encrypted to your key, billed within its length and your maximum. That it is what the model would answer is not proven; it is backed by the provider's stake and a dispute's re-run."
              : "A check below failed: the posted result is not what was proven. Dispute it within the challenge window."}
          </p>
          <ul>
            {receipt.data.checks.map((c) => (
              <li key={c.name} className={c.ok ? "ok" : "bad"}>
                {c.ok ? "✓" : "✗"} {c.name}
              </li>
            ))}
          </ul>
        </div>
      )}
      {receipt.isLoading && status && <p className="hint">Checking the receipt’s proofs…</p>}

      {dispute && job && (
        <DisputePanel
          dispute={dispute}
          status={status}
          provider={job.provider}
          canReveal={!!mine && !!secret}
          canAct={wallet.kind === "ready"}
          pending={action.isPending}
          run={(a) => action.mutate(a)}
        />
      )}

      {mine && job && (
        <div className="actions">
          {status === "Open" && !expiry.expired && (
            <button type="button" onClick={() => action.mutate("cancel")} disabled={action.isPending}>
              Cancel and refund
            </button>
          )}
          {status === "Submitted" && now < job.windowEnd && (
            <button
              type="button"
              onClick={() => action.mutate("dispute")}
              disabled={action.isPending}
              data-testid="dispute-button"
            >
              Dispute the result (until {formatDate(job.windowEnd)})
            </button>
          )}
        </div>
      )}
      <ErrorNotice error={action.error} onRetry={retryOf(action)} />
    </section>
  );
}

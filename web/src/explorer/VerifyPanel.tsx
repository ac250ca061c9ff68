"use client";
// The Verify button and its outcome: each check by name, pass or fail, what was compared and how long it took.
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { CsvButton } from "./CsvButton.tsx";
import { CHECK_COLUMNS } from "./tableCsv.ts";
import { useVerifyReceipt } from "./useVerifyReceipt.ts";

export function VerifyPanel({ jobId }: { jobId: bigint }) {
  const verify = useVerifyReceipt(jobId);
  const outcome = verify.data;
  return (
    <div className="verify" data-testid="verify-panel">
      <button
        type="button"
        className="primary"
        onClick={() => verify.mutate()}
        disabled={verify.isPending}
        data-testid="verify"
      >
        {verify.isPending ? "Verifying in this browser…" : outcome ? "Verify again" : "Verify"}
      </button>
      <p className="hint">
        Re-checks from the chain, in this browser: every chunk’s Groth16 proof (snarkjs, the published verification
        key), the posted ciphertext against its proven digest, and the roots and counts the market recorded. Nothing
        here is taken from the indexer.
      </p>
      <ErrorNotice error={verify.error} onRetry={() => verify.mutate()} />
      {outcome && (
        <div
          className={`verdict ${outcome.ok ? "ok" : "bad"}`}
          data-testid="verify-result"
          data-ok={String(outcome.ok)}
          data-ms={outcome.totalMs.toFixed(1)}
          data-chunks={outcome.result.chunks.length}
        >
          <strong>
            {outcome.ok ? "✓ Every check passed" : `✗ ${outcome.checks.filter((c) => !c.ok).length} check(s) failed`} ·{" "}
            {outcome.checks.length} checks, {outcome.result.chunks.length} chunk(s), {outcome.totalMs.toFixed(0)} ms
          </strong>
          <table>
            <thead>
              <tr>
                <th>Check</th>
                <th>Result</th>
                <th>ms</th>
                <th>Compared</th>
              </tr>
            </thead>
            <tbody>
              {outcome.checks.map((c) => (
                <tr key={c.name} className={c.ok ? "ok" : "bad"} data-testid={`check-${c.name}`} data-ok={String(c.ok)}>
                  <td>{c.name}</td>
                  <td>{c.ok ? "✓ pass" : "✗ FAIL"}</td>
                  <td>{c.ms.toFixed(1)}</td>
                  <td className="details">{c.details}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CsvButton name={`job-${jobId}-checks`} columns={CHECK_COLUMNS} rows={outcome.checks} />
        </div>
      )}
    </div>
  );
}

"use client";
// The explorer's Verify: the sdk's verifyReceipt run in this browser against the chain (not the indexer): every
// chunk's Groth16 proof with snarkjs and the published verification key, each chunk's posted ciphertext against its
// proven digest, and the roots and counts against the job's stored record. Timed as a whole for the page.
import { useMutation } from "@tanstack/react-query";
import { verifyReceipt, type VerifyReceiptReturnType } from "@octo/sdk";
import { useOcto } from "../hooks/useOcto.ts";

export type VerifyOutcome = VerifyReceiptReturnType & { totalMs: number };

export function useVerifyReceipt(jobId: bigint) {
  const { market, reader } = useOcto();
  return useMutation<VerifyOutcome>({
    mutationFn: async () => {
      if (!reader) throw new Error("No RPC client for this chain yet.");
      const started = performance.now();
      const outcome = await verifyReceipt(reader, { deployments: market.deployments, jobId });
      return { ...outcome, totalMs: performance.now() - started };
    },
  });
}

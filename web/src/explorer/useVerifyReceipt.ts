"use client";
// The explorer's Verify: the sdk's verifyReceipt run in this browser against the chain (not the indexer): every
// chunk's Groth16 proof with snarkjs and the published verification key, each chunk's posted ciphertext against its
// proven digest, and the roots and counts against the job's stored record. Timed as a whole for the page, as a visitor
// meets it: the first click also fetches the sdk's cryptography (loadSdkCrypto) and snarkjs.
import { useMutation } from "@tanstack/react-query";
import type { VerifyReceiptReturnType } from "@octo/sdk";
import { useOcto } from "../hooks/useOcto.ts";
import { loadSdkCrypto } from "../lib/loadSdkCrypto.ts";

export type VerifyOutcome = VerifyReceiptReturnType & { totalMs: number };

export function useVerifyReceipt(jobId: bigint) {
  const { market, reader } = useOcto();
  return useMutation<VerifyOutcome>({
    mutationFn: async () => {
      if (!reader) throw new Error("No RPC client for this chain yet.");
      const started = performance.now();
      const { verifyReceipt } = await loadSdkCrypto();
      const outcome = await verifyReceipt(reader, { deployments: market.deployments, jobId });
      return { ...outcome, totalMs: performance.now() - started };
    },
  });
}

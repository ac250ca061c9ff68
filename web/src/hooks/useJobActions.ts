"use client";
// The actions on a job: cancel while open, reclaim after a missed deadline, dispute within the challenge window (the
// user's); then the dispute's own steps: draw the committee once the draw block is mined (anyone), reveal the job
// secret to it (the user or the provider), and settle the job once the dispute is over (anyone).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { cancelJob, dispute, drawCommittee, jobMarketAbi, reclaim } from "@octo/sdk";
import { loadSdkCrypto } from "../lib/loadSdkCrypto.ts";
import { sendContract } from "../lib/sendContract.ts";
import { useOcto } from "./useOcto.ts";

export type JobAction = "cancel" | "reclaim" | "dispute" | "drawCommittee" | "revealJobSecret" | "settle";

export function useJobAction(jobId: bigint, jobSecret: Uint8Array | undefined) {
  const { market, wallet } = useOcto();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: JobAction) => {
      if (wallet.kind !== "ready") throw new Error("connect a wallet on this market's network first");
      const client = wallet.client;
      const parameters = { deployments: market.deployments, jobId };
      switch (action) {
        case "cancel":
          return (await cancelJob(client, parameters)).hash;
        case "reclaim":
          return (await reclaim(client, parameters)).hash;
        case "dispute":
          return (await dispute(client, parameters)).hash;
        case "drawCommittee":
          return (await drawCommittee(client, parameters)).hash;
        case "revealJobSecret":
          if (!jobSecret) throw new Error("open the job with your wallet first: the reveal wraps its secret");
          return (await (await loadSdkCrypto()).revealJobSecret(client, { ...parameters, jobSecret })).hash;
        case "settle":
          // No sdk action: finalize is one call that anyone may make once the dispute is over.
          return sendContract(client, {
            account: wallet.address,
            address: market.deployments.contracts.JobMarket.address,
            abi: jobMarketAbi,
            functionName: "finalize",
            args: [jobId],
          });
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["octo", market.chainId, "job", jobId] }),
  });
}

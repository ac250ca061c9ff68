"use client";
// The actions a job's user may take, each one sdk call: cancel while open, reclaim after a missed deadline, dispute
// within the challenge window.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { cancelJob, dispute, reclaim } from "@octo/sdk";
import { useOcto } from "./useOcto.ts";

export type JobAction = "cancel" | "reclaim" | "dispute";

export function useJobAction(jobId: bigint) {
  const { market, wallet } = useOcto();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: JobAction) => {
      if (wallet.kind !== "ready") throw new Error("connect a wallet on this market's network first");
      const parameters = { deployments: market.deployments, jobId };
      if (action === "cancel") return (await cancelJob(wallet.client, parameters)).hash;
      if (action === "reclaim") return (await reclaim(wallet.client, parameters)).hash;
      return (await dispute(wallet.client, parameters)).hash;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["octo", market.chainId, "job", jobId] }),
  });
}

"use client";
// Paying for a job: the user key (one signature, skipped when this tab has it), then the sdk's createJob, which seals
// the input to the chosen provider and escrows the most the job can cost (approve, permit, or from the balance in the market). The job's secret stays
// in this tab's memory for the job page. createJob comes with the sdk's cryptography (loadSdkCrypto), fetched once a
// wallet is ready so that Pay does not wait for it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { Address, Hex } from "viem";
import { selectProvider, type JobInput } from "@octo/sdk";
import type { Payment } from "../lib/cost.ts";
import { loadSdkCrypto } from "../lib/loadSdkCrypto.ts";
import { selectionPolicy, type Routing } from "../lib/routing.ts";
import { secretStore } from "../lib/secretStore.ts";
import { useOcto } from "./useOcto.ts";
import { useUserKey } from "./useSecrets.ts";

export type CreateJobRequest = {
  input: JobInput;
  modelId: Hex;
  paymentToken: Address;
  routing: Routing;
  maxOutputTokens: number;
  maxPricePerToken: bigint;
  minFreeStake: bigint;
  payment: Payment;
};

export function useCreateJob() {
  const { market, wallet } = useOcto();
  const { unlock } = useUserKey();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (wallet.kind === "ready") void loadSdkCrypto();
  }, [wallet.kind]);
  return useMutation({
    mutationFn: async (request: CreateJobRequest) => {
      if (wallet.kind !== "ready") throw new Error("connect a wallet on this market's network first");
      const { deployments } = market;
      const offer = await selectProvider(wallet.client, {
        deployments,
        modelId: request.modelId,
        paymentToken: request.paymentToken,
        policy: selectionPolicy(request.routing),
        minTier: request.routing.minTier,
        maxPricePerToken: request.maxPricePerToken,
        minFreeStake: request.minFreeStake,
      });
      const userKey = await unlock();
      const { createJob } = await loadSdkCrypto();
      const job = await createJob(wallet.client, {
        deployments,
        input: request.input,
        modelId: request.modelId,
        paymentToken: request.paymentToken,
        provider: offer.provider,
        maxOutputTokens: request.maxOutputTokens,
        maxPricePerToken: offer.pricePerToken,
        minTier: request.routing.minTier,
        userKey,
        payment: request.payment,
      });
      secretStore.setJobSecret(market.chainId, job.jobId, job.jobSecret);
      return { jobId: job.jobId, provider: offer.provider, hash: job.hash };
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["octo", market.chainId] }),
  });
}

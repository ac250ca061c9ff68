"use client";
// Every job the connected wallet created on this market (its JobCreated events, the user being indexed), newest
// first, with its current record; and `openAll` to recover every job's secret from the one user key.
import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Address } from "viem";
import { getContractEvents } from "viem/actions";
import { getJob, jobMarketAbi } from "@octo/sdk";
import { loadSdkCrypto } from "../lib/loadSdkCrypto.ts";
import { secretStore } from "../lib/secretStore.ts";
import { useOcto } from "./useOcto.ts";
import { useUserKey } from "./useSecrets.ts";

export function useHistory(user: Address | undefined) {
  const { market, reader } = useOcto();
  const { unlock } = useUserKey();
  const query = useQuery({
    queryKey: ["octo", market.chainId, "history", user],
    queryFn: async () => {
      const { address, deployedOnBlock } = market.deployments.contracts.JobMarket;
      const created = await getContractEvents(reader!, {
        address,
        abi: jobMarketAbi,
        eventName: "JobCreated",
        args: { user: user! },
        fromBlock: deployedOnBlock,
        strict: true,
      });
      const jobs = await Promise.all(
        created.map(async (e) => ({
          created: e,
          job: await getJob(reader!, { deployments: market.deployments, jobId: e.args.jobId }),
        })),
      );
      return jobs.reverse();
    },
    enabled: !!reader && !!user,
    refetchInterval: 10_000,
  });
  const openAll = useCallback(async () => {
    const userKey = await unlock();
    for (const { created } of query.data ?? []) {
      const jobId = created.args.jobId;
      if (secretStore.jobSecret(market.chainId, jobId)) continue;
      secretStore.setJobSecret(
        market.chainId,
        jobId,
        await (await loadSdkCrypto()).recoverJobSecret(reader!, { deployments: market.deployments, jobId, userKey }),
      );
    }
  }, [unlock, query.data, market, reader]);
  return { ...query, openAll };
}

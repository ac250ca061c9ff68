"use client";
import { useCallback, useSyncExternalStore } from "react";
import type { UserKey } from "@octo/sdk";
import { loadSdkCrypto } from "../lib/loadSdkCrypto.ts";
import { secretStore } from "../lib/secretStore.ts";
import { useOcto } from "./useOcto.ts";

/** The connected account's user key for this market when this tab has it, and `unlock` to ask the wallet for it
 *  (one signature, the same every time: the key of every past and future job). */
export function useUserKey() {
  useSyncExternalStore(secretStore.subscribe, secretStore.version, () => 0);
  const { market, wallet } = useOcto();
  const key = wallet.kind === "ready" ? secretStore.userKey(market.chainId, wallet.address) : undefined;
  const unlock = useCallback(async (): Promise<UserKey> => {
    if (wallet.kind !== "ready")
      throw new Error(wallet.kind === "wrongNetwork" ? "wrong network" : "no wallet connected");
    const have = secretStore.userKey(market.chainId, wallet.address);
    if (have) return have;
    const { getUserKey } = await loadSdkCrypto();
    const userKey = await getUserKey(wallet.client, { deployments: market.deployments });
    secretStore.setUserKey(market.chainId, wallet.address, userKey);
    return userKey;
  }, [market, wallet]);
  return { userKey: key, unlock };
}

/** A job's secret when this tab has it (created here, or recovered), and `recover` to derive it from the user key. */
export function useJobSecret(jobId: bigint) {
  useSyncExternalStore(secretStore.subscribe, secretStore.version, () => 0);
  const { market, reader } = useOcto();
  const { unlock } = useUserKey();
  const secret = secretStore.jobSecret(market.chainId, jobId);
  const recover = useCallback(async () => {
    if (!reader) throw new Error("no connection to the chain");
    const userKey = await unlock();
    const { recoverJobSecret } = await loadSdkCrypto();
    const jobSecret = await recoverJobSecret(reader, { deployments: market.deployments, jobId, userKey });
    secretStore.setJobSecret(market.chainId, jobId, jobSecret);
    return jobSecret;
  }, [market, reader, unlock, jobId]);
  return { secret, recover };
}

"use client";
// One job as its page follows it: the chain's record (getJob), its events and status as they are mined and its live
// output from the provider's stream (watchJob), the decrypted result once posted (openResult) and its receipt
// (verifyReceipt). The last three come with the sdk's cryptography (loadSdkCrypto), loaded after the page's first
// render: the record is shown without it. A stream that cannot be reached is reported and the page falls back to the
// chain.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { zeroAddress, type Address } from "viem";
import { getJob, type JobEvent, type JobStatusName } from "@octo/sdk";
import { loadSdkCrypto } from "../lib/loadSdkCrypto.ts";
import { progressOf } from "../lib/stepper.ts";
import { useAppConfig } from "./useAppConfig.tsx";
import { useOcto } from "./useOcto.ts";

export function useJobRecord(jobId: bigint) {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "job", jobId],
    queryFn: () => getJob(reader!, { deployments: market.deployments, jobId }),
    enabled: !!reader,
    refetchInterval: 3_000,
  });
}

export type Live = {
  status: JobStatusName | undefined;
  events: JobEvent[];
  streamed: string;
  pieces: number;
  streamEnded: boolean;
  streamError: Error | undefined;
  chainError: Error | undefined;
  firstPieceAt: number | undefined;
};

const EMPTY: Live = {
  status: undefined,
  events: [],
  streamed: "",
  pieces: 0,
  streamEnded: false,
  streamError: undefined,
  chainError: undefined,
  firstPieceAt: undefined,
};

/** Follows the job while the page is open. Needs its secret for the stream; the chain's side runs without it. */
export function useJobLive(jobId: bigint, jobSecret: Uint8Array | undefined, provider: Address | undefined) {
  const { market, reader, wallet } = useOcto();
  const { config } = useAppConfig();
  const [live, setLive] = useState<Live>(EMPTY);
  const streamUrl = provider && provider !== zeroAddress ? config.streamUrls[provider.toLowerCase()] : undefined;
  const client = wallet.kind === "ready" ? wallet.client : reader;
  useEffect(() => {
    if (!client) return;
    setLive(EMPTY);
    let stop: (() => void) | undefined;
    let stopped = false;
    loadSdkCrypto().then(
      ({ watchJob }) => {
        if (stopped) return;
        stop = watchJob(client, {
          deployments: market.deployments,
          jobId,
          // Without the secret there is nothing to open or deliver: statuses only.
          jobSecret: jobSecret ?? new Uint8Array(32),
          deliverKey: jobSecret !== undefined && wallet.kind === "ready",
          streamUrl: jobSecret ? streamUrl : undefined,
          pollingInterval: 500,
          onEvent: (event) => setLive((l) => ({ ...l, events: [...l.events, event] })),
          onStatus: (status) => setLive((l) => ({ ...l, status, chainError: undefined })),
          onPiece: ({ text }) =>
            setLive((l) => ({
              ...l,
              streamed: l.streamed + text,
              pieces: l.pieces + 1,
              firstPieceAt: l.firstPieceAt ?? performance.now(),
            })),
          onStreamEnd: () => setLive((l) => ({ ...l, streamEnded: true })),
          // The stream's failures are plain fetch errors or StreamError; the chain's come wrapped by viem.
          onError: (error) =>
            setLive((l) => (isStreamError(error) ? { ...l, streamError: error } : { ...l, chainError: error })),
        });
      },
      (error: unknown) =>
        setLive((l) => ({ ...l, chainError: error instanceof Error ? error : new Error(String(error)) })),
    );
    return () => {
      stopped = true;
      stop?.();
    };
    // The client object changes identity on every wallet re-render; the chain and the wallet's state are what matter.
  }, [market.chainId, jobId, jobSecret, streamUrl, wallet.kind]);
  return { ...live, progress: progressOf(live), streamUrl };
}

function isStreamError(error: Error) {
  return error.name === "StreamError" || error.name === "TypeError" || error.name === "AbortError";
}

const WITH_RESULT = new Set<JobStatusName>(["Submitted", "Disputed", "Finalized", "Refunded", "Slashed"]);

/** The decrypted result, once the job has one and the secret is at hand. */
export function useJobResult(jobId: bigint, jobSecret: Uint8Array | undefined, status: JobStatusName | undefined) {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "result", jobId, !!jobSecret],
    queryFn: async () =>
      (await loadSdkCrypto()).openResult(reader!, { deployments: market.deployments, jobId, jobSecret: jobSecret! }),
    enabled: !!reader && !!jobSecret && !!status && WITH_RESULT.has(status),
    staleTime: Infinity,
  });
}

/** The receipt, checked as an auditor would from chain data alone: each check by name. */
export function useReceipt(jobId: bigint, status: JobStatusName | undefined) {
  const { market, reader } = useOcto();
  return useQuery({
    queryKey: ["octo", market.chainId, "receipt", jobId],
    queryFn: async () => (await loadSdkCrypto()).verifyReceipt(reader!, { deployments: market.deployments, jobId }),
    enabled: !!reader && !!status && WITH_RESULT.has(status),
    staleTime: Infinity,
  });
}

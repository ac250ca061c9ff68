"use client";
// The provider's worker, as its ops server reports it (GET /health: ok, degraded or down, per component, and the last
// error). The worker runs as a CLI daemon on the operator's machine; the dashboard only reads what it serves, from the
// browser (the worker allows any origin on /health). The URL is remembered in this browser.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useState } from "react";

export type WorkerHealthReport = {
  status: "ok" | "degraded" | "down";
  components: Record<string, { status: "ok" | "degraded" | "down"; detail?: unknown }>;
  lastError: { component: string; message: string; at: string } | null;
};

const storageKey = "octo.workerOpsUrl";

export class WorkerUnreachableError extends Error {
  override name = "WorkerUnreachableError";
}

export function useWorkerOpsUrl() {
  const [url, setUrlState] = useState(() =>
    typeof localStorage === "undefined" ? "" : (localStorage.getItem(storageKey) ?? ""),
  );
  const setUrl = useCallback((next: string) => {
    setUrlState(next);
    localStorage.setItem(storageKey, next);
  }, []);
  return [url, setUrl] as const;
}

export function useWorkerHealth(opsUrl: string) {
  return useQuery({
    queryKey: ["workerHealth", opsUrl],
    queryFn: async (): Promise<WorkerHealthReport> => {
      let response: Response;
      try {
        response = await fetch(new URL("/health", opsUrl), { cache: "no-store" });
      } catch (cause) {
        throw new WorkerUnreachableError(
          `The worker at ${opsUrl} did not answer: is it running, with its ops server on this address?`,
          { cause },
        );
      }
      // 503 is the worker's own "down" report, with its body.
      if (!response.ok && response.status !== 503)
        throw new WorkerUnreachableError(`${opsUrl}/health answered ${response.status}: is this the worker's ops URL?`);
      return (await response.json()) as WorkerHealthReport;
    },
    enabled: /^https?:\/\/.+/.test(opsUrl),
    refetchInterval: 5_000,
    retry: false,
  });
}

/**
 * A viem transport over several RPC URLs that sticks to the one that works and moves on only when a node cannot be
 * reached (connection refused or reset, timeout, HTTP 5xx/429, socket closed, "limit exceeded"). JSON-RPC answers
 * such as a revert or "nonce too low" are returned as they are: another node would say the same.
 *
 * API:
 *   failoverTransport(urls, { timeoutMs?, retryCount?, onFailover? }): FailoverTransport
 *   transport.value.currentUrl()         the URL now in use (after the client is created)
 *   isUnreachableError(error): boolean    the classification above
 *
 * http(s) URLs use viem's `http`, ws(s) URLs its `webSocket`. Retrying after every URL failed is the caller's job
 * (the watcher backs off; the sender surfaces the error).
 */
import {
  BaseError as ViemBaseError,
  createTransport,
  HttpRequestError,
  http,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  type Transport,
  WebSocketRequestError,
  webSocket,
} from "viem";

export type FailoverTransportParameters = {
  /** Per request, per URL. Default 10 s. */
  timeoutMs?: number | undefined;
  /** viem's own retries of the whole (all-URL) request. Default 0: the caller decides. */
  retryCount?: number | undefined;
  onFailover?: ((event: { from: string; to: string; error: unknown }) => void) | undefined;
};
export type FailoverTransport = Transport<"failover", { currentUrl: () => string; urls: readonly string[] }>;

export function failoverTransport(
  urls: readonly string[],
  parameters: FailoverTransportParameters = {},
): FailoverTransport {
  if (urls.length === 0) throw new Error("failoverTransport: at least one URL is needed");
  const { timeoutMs = 10_000, retryCount = 0, onFailover } = parameters;
  const factories = urls.map((url) =>
    /^wss?:/i.test(url)
      ? webSocket(url, { retryCount: 0, timeout: timeoutMs })
      : http(url, { retryCount: 0, timeout: timeoutMs }),
  );
  let current = 0;

  return ({ chain }) => {
    const transports = factories.map((factory) => factory({ chain, retryCount: 0, timeout: timeoutMs }));
    return createTransport(
      {
        key: "failover",
        name: "Failover",
        type: "failover",
        retryCount,
        timeout: timeoutMs,
        async request({ method, params }, options) {
          const start = current;
          let lastError: unknown;
          for (let k = 0; k < transports.length; k++) {
            const i = (start + k) % transports.length;
            try {
              const result = await (transports[i] as (typeof transports)[number]).request({ method, params }, options);
              if (i !== current) {
                onFailover?.({ from: urls[current] as string, to: urls[i] as string, error: lastError });
                current = i;
              }
              return result as never;
            } catch (error) {
              if (!isUnreachableError(error)) throw error;
              lastError = error;
            }
          }
          throw lastError;
        },
      },
      { currentUrl: () => urls[current] as string, urls },
    );
  };
}

export function isUnreachableError(error: unknown): boolean {
  const match = (e: unknown): boolean => {
    if (e instanceof TimeoutError || e instanceof SocketClosedError || e instanceof WebSocketRequestError) return true;
    if (e instanceof HttpRequestError) return e.status === undefined || e.status >= 500 || e.status === 429;
    if (e instanceof RpcRequestError) return e.code === -32005 /* limit exceeded */ || e.code === 429;
    return false;
  };
  if (match(error)) return true;
  return error instanceof ViemBaseError ? Boolean(error.walk(match)) : false;
}

// A small JSON request with a hard timeout, for the control endpoints of an OpenAI-compatible server.
import { EngineRequestError, EngineTimeoutError, EngineUnavailableError } from "./errors.ts";

export type RequestJsonParameters = {
  url: string;
  method?: "GET" | "POST";
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
};

export type RequestJsonReturnType = { status: number; json: unknown };

/**
 * Resolves with the status and parsed body (null when empty or not JSON) for any HTTP status; rejects with
 * EngineUnavailableError when nothing answers and EngineTimeoutError when the answer takes longer than `timeoutMs`.
 */
export async function requestJson({
  url,
  method = "GET",
  body,
  timeoutMs,
  signal,
}: RequestJsonParameters): Promise<RequestJsonReturnType> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(url, {
      method,
      signal: combined,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json };
  } catch (cause) {
    if (timeout.aborted) throw new EngineTimeoutError(`${method} ${url}`, timeoutMs, { cause });
    if (signal?.aborted) throw new EngineRequestError(`${method} ${url} aborted`, { cause });
    throw new EngineUnavailableError(`${method} ${url} failed`, { cause });
  }
}

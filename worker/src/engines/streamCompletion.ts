// One completion from an OpenAI-compatible server (vLLM, or our openaiCompatServer) over `/v1/completions` with
// `stream: true`: text pieces go to `onToken` as they arrive; usage gives the exact token counts.
// A dead server never hangs a job: a dropped connection, the supervisor's crash signal, or a silent stream (no event
// within the timeouts) each reject with a typed error.
import {
  EngineCrashedError,
  EngineError,
  EngineRequestError,
  EngineTimeoutError,
  EngineUnavailableError,
  GenerationAbortedError,
  PromptTooLongError,
} from "./errors.ts";
import { parseSse } from "./parseSse.ts";
import type { FinishReason, GenerateParameters, GenerateReturnType, OnToken } from "./types.ts";

export type StreamCompletionParameters = GenerateParameters & {
  /** e.g. http://127.0.0.1:8000 (no trailing /v1) */
  baseUrl: string;
  /** The served model name. */
  model: string;
  onToken?: OnToken;
  /** Aborted by the supervisor when the server process exits: the request fails with EngineCrashedError at once. */
  crashSignal?: AbortSignal;
  /** Longest wait for the first event (queueing + prompt processing). */
  firstTokenTimeoutMs: number;
  /** Longest silence between two events once streaming. */
  idleTimeoutMs: number;
};

type CompletionChunk = {
  choices?: Array<{ text?: string; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string } | string;
  object?: string;
  message?: string;
};

export async function streamCompletion(parameters: StreamCompletionParameters): Promise<GenerateReturnType> {
  const { baseUrl, model, prompt, maxTokens, temperature, topP, seed, signal, crashSignal, onToken } = parameters;
  const pieces: string[] = [];
  let events = 0;
  let finishReason: FinishReason | undefined;
  let usage: { prompt: number; completion: number } | undefined;
  let done = false;

  const internal = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let timedOut: EngineTimeoutError | undefined;
  const arm = (ms: number, what: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = new EngineTimeoutError(what, ms);
      internal.abort(timedOut);
    }, ms);
  };
  const signals = [internal.signal, ...(signal ? [signal] : []), ...(crashSignal ? [crashSignal] : [])];
  const combined = AbortSignal.any(signals);
  const failure = (cause: unknown): EngineError => {
    if (signal?.aborted)
      return new GenerationAbortedError({ text: pieces.join(""), tokens: events, cause: signal.reason });
    if (crashSignal?.aborted)
      return new EngineCrashedError("engine process exited during the request", { cause: crashSignal.reason });
    if (timedOut) return timedOut;
    if (cause instanceof EngineError) return cause;
    return new EngineCrashedError("connection to the engine broke during the request", { cause });
  };

  try {
    arm(parameters.firstTokenTimeoutMs, "waiting for the first token");
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/v1/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({
          model,
          prompt,
          max_tokens: maxTokens,
          temperature,
          ...(topP === undefined ? {} : { top_p: topP }),
          seed,
          stream: true,
          stream_options: { include_usage: true },
        }),
        signal: combined,
      });
    } catch (cause) {
      if (signal?.aborted || crashSignal?.aborted || timedOut) throw failure(cause);
      throw new EngineUnavailableError(`no answer from ${baseUrl}`, { cause });
    }
    if (!response.ok) throw await httpError(response, maxTokens);
    if (!response.body) throw new EngineCrashedError("empty response body");

    for await (const data of parseSse(response.body)) {
      arm(parameters.idleTimeoutMs, "waiting for the next token");
      if (data === "[DONE]") {
        done = true;
        break;
      }
      let chunk: CompletionChunk;
      try {
        chunk = JSON.parse(data) as CompletionChunk;
      } catch (cause) {
        throw new EngineCrashedError("malformed event in the completion stream", {
          cause,
          details: data.slice(0, 200),
        });
      }
      if (chunk.error !== undefined || chunk.object === "error") {
        const message =
          typeof chunk.error === "string" ? chunk.error : (chunk.error?.message ?? chunk.message ?? "unknown");
        throw new EngineError(`engine reported an error mid-stream: ${message}`);
      }
      const choice = chunk.choices?.[0];
      if (choice?.text) {
        events++;
        pieces.push(choice.text);
        onToken?.(choice.text, pieces.length - 1);
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason === "stop" ? "stop" : "length";
      if (chunk.usage && typeof chunk.usage.completion_tokens === "number")
        usage = { prompt: chunk.usage.prompt_tokens ?? 0, completion: chunk.usage.completion_tokens };
    }
    if (!done) throw new EngineCrashedError("completion stream ended before [DONE]");
    if (!usage) throw new EngineCrashedError("server did not report token usage (stream_options.include_usage)");
    if (!finishReason) throw new EngineCrashedError("server did not report a finish reason");
    return { text: pieces.join(""), promptTokens: usage.prompt, tokens: usage.completion, finishReason };
  } catch (error) {
    throw failure(error);
  } finally {
    clearTimeout(timer);
    if (!done) internal.abort(); // closes the connection, so the server stops generating for nobody
  }
}

async function httpError(response: Response, maxTokens: number): Promise<EngineError> {
  const text = await response.text().catch(() => "");
  let message = text;
  try {
    const body = JSON.parse(text) as { message?: string; error?: { message?: string } | string };
    message = body.message ?? (typeof body.error === "string" ? body.error : body.error?.message) ?? text;
  } catch {
    // not JSON: keep the raw text
  }
  if (response.status === 400 && /maximum context length|context length|too long/i.test(message)) {
    // vLLM: "This model's maximum context length is 2048 tokens. However, you requested 2100 tokens (2000 in the
    // messages, 100 in the completion)…"
    const context = /maximum context length is (\d+)/i.exec(message)?.[1];
    const prompt = /\((\d+) in the (?:messages|prompt)/i.exec(message)?.[1];
    return new PromptTooLongError({
      promptTokens: prompt ? Number(prompt) : Number.NaN,
      maxTokens,
      contextSize: context ? Number(context) : Number.NaN,
    });
  }
  if (response.status >= 500)
    return new EngineUnavailableError(`engine answered HTTP ${response.status}`, { details: message.slice(0, 500) });
  return new EngineRequestError(`engine rejected the request: HTTP ${response.status}`, {
    status: response.status,
    details: message.slice(0, 500),
  });
}

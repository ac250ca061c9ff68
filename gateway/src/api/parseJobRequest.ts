// From a request body to what the gateway asks of the market: the job input (chat messages travel structured, a
// prompt as itself), the limits, the routing and the wait mode. Everything a job cannot honour is refused here, before
// anything touches the chain.
import type { DecodingParameters, JobInput, SelectionPolicy } from "@octo/sdk";
import type { z } from "zod";
import { GatewayError, invalidRequest } from "../errors/GatewayError.ts";
import { chatRequestSchema, completionRequestSchema, refusedParameter } from "./requestSchemas.ts";

export type CompletionKind = "chat" | "text";
export type WaitMode = "streamed" | "submitted" | "finalized";

export type JobRequest = {
  kind: CompletionKind;
  model: string;
  input: JobInput;
  /** UTF-8 bytes of the input's text, to refuse prompts no context can hold before paying for them. */
  promptBytes: number;
  /** Undefined: the gateway's default, capped by the provider's context. */
  maxTokens: number | undefined;
  stop: string[];
  stream: boolean;
  includeUsage: boolean;
  policy: SelectionPolicy;
  minTier: number;
  maxPricePerToken: bigint | undefined;
  verifiable: boolean;
  wait: WaitMode;
  user: string | undefined;
};

export function parseJobRequest(kind: CompletionKind, body: unknown): JobRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw invalidRequest("the request body must be a JSON object");
  const refused = refusedParameter(body as Record<string, unknown>);
  if (refused)
    throw new GatewayError(`'${refused.param}' is not supported: ${refused.reason}`, {
      status: 400,
      type: "invalid_request_error",
      code: "unsupported_parameter",
      param: refused.param,
    });

  const parsed = kind === "chat" ? chatRequestSchema.safeParse(body) : completionRequestSchema.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  const r = parsed.data;
  if (r.n !== undefined && r.n !== null && r.n > 1)
    throw new GatewayError("'n' greater than 1 is not supported: one request is one market job", {
      status: 400,
      type: "invalid_request_error",
      code: "unsupported_parameter",
      param: "n",
    });

  const verifiable = r.octo?.verifiable ?? true;
  const decoding = decodingOf(r, verifiable);

  let input: JobInput;
  let text: string;
  if ("messages" in r) {
    const messages = r.messages.map((m) => ({
      role: m.role === "developer" ? ("system" as const) : m.role,
      content: typeof m.content === "string" ? m.content : m.content.map((p) => p.text).join(""),
    }));
    input = { messages, decoding };
    text = messages.map((m) => m.content).join("");
  } else {
    text = typeof r.prompt === "string" ? r.prompt : r.prompt[0]!;
    input = { prompt: text, decoding };
  }
  const maxTokens = ("max_completion_tokens" in r ? r.max_completion_tokens : undefined) ?? r.max_tokens ?? undefined;
  const routing = r.octo?.provider ? { provider: r.octo.provider } : (r.octo?.routing ?? "cheapest");
  return {
    kind,
    model: r.model,
    input,
    promptBytes: new TextEncoder().encode(text).length,
    maxTokens,
    stop: r.stop === undefined || r.stop === null ? [] : typeof r.stop === "string" ? [r.stop] : r.stop,
    stream: r.stream ?? false,
    includeUsage: r.stream_options?.include_usage ?? false,
    policy: routing,
    minTier: r.octo?.min_tier ?? 0,
    maxPricePerToken: r.octo?.max_price_per_token,
    verifiable,
    wait: r.octo?.wait ?? "submitted",
    user: r.user,
  };
}

/**
 * The job's decoding. A verifiable job is greedy (a committee re-runs it), so a verifiable request that asks for
 * sampling is refused rather than answered greedily. A job that is not verifiable samples as asked: `temperature`
 * (greedy when omitted or 0: the gateway's default in both modes, unlike OpenAI's 1), `top_p`, `seed` (the job id
 * when omitted). Undefined: greedy.
 */
function decodingOf(
  r: { temperature?: number | null; top_p?: number | null; seed?: number | null },
  verifiable: boolean,
): DecodingParameters | undefined {
  const temperature = r.temperature ?? 0;
  if (verifiable) {
    const sampled = temperature !== 0 ? "temperature" : (r.top_p ?? 1) !== 1 ? "top_p" : undefined;
    if (sampled)
      throw new GatewayError(
        `'${sampled}' asks for sampling, but verifiable jobs decode greedily (temperature 0) so that a committee can re-run them: omit it, set it to ${sampled === "temperature" ? 0 : 1}, or send octo.verifiable = false`,
        { status: 400, type: "invalid_request_error", code: "sampling_not_verifiable", param: sampled },
      );
    return undefined;
  }
  if (temperature === 0) return undefined;
  const seed = r.seed ?? undefined;
  if (seed !== undefined && !(seed >= 0 && seed < 2 ** 31))
    throw invalidRequest(`'seed' must be between 0 and ${2 ** 31 - 1} for a sampled job`, "invalid_request", "seed");
  return {
    temperature,
    ...(r.top_p === undefined || r.top_p === null ? {} : { topP: r.top_p }),
    ...(seed === undefined ? {} : { seed }),
  };
}

function fromZod(error: z.ZodError): GatewayError {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const param = [...issue.path.map(String), issue.keys[0]!].join(".");
    return new GatewayError(`unknown parameter '${param}'`, {
      status: 400,
      type: "invalid_request_error",
      code: "unsupported_parameter",
      param,
    });
  }
  const param = issue.path.map(String).join(".");
  return invalidRequest(`${param ? `'${param}': ` : ""}${issue.message}`, "invalid_request", param || undefined);
}

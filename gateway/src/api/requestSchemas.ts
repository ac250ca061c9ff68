// The two request bodies the gateway takes, as zod schemas: OpenAI's chat and completion parameters that a market job
// can honour, plus the `octo` field (routing, verifiability, how long to wait). Parameters a job cannot honour are not
// in the schemas: `refusedParameter` names them so the client gets a clear error instead of a silent default.
import { isAddress, type Address } from "viem";
import { z } from "zod";

const address = z
  .string()
  .refine(isAddress, "an address (0x + 40 hex digits)")
  .transform((a) => a as Address);

/** How a request chooses its provider, and how long it waits. */
export const octoOptionsSchema = z.strictObject({
  /** "cheapest" (default), "fastest", "reputation", or a provider's address. */
  routing: z.union([z.enum(["cheapest", "fastest", "reputation"]), z.strictObject({ provider: address })]).optional(),
  /** Shorthand for `routing: { provider }`. */
  provider: address.optional(),
  min_tier: z.number().int().min(0).max(255).optional(),
  /** The most the request pays per output token, in payment-token units (a decimal string or a safe integer). */
  max_price_per_token: z
    .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
    .transform((v) => BigInt(v))
    .optional(),
  /** Verifiable jobs are greedy and can be re-run by a committee (default true). */
  verifiable: z.boolean().optional(),
  /** "streamed": answer once the provider's stream has ended; "submitted" (default): once the proven result is
   *  on-chain (the text and usage are the chain's); "finalized": once the payment has settled. */
  wait: z.enum(["streamed", "submitted", "finalized"]).optional(),
});
export type OctoOptions = z.infer<typeof octoOptionsSchema>;

const stop = z.union([z.string().min(1), z.array(z.string().min(1)).max(4)]).nullish();
const sampling = {
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
};
const common = {
  model: z.string().min(1),
  max_tokens: z.number().int().min(1).nullish(),
  stop,
  seed: z.number().int().nullish(),
  user: z.string().max(256).optional(),
  n: z.number().int().min(1).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.strictObject({ include_usage: z.boolean().optional() }).nullish(),
  ...sampling,
  octo: octoOptionsSchema.optional(),
};

const textPart = z.strictObject({ type: z.literal("text"), text: z.string() });
const messageSchema = z.strictObject({
  // OpenAI's newer "developer" role is the system prompt of older models.
  role: z.enum(["system", "developer", "user", "assistant"]),
  content: z.union([z.string(), z.array(textPart).min(1)]),
});

export const chatRequestSchema = z.strictObject({
  ...common,
  messages: z.array(messageSchema).min(1),
  max_completion_tokens: z.number().int().min(1).nullish(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const completionRequestSchema = z.strictObject({
  ...common,
  prompt: z.union([z.string(), z.array(z.string()).length(1)]),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

/** Parameters OpenAI defines that a market job cannot honour, with why. Sent with a value other than their neutral
 *  one (null, false, 0, an empty list), each is refused by name. */
export const REFUSED_PARAMETERS: Readonly<Record<string, string>> = {
  tools: "tool calls are not supported",
  tool_choice: "tool calls are not supported",
  parallel_tool_calls: "tool calls are not supported",
  functions: "function calls are not supported",
  function_call: "function calls are not supported",
  logprobs: "log probabilities are not returned by market jobs",
  top_logprobs: "log probabilities are not returned by market jobs",
  logit_bias: "logit bias is not supported: verifiable jobs decode greedily",
  response_format: "structured output is not supported",
  presence_penalty: "penalties are not supported: verifiable jobs decode greedily",
  frequency_penalty: "penalties are not supported: verifiable jobs decode greedily",
  echo: "echo is not supported",
  suffix: "suffix is not supported",
  best_of: "best_of is not supported",
  audio: "audio is not supported",
  modalities: "only text is supported",
  prediction: "predicted outputs are not supported",
};

/** The first refused parameter the body sets to something other than its neutral value. */
export function refusedParameter(body: Record<string, unknown>): { param: string; reason: string } | undefined {
  for (const [param, reason] of Object.entries(REFUSED_PARAMETERS)) {
    const value = body[param];
    const neutral =
      value === undefined ||
      value === null ||
      value === false ||
      value === 0 ||
      (Array.isArray(value) && value.length === 0);
    if (!neutral) return { param, reason };
  }
  return undefined;
}

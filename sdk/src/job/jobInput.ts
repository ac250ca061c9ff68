// What a user asks a model, as the provider (and any validator re-running the job) receives it inside the sealed
// envelope. Versioned and structured so that a chat API can sit on top and a validator renders it exactly as the
// provider did:
//   v1: UTF-8 JSON {"v":1,"prompt":"…","decoding":{"temperature":0}} or {"v":1,"messages":[{role,content}…],…}: greedy
//   v2: the same with sampled decoding: "decoding":{"temperature":0.8,"topP":0.9,"seed":7} (topP and seed optional)
// Anything that is not such a JSON object is a plain prompt (the form before versioning): its bytes are the prompt.
// A verifiable result is re-checked by re-running it, so both sides must decode the same way: verifiable jobs are
// greedy, and sampling (temperature > 0) is for jobs that are not verifiable. Greedy input is written as v1, so workers
// that only read v1 still take it; only sampled input needs v2.
import { z } from "zod";
import { InvalidInputError, SamplingNotVerifiableError } from "../errors/errors.ts";
import { renderChatTemplate, type ChatTemplate } from "./renderChatTemplate.ts";

/** The newest input version this sdk writes (for sampled decoding; greedy input is written as v1). */
export const JOB_INPUT_VERSION = 2;

const greedySchema = z.strictObject({ temperature: z.literal(0) });
const decodingSchema = z.strictObject({
  /** 0 is greedy; OpenAI's range. */
  temperature: z.number().min(0).max(2),
  /** Nucleus sampling: the smallest set of tokens whose probabilities add up to topP. */
  topP: z.number().gt(0).max(1).optional(),
  /** The sampler's seed: the same seed, model, engine and config give the same output. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});
const messageSchema = z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
const inputSchema = z.union([
  z.strictObject({ v: z.literal(1), prompt: z.string(), decoding: greedySchema }),
  z.strictObject({ v: z.literal(1), messages: z.array(messageSchema).min(1), decoding: greedySchema }),
  z.strictObject({ v: z.literal(2), prompt: z.string(), decoding: decodingSchema }),
  z.strictObject({ v: z.literal(2), messages: z.array(messageSchema).min(1), decoding: decodingSchema }),
]);

export type ChatMessage = z.infer<typeof messageSchema>;
export type DecodingParameters = z.infer<typeof decodingSchema>;
/** A job's input: a plain prompt, or chat messages; decoding defaults to greedy. */
export type JobInput =
  | { prompt: string; decoding?: DecodingParameters | undefined }
  | { messages: readonly ChatMessage[]; decoding?: DecodingParameters | undefined };
export type DecodedJobInput = z.infer<typeof inputSchema> | { v: 0; prompt: string; decoding: DecodingParameters };

/** Whether the decoding samples (temperature > 0): such a job's output cannot be re-checked by re-running it. */
export function isSampledDecoding(decoding: DecodingParameters | undefined): boolean {
  return (decoding?.temperature ?? 0) > 0;
}

/** Throws SamplingNotVerifiableError when a verifiable job's input asks for sampled decoding. */
export function assertDecodingFits({ input, verifiable }: { input: JobInput; verifiable: boolean }): void {
  if (verifiable && isSampledDecoding(input.decoding)) throw new SamplingNotVerifiableError(input.decoding!);
}

const GREEDY: DecodingParameters = { temperature: 0 };

/** The bytes sealed into a job's envelope. */
export function encodeJobInput(input: JobInput): Uint8Array {
  const decoding = input.decoding ?? GREEDY;
  const greedy = decoding.temperature === 0 && decoding.topP === undefined && decoding.seed === undefined;
  const v = greedy ? 1 : JOB_INPUT_VERSION;
  const body = "prompt" in input ? { v, prompt: input.prompt, decoding } : { v, messages: input.messages, decoding };
  const parsed = inputSchema.safeParse(body);
  if (!parsed.success) throw new InvalidInputError("invalid job input", { details: parsed.error.message });
  return new TextEncoder().encode(JSON.stringify(parsed.data));
}

/** Reads the bytes a provider opened. A JSON object with a `v` field must be a valid v1 or v2 input; anything else is a
 *  plain prompt. Throws InvalidInputError for bytes that are not UTF-8 or a malformed versioned input. */
export function decodeJobInput(bytes: Uint8Array): DecodedJobInput {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new InvalidInputError("the job input is not UTF-8", { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { v: 0, prompt: text, decoding: GREEDY };
  }
  if (typeof json !== "object" || json === null || !("v" in json)) return { v: 0, prompt: text, decoding: GREEDY };
  const parsed = inputSchema.safeParse(json);
  if (!parsed.success) throw new InvalidInputError("malformed job input", { details: parsed.error.message });
  return parsed.data;
}

/**
 * The text the engine completes. A plain prompt is itself; chat messages are rendered with the model's chat template
 * when it has one (renderChatTemplate: it is inside the registered model file, so every party renders alike), else in
 * one fixed template (each message as `<|role|>\ncontent\n`, then `<|assistant|>\n`).
 */
export function renderJobInput(
  input: DecodedJobInput,
  { chatTemplate }: { chatTemplate?: ChatTemplate | undefined } = {},
): string {
  if ("prompt" in input) return input.prompt;
  if (chatTemplate) return renderChatTemplate(chatTemplate, input.messages);
  return input.messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join("") + "<|assistant|>\n";
}

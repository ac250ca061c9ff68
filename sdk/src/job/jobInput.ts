// What a user asks a model, as the provider (and any validator re-running the job) receives it inside the sealed
// envelope. Versioned and structured so that a chat API can sit on top and a validator renders it exactly as the
// provider did:
//   v1: UTF-8 JSON {"v":1,"prompt":"…","decoding":{…}} or {"v":1,"messages":[{role,content}…],"decoding":{…}}
// Anything that is not such a JSON object is a plain prompt (the form before versioning): its bytes are the prompt.
// Decoding is greedy (temperature 0) in v1: a verifiable result is re-checked by re-running it, so both sides must
// decode the same way; v1 carries that choice explicitly so that later versions can add sampled decoding.
import { z } from "zod";
import { InvalidInputError } from "../errors/errors.ts";
import { renderChatTemplate, type ChatTemplate } from "./renderChatTemplate.ts";

export const JOB_INPUT_VERSION = 1;

const decodingSchema = z.strictObject({ temperature: z.literal(0) });
const messageSchema = z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
const inputSchema = z.union([
  z.strictObject({ v: z.literal(1), prompt: z.string(), decoding: decodingSchema }),
  z.strictObject({ v: z.literal(1), messages: z.array(messageSchema).min(1), decoding: decodingSchema }),
]);

export type ChatMessage = z.infer<typeof messageSchema>;
export type DecodingParameters = z.infer<typeof decodingSchema>;
/** A job's input: a plain prompt, or chat messages; decoding defaults to greedy. */
export type JobInput =
  | { prompt: string; decoding?: DecodingParameters | undefined }
  | { messages: readonly ChatMessage[]; decoding?: DecodingParameters | undefined };
export type DecodedJobInput = z.infer<typeof inputSchema> | { v: 0; prompt: string; decoding: DecodingParameters };

const GREEDY: DecodingParameters = { temperature: 0 };

/** The bytes sealed into a job's envelope. */
export function encodeJobInput(input: JobInput): Uint8Array {
  const decoding = input.decoding ?? GREEDY;
  const body =
    "prompt" in input
      ? { v: JOB_INPUT_VERSION, prompt: input.prompt, decoding }
      : { v: JOB_INPUT_VERSION, messages: input.messages, decoding };
  const parsed = inputSchema.safeParse(body);
  if (!parsed.success) throw new InvalidInputError("invalid job input", { details: parsed.error.message });
  return new TextEncoder().encode(JSON.stringify(parsed.data));
}

/** Reads the bytes a provider opened. A JSON object with a `v` field must be a valid v1 input; anything else is a
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

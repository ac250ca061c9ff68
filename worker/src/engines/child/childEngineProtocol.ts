// The messages between the worker and an engine running in its own child process, and how engine errors cross that
// boundary: serialization keeps an Error's message but not its class, and the pipeline decides by class
// (PromptTooLongError hands the job back; an unavailable engine keeps the job for later).
import {
  EngineConfigError,
  EngineCrashedError,
  EngineError,
  EngineRequestError,
  EngineStartError,
  EngineUnavailableError,
  GenerationAbortedError,
  PromptTooLongError,
} from "../errors.ts";
import type { EngineInfo, GenerateParameters, GenerateReturnType, GenerationRecord } from "../types.ts";

/** A request without its AbortSignal (signals do not cross processes; an abort is its own message). */
export type ChildGenerateRequest = Omit<GenerateParameters, "signal">;

export type ToEngineChild =
  | { type: "generate"; id: number; request: ChildGenerateRequest; streamTokens: boolean }
  | { type: "abort"; id: number }
  | { type: "stop" };

export type FromEngineChild =
  | { type: "ready"; info: EngineInfo }
  | { type: "loadFailed"; error: SerializedEngineError }
  | { type: "loadProgress"; fraction: number }
  /** Consecutive pieces of one generation, the first at index `first` (batched: one message per token cost 3–44 %, median ≈ 12 %). */
  | { type: "tokens"; id: number; first: number; pieces: string[] }
  | { type: "generated"; id: number; result: GenerateReturnType }
  | { type: "failed"; id: number; error: SerializedEngineError }
  | { type: "generation"; record: GenerationRecord };

export type SerializedEngineError = {
  name: string;
  shortMessage: string;
  details?: string | undefined;
  /** The fields a class's constructor needs (token counts, the config field, the HTTP status, …). */
  fields: Record<string, string | number | undefined>;
};

export function serializeEngineError(error: unknown): SerializedEngineError {
  if (!(error instanceof EngineError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { name: "EngineError", shortMessage: `engine process failed: ${message}`, fields: {} };
  }
  const fields: SerializedEngineError["fields"] = {};
  for (const key of [
    "reason",
    "promptTokens",
    "maxTokens",
    "contextSize",
    "text",
    "tokens",
    "status",
    "field",
    "problem",
  ] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === "string" || typeof value === "number") fields[key] = value;
  }
  return { name: error.name, shortMessage: error.shortMessage, details: error.details, fields };
}

/** The same error class on this side of the process boundary, with the same fields. */
export function reviveEngineError(s: SerializedEngineError): EngineError {
  const f = s.fields;
  const n = (key: string) => Number(f[key] ?? 0);
  const str = (key: string) => String(f[key] ?? "");
  const details = s.details === undefined ? {} : { details: s.details };
  switch (s.name) {
    case "PromptTooLongError":
      return new PromptTooLongError({
        promptTokens: n("promptTokens"),
        maxTokens: n("maxTokens"),
        contextSize: n("contextSize"),
      });
    case "GenerationAbortedError":
      return new GenerationAbortedError({ text: str("text"), tokens: n("tokens") });
    case "EngineUnavailableError":
      return new EngineUnavailableError(str("reason"), details);
    case "EngineConfigError":
      return new EngineConfigError(str("field"), str("problem"));
    case "EngineRequestError":
      return new EngineRequestError(s.shortMessage, {
        ...details,
        ...(f.status === undefined ? {} : { status: n("status") }),
      });
    case "EngineCrashedError":
      return new EngineCrashedError(s.shortMessage, details);
    case "EngineStartError":
      return new EngineStartError(s.shortMessage, details);
    default:
      return new EngineError(s.shortMessage, details);
  }
}

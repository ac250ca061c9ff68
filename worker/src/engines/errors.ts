// Engine errors. Each says whose fault it is, so the pipeline can decide without string matching:
// - "input":    the job itself cannot be served (prompt too long for the model): hand it back, user refunded;
// - "provider": this host cannot serve it now (engine down, crashed, stalled): hand it back for another provider;
// - "aborted":  the caller cancelled it.

import { BaseError, type BaseErrorParameters } from "../errors/BaseError.ts";

export type EngineFault = "input" | "provider" | "aborted";

export type EngineErrorParameters = BaseErrorParameters;

export class EngineError extends BaseError {
  override name = "EngineError";
  readonly fault: EngineFault = "provider";
}

/** The engine is not loaded, not started, stopped, or gave up after a crash loop. */
export class EngineUnavailableError extends EngineError {
  override name = "EngineUnavailableError";
  readonly reason: string;
  constructor(reason: string, parameters?: EngineErrorParameters) {
    super(`Engine unavailable: ${reason}`, parameters);
    this.reason = reason;
  }
}

/** The prompt plus the requested output does not fit the model's context. The job is at fault, not the provider. */
export class PromptTooLongError extends EngineError {
  override name = "PromptTooLongError";
  override readonly fault = "input";
  readonly promptTokens: number;
  readonly maxTokens: number;
  readonly contextSize: number;
  constructor({
    promptTokens,
    maxTokens,
    contextSize,
  }: { promptTokens: number; maxTokens: number; contextSize: number }) {
    super(
      `Prompt too long: ${promptTokens} prompt tokens + ${maxTokens} output tokens exceed the context of ${contextSize} tokens`,
    );
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.contextSize = contextSize;
  }
}

/** The engine process died, or its connection broke, while a request was in flight. Retryable by the provider. */
export class EngineCrashedError extends EngineError {
  override name = "EngineCrashedError";
}

/** The engine stopped answering: no response, or no token, within the allowed time. */
export class EngineTimeoutError extends EngineError {
  override name = "EngineTimeoutError";
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number, parameters?: EngineErrorParameters) {
    super(`Engine timed out: ${what} after ${timeoutMs} ms`, parameters);
    this.timeoutMs = timeoutMs;
  }
}

/** A supervised engine server did not start: it exited, or never became healthy in time. */
export class EngineStartError extends EngineError {
  override name = "EngineStartError";
}

/** The request is invalid for this engine (e.g. maxTokens < 1), or the server rejected it for a reason we do not map. */
export class EngineRequestError extends EngineError {
  override name = "EngineRequestError";
  readonly status: number | undefined;
  constructor(shortMessage: string, parameters: EngineErrorParameters & { status?: number } = {}) {
    super(shortMessage, parameters);
    this.status = parameters.status;
  }
}

/** The caller's AbortSignal fired. Carries what was generated so far. */
export class GenerationAbortedError extends EngineError {
  override name = "GenerationAbortedError";
  override readonly fault = "aborted";
  readonly text: string;
  readonly tokens: number;
  constructor({ text, tokens, cause }: { text: string; tokens: number; cause?: unknown }) {
    super(`Generation aborted after ${tokens} tokens`, { cause });
    this.text = text;
    this.tokens = tokens;
  }
}

/** Bad engine configuration (caught before anything starts), naming the field. */
export class EngineConfigError extends EngineError {
  override name = "EngineConfigError";
  readonly field: string;
  readonly problem: string;
  constructor(field: string, problem: string) {
    super(`Invalid engine config: ${field} ${problem}`);
    this.field = field;
    this.problem = problem;
  }
}

// The gateway's one error type. Every failure a client can see is a GatewayError: an HTTP status and OpenAI's error
// shape (`{ error: { message, type, code, param } }`), so an OpenAI client raises its usual exception classes
// (BadRequestError, AuthenticationError, NotFoundError, RateLimitError, …) with our code and message.
import { BaseError } from "@octo/sdk";

/** OpenAI's error types, by the status they go with. */
export type GatewayErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "insufficient_funds_error"
  | "server_error"
  | "timeout_error";

/** Every code the gateway answers with; README.md lists each with its status. */
export type GatewayErrorCode =
  | "invalid_json"
  | "invalid_request"
  | "unsupported_parameter"
  | "sampling_not_verifiable"
  | "context_length_exceeded"
  | "max_tokens_exceeded"
  | "invalid_api_key"
  | "rate_limit_exceeded"
  | "spending_limit_exceeded"
  | "model_not_found"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "no_provider"
  | "price_bound_exceeded"
  | "insufficient_funds"
  | "provider_timeout"
  | "job_failed"
  | "chain_unreachable"
  | "internal_error";

export type GatewayErrorParameters = {
  status: number;
  type: GatewayErrorType;
  code: GatewayErrorCode;
  /** The request field at fault, as OpenAI names it. */
  param?: string | undefined;
  details?: string | undefined;
  cause?: unknown;
};

export class GatewayError extends BaseError {
  override name = "GatewayError";
  readonly status: number;
  readonly type: GatewayErrorType;
  readonly code: GatewayErrorCode;
  readonly param: string | undefined;

  constructor(message: string, { status, type, code, param, details, cause }: GatewayErrorParameters) {
    super(message, { details, cause });
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
  }

  /** The response body, in OpenAI's shape. */
  toJSON(): { error: { message: string; type: GatewayErrorType; code: GatewayErrorCode; param: string | null } } {
    return { error: { message: this.shortMessage, type: this.type, code: this.code, param: this.param ?? null } };
  }
}

/** A 400 for a request the gateway will not turn into a job. */
export const invalidRequest = (message: string, code: GatewayErrorCode = "invalid_request", param?: string) =>
  new GatewayError(message, { status: 400, type: "invalid_request_error", code, param });

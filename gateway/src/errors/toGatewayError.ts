// Whatever a request ran into, as the one error the client sees: our own errors pass through; the sdk's and viem's
// are mapped by what they mean for the client (the chain cannot be reached → 502, a revert → 502 job_failed with the
// contract's sentence), and anything else is a 500 whose details stay in the log.
import { ContractRevertedError, NoProviderError } from "@octo/sdk";
import { BaseError as ViemBaseError, HttpRequestError, TimeoutError, WebSocketRequestError } from "viem";
import { GatewayError } from "./GatewayError.ts";

const unreachable = (error: unknown): boolean =>
  error instanceof ViemBaseError &&
  error.walk(
    (e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof WebSocketRequestError,
  ) !== null;

export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof NoProviderError)
    return new GatewayError("no provider is available for this model", {
      status: 503,
      type: "server_error",
      code: "no_provider",
      details: error.details,
      cause: error,
    });
  if (unreachable(error))
    return new GatewayError("the chain cannot be reached", {
      status: 502,
      type: "server_error",
      code: "chain_unreachable",
      cause: error,
    });
  if (error instanceof ContractRevertedError) {
    // A top-up or a job that found less than was read a moment before (someone else moved the operator's funds).
    if (error.errorName === "ERC20InsufficientBalance" || error.errorName === "BalanceInsufficient")
      return new GatewayError("the gateway's operator account is out of funds", {
        status: 402,
        type: "insufficient_funds_error",
        code: "insufficient_funds",
        cause: error,
      });
    return new GatewayError(`the market refused the job: ${error.shortMessage}`, {
      status: 502,
      type: "server_error",
      code: "job_failed",
      details: error.details,
      cause: error,
    });
  }
  return new GatewayError("internal error", {
    status: 500,
    type: "server_error",
    code: "internal_error",
    cause: error,
  });
}

import { describe, expect, it } from "vitest";
import {
  encodeErrorResult,
  HttpRequestError,
  UserRejectedRequestError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  type Hex,
} from "viem";
import { octoErrorAbi, NoProviderError, StreamError } from "@octo/sdk";
import { plainError } from "./plainError.ts";

describe("plainError", () => {
  it("a rejection in the wallet, however deep it is wrapped", () => {
    const error = new Error("outer", { cause: new UserRejectedRequestError(new Error("User rejected the request.")) });
    expect(plainError(error)).toMatchObject({ kind: "rejected", title: "You declined in your wallet" });
    expect(plainError({ code: 4001, message: "nope" }).kind).toBe("rejected");
  });

  it("a revert with the market's custom error, in the sdk's sentence", () => {
    const data: Hex = encodeErrorResult({
      abi: octoErrorAbi,
      errorName: "ERC20InsufficientBalance",
      args: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 5n, 320n],
    });
    const reverted = new ContractFunctionRevertedError({ abi: octoErrorAbi, data, functionName: "createJob" });
    const error = new ContractFunctionExecutionError(reverted, {
      abi: octoErrorAbi,
      functionName: "createJob",
      args: [],
    });
    const plain = plainError(error);
    expect(plain.kind).toBe("revert");
    expect(plain.message).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8 holds 5 tokens but 320 are needed.");
  });

  it("the RPC down, naming the URL", () => {
    const error = new HttpRequestError({
      url: "http://127.0.0.1:8545",
      body: { method: "eth_call" },
      cause: new TypeError("Failed to fetch"),
    });
    const plain = plainError(error);
    expect(plain.kind).toBe("rpc");
    expect(plain.message).toContain("http://127.0.0.1:8545");
  });

  it("the sdk's own errors", () => {
    expect(plainError(new NoProviderError("policy cheapest: 0 eligible offers")).kind).toBe("noProvider");
    expect(plainError(new StreamError("the provider's stream answered 502")).kind).toBe("stream");
  });

  it("anything else keeps its own short message", () => {
    expect(plainError(new Error("odd"))).toEqual({ kind: "unknown", title: "Something went wrong", message: "odd" });
  });
});

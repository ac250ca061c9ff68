/**
 * Names a revert: walks a viem error to `ContractFunctionRevertedError` and formats it as `ErrorName(arg=value, …)`
 * from the called contract's ABI. A revert raised deeper (the token inside `stake`, the staking registry inside
 * `claimJob`) is not in that ABI: it is decoded with @octo/sdk's one error table (ours and OpenZeppelin's), the same
 * decoder the sdk and the CLI use, which also gives the sentence a person can act on. Returns null when the error is
 * not a revert (an RPC failure, say).
 *
 * API: decodeRevert(error): { errorName: string | null; args; formatted; sentence? } | null
 */
import { decodeRevert as decodeMarketRevert } from "@octo/sdk";
import { BaseError as ViemBaseError, ContractFunctionRevertedError } from "viem";

export type DecodeRevertReturnType = {
  errorName: string | null;
  args: Record<string, unknown> | readonly unknown[] | undefined;
  formatted: string;
  /** What happened and what to do, in words, for the market's and OpenZeppelin's errors. */
  sentence?: string;
} | null;

export function decodeRevert(error: unknown): DecodeRevertReturnType {
  if (!(error instanceof ViemBaseError)) return null;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(revert instanceof ContractFunctionRevertedError)) return null;
  const data = revert.data;
  if (data) {
    const inputs = "inputs" in data.abiItem ? data.abiItem.inputs : [];
    const values = (data.args ?? []) as readonly unknown[];
    const named = inputs.length > 0 && inputs.every((i) => i.name);
    const args = named ? Object.fromEntries(inputs.map((i, k) => [i.name as string, values[k]])) : values;
    const shown = inputs
      .map((input, k) => (input.name ? `${input.name}=${show(values[k])}` : show(values[k])))
      .join(", ");
    const sentence = decodeMarketRevert(error)?.shortMessage;
    return {
      errorName: data.errorName,
      args,
      formatted: `${data.errorName}(${shown})`,
      ...(sentence ? { sentence } : {}),
    };
  }
  if (revert.reason)
    return { errorName: "Error", args: [revert.reason], formatted: `Error(${JSON.stringify(revert.reason)})` };
  const market = decodeMarketRevert(error);
  if (market) {
    const values = market.args as readonly unknown[];
    return {
      errorName: market.errorName,
      args: values,
      formatted: `${market.errorName}(${values.map(show).join(", ")})`,
      sentence: market.shortMessage,
    };
  }
  return {
    errorName: null,
    args: undefined,
    formatted: revert.signature ? `unknown error ${revert.signature}` : "revert without data",
  };
}

function show(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

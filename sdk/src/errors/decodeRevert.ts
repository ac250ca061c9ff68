// Every revert of the market's contracts, decoded by name with the one generated error ABI (ours and OpenZeppelin's),
// and put in a sentence. viem only decodes a revert with the ABI of the contract it called; a revert raised deeper
// (the staking registry inside claimJob, the token inside createJob) is decoded here all the same.
import { decodeErrorResult, type Hex } from "viem";
import { octoErrorAbi } from "../generated/errorAbi.ts";
import { BaseError } from "./BaseError.ts";
import { revertSentences, type OctoErrorArgs, type OctoErrorName } from "./revertSentences.ts";

/** A contract call reverted with one of the market's custom errors. */
export class ContractRevertedError<N extends OctoErrorName = OctoErrorName> extends BaseError {
  override name = "ContractRevertedError";
  readonly errorName: N;
  readonly args: OctoErrorArgs<N>;
  readonly data: Hex;
  constructor({ errorName, args, data, cause }: { errorName: N; args: OctoErrorArgs<N>; data: Hex; cause?: unknown }) {
    const sentence = (revertSentences[errorName] as (a: OctoErrorArgs<N>) => string)(args);
    super(sentence, { details: `${errorName}(${(args as readonly unknown[]).map(String).join(", ")})`, cause });
    this.errorName = errorName;
    this.args = args;
    this.data = data;
  }
}

export type DecodeRevertReturnType = ContractRevertedError | undefined;

/** Revert data (hex) or any error that carries it (viem's call and estimate errors) → the decoded error, or undefined
 *  when there is no revert data or it is not one of ours. */
export function decodeRevert(errorOrData: unknown): DecodeRevertReturnType {
  const data = typeof errorOrData === "string" ? (errorOrData as Hex) : findRevertData(errorOrData);
  if (!data || data.length < 10) return undefined;
  try {
    const { errorName, args } = decodeErrorResult({ abi: octoErrorAbi, data });
    return new ContractRevertedError({
      errorName,
      args: (args ?? []) as OctoErrorArgs<typeof errorName>,
      data,
      cause: typeof errorOrData === "string" ? undefined : errorOrData,
    });
  } catch {
    return undefined;
  }
}

/** The revert data somewhere in an error's cause chain (`data` or `raw` as hex, as viem's errors carry it). */
function findRevertData(error: unknown): Hex | undefined {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === "object" && depth < 16;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    for (const key of ["raw", "data"] as const) {
      const value = (e as Record<string, unknown>)[key];
      if (typeof value === "string" && /^0x[0-9a-fA-F]{8,}$/.test(value)) return value as Hex;
      if (value && typeof value === "object" && typeof (value as { data?: unknown }).data === "string")
        return (value as { data: Hex }).data;
    }
  }
  return undefined;
}

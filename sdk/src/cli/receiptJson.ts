// A submitted result as JSON and back: bigints as decimal strings ending in "n", so a receipt that `octo-audit export`
// wrote can be read again, checked with `octo-audit verify --result`, or compared by hand.
import type { GetResultReturnType } from "../actions/getResult.ts";
import { InvalidInputError } from "../errors/errors.ts";

export function stringifyReceipts(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v), 2) + "\n";
}

export function parseReceiptJson(text: string): unknown {
  try {
    return JSON.parse(text, (_key, v: unknown) =>
      typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
    );
  } catch (cause) {
    throw new InvalidInputError("not a receipt file (JSON)", {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}

/** One receipt from a file: the object itself, or the first element of an exported list whose `jobId` matches. */
export function receiptFromJson(text: string, jobId: bigint): GetResultReturnType {
  const value = parseReceiptJson(text);
  const candidates = (Array.isArray(value) ? value : [value]) as { jobId?: unknown; result?: unknown }[];
  const found = candidates.find((c) => c.jobId === jobId);
  const result = (found?.result ?? found) as GetResultReturnType | undefined;
  if (
    !result ||
    typeof result !== "object" ||
    !Array.isArray(result.chunks) ||
    !Array.isArray(result.proofs) ||
    !Array.isArray(result.ciphertext)
  ) {
    throw new InvalidInputError(`the receipt file has no result for job ${jobId}`, {
      details:
        "expected { jobId, result: { chunks, ciphertext, proofs, … } } as `octo-audit export --format json` writes it",
    });
  }
  return result;
}

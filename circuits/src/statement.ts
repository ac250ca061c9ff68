// The statement: one 250-bit public signal that binds a chunk proof to its job, provider, position, length and bill.
//   jobId (40) | provider << 40 (160) | chunkIndex << 200 (8) | byteLength << 208 (11) | tokenCount << 219 (11)
//   | maxTokens << 230 (20)
// Solidity twin: contracts/libraries/ResultStatement.sol (`pack`).
import { CHUNK_BYTES, STATEMENT_LAYOUT } from "./constants.ts";
import { OutOfRangeError } from "./errors.ts";

export type Address = `0x${string}`;

export type Statement = {
  jobId: bigint;
  /** The provider's address (20 bytes). */
  provider: Address;
  chunkIndex: number;
  byteLength: number;
  tokenCount: number;
  maxTokens: number;
};
export type PackStatementParameters = Omit<Statement, "provider" | "jobId"> & {
  jobId: bigint | number;
  provider: Address | bigint;
};

export function providerToBigInt(provider: Address | bigint): bigint {
  if (typeof provider === "bigint") return provider;
  if (!/^0x[0-9a-fA-F]{40}$/.test(provider)) throw new OutOfRangeError("provider address", 0, "a 20-byte 0x address");
  return BigInt(provider);
}

export function packStatement(s: PackStatementParameters): bigint {
  const values: Record<(typeof STATEMENT_LAYOUT)[number]["name"], bigint> = {
    jobId: BigInt(s.jobId),
    provider: providerToBigInt(s.provider),
    chunkIndex: BigInt(s.chunkIndex),
    byteLength: BigInt(s.byteLength),
    tokenCount: BigInt(s.tokenCount),
    maxTokens: BigInt(s.maxTokens),
  };
  if (values.byteLength > BigInt(CHUNK_BYTES))
    throw new OutOfRangeError("byteLength", values.byteLength, `<= ${CHUNK_BYTES}`);
  let packed = 0n;
  let offset = 0n;
  for (const { name, bits } of STATEMENT_LAYOUT) {
    const v = values[name];
    if (v < 0n || v >= 1n << BigInt(bits)) throw new OutOfRangeError(name, v, `0 <= ${name} < 2^${bits}`);
    packed |= v << offset;
    offset += BigInt(bits);
  }
  return packed;
}

export function unpackStatement(statement: bigint): Statement {
  if (statement < 0n || statement >> 250n !== 0n) throw new OutOfRangeError("statement", statement, "< 2^250");
  const v: bigint[] = [];
  let offset = 0n;
  for (const { bits } of STATEMENT_LAYOUT) {
    v.push((statement >> offset) & ((1n << BigInt(bits)) - 1n));
    offset += BigInt(bits);
  }
  const [jobId, provider, chunkIndex, byteLength, tokenCount, maxTokens] = v as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  return {
    jobId,
    provider: `0x${provider.toString(16).padStart(40, "0")}`,
    chunkIndex: Number(chunkIndex),
    byteLength: Number(byteLength),
    tokenCount: Number(tokenCount),
    maxTokens: Number(maxTokens),
  };
}

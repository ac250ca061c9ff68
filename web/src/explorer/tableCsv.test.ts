import type { ReceiptCheck } from "@octo/sdk";
import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.ts";
import {
  CHECK_COLUMNS,
  CHUNK_COLUMNS,
  committeeSeats,
  numberChunks,
  PROFILE_JOB_COLUMNS,
  VOTE_COLUMNS,
} from "./tableCsv.ts";

const A = "0xAaAaaAaAaaaaaAAaaAAaaaaAAAaaAaAaaAAaAaaa";
const B = "0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const C = "0xcccccccccccccccccccccccccccccccccccccccc";
// 2026-12-02 10:00:00 UTC
const T = 1_796_205_600;

describe("receipt chunks as CSV", () => {
  // The proven output commitment is a field element, in decimal as the indexer keeps it.
  it("numbers the chunks in order and writes the whole commitment", () => {
    const chunks = numberChunks([
      { outputCommitment: "1494254756702115416936678194023", byteLength: 8, tokenCount: 3 },
      { outputCommitment: "22", byteLength: 2048, tokenCount: 700 },
    ]);
    expect(toCsv(CHUNK_COLUMNS, chunks)).toBe(
      "chunk,bytes,tokens,output commitment\r\n0,8,3,1494254756702115416936678194023\r\n1,2048,700,22\r\n",
    );
  });
});

describe("committee votes as CSV", () => {
  // The indexer writes addresses in lower case; the dispute's committee may come in any case.
  const votes = [
    { validator: A.toLowerCase(), provider_at_fault: true, block_number: "41", transaction_hash: "0xt1", timestamp: T },
    { validator: B, provider_at_fault: false, block_number: "42", transaction_hash: "0xt2", timestamp: `${T + 60}` },
  ];

  it("lists every seat in the order drawn, with its vote, and a seat without one as 'no vote'", () => {
    const seats = committeeSeats([C, B, A], votes);
    expect(seats.map((s) => [s.validator, s.vote])).toEqual([
      [C, "no vote"],
      [B, "clean"],
      [A, "provider at fault"],
    ]);
    expect(toCsv(VOTE_COLUMNS, seats)).toBe(
      "validator,vote,block,transaction,time (UTC)\r\n" +
        `${C},no vote,,,\r\n` +
        `${B},clean,42,0xt2,2026-12-02 10:01 UTC\r\n` +
        `${A},provider at fault,41,0xt1,2026-12-02 10:00 UTC\r\n`,
    );
  });

  it("keeps a vote whose validator is not (yet) in the committee, after the seats", () => {
    expect(committeeSeats([B], votes).map((s) => [s.validator, s.vote])).toEqual([
      [B, "clean"],
      [A.toLowerCase(), "provider at fault"],
    ]);
    expect(committeeSeats([], [])).toEqual([]);
  });
});

describe("Verify checks as CSV", () => {
  it("writes each check's name, pass or fail, its milliseconds and what it compared (quoted when it has commas)", () => {
    const checks: ReceiptCheck[] = [
      { name: "chunk[0].proof", ok: true, details: "Groth16, 4 public signals", ms: 2301.44 },
      { name: "outputRoot", ok: false, details: "0x1 vs 0x2", ms: 0.04 },
    ];
    expect(toCsv(CHECK_COLUMNS, checks)).toBe(
      "check,result,ms,compared\r\n" +
        'chunk[0].proof,pass,2301.4,"Groth16, 4 public signals"\r\n' +
        "outputRoot,fail,0.0,0x1 vs 0x2\r\n",
    );
  });
});

describe("a profile's latest jobs as CSV", () => {
  it("writes the job, state, tokens, the provider's amount in base units (empty when unpaid) and the UTC time", () => {
    const rows = [
      { id: "7", status: "Finalized", token_count: 12, provider_amount: "1234567", created_at: `${T}` },
      { id: "6", status: "Claimed", token_count: null, provider_amount: null, created_at: T },
    ];
    expect(toCsv(PROFILE_JOB_COLUMNS, rows)).toBe(
      "job,state,tokens,provider amount,created (UTC)\r\n" +
        "7,Finalized,12,1234567,2026-12-02 10:00 UTC\r\n" +
        "6,Claimed,,,2026-12-02 10:00 UTC\r\n",
    );
  });
});

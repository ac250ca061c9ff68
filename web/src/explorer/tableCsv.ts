// The CSV columns of the receipt page's chunks, committee votes and Verify checks and of a profile's latest jobs. Pure,
// so that what a download holds is tested without a browser. As in the other exports, amounts are base units and
// addresses and hashes are whole (the page shortens them): a CSV is read by programs.
import type { ReceiptCheck } from "@octo/sdk";
import { formatDate } from "../lib/format.ts";
import type { CsvColumn } from "./csv.ts";
import { big, str, type SqlRow } from "./indexerSql.ts";

/** One chunk as the indexer keeps it in `receipt.chunks` (from the ResultSubmitted event). */
export type ReceiptChunk = { outputCommitment: string; byteLength: number; tokenCount: number };
export type NumberedChunk = ReceiptChunk & { index: number };

/** The chunks with their position: the proofs and the ciphertext are addressed by it (`chunk[i].proof`). */
export function numberChunks(chunks: readonly ReceiptChunk[]): NumberedChunk[] {
  return chunks.map((c, index) => ({ ...c, index }));
}

export const CHUNK_COLUMNS: CsvColumn<NumberedChunk>[] = [
  { header: "chunk", value: (c) => c.index },
  { header: "bytes", value: (c) => c.byteLength },
  { header: "tokens", value: (c) => c.tokenCount },
  { header: "output commitment", value: (c) => c.outputCommitment },
];

export type SeatVote = "provider at fault" | "clean" | "no vote";
/** A committee seat and its vote, if any: `vote` is the indexer's row (block, transaction, time). */
export type CommitteeSeat = { validator: string; vote: SeatVote; row?: SqlRow };

/**
 * Every committee member in the order drawn, each with its vote or "no vote": a seat left empty is part of the
 * outcome (the registry counts it as a missed vote), so the table and its CSV show it. A vote from an address not in
 * the committee (a committee not drawn in the indexer's tables yet) is kept, after the seats.
 */
export function committeeSeats(committee: readonly string[], votes: readonly SqlRow[]): CommitteeSeat[] {
  const byValidator = new Map(votes.map((v) => [str(v, "validator").toLowerCase(), v]));
  const seat = (validator: string, row: SqlRow | undefined): CommitteeSeat =>
    row
      ? { validator, vote: str(row, "provider_at_fault") === "true" ? "provider at fault" : "clean", row }
      : { validator, vote: "no vote" };
  const seats = committee.map((m) => seat(m, byValidator.get(m.toLowerCase())));
  const seated = new Set(committee.map((m) => m.toLowerCase()));
  for (const v of votes) if (!seated.has(str(v, "validator").toLowerCase())) seats.push(seat(str(v, "validator"), v));
  return seats;
}

export const VOTE_COLUMNS: CsvColumn<CommitteeSeat>[] = [
  { header: "validator", value: (s) => s.validator },
  { header: "vote", value: (s) => s.vote },
  { header: "block", value: (s) => (s.row ? str(s.row, "block_number") : "") },
  { header: "transaction", value: (s) => (s.row ? str(s.row, "transaction_hash") : "") },
  { header: "time (UTC)", value: (s) => (s.row ? formatDate(big(s.row, "timestamp")) : "") },
];

export const CHECK_COLUMNS: CsvColumn<ReceiptCheck>[] = [
  { header: "check", value: (c) => c.name },
  { header: "result", value: (c) => (c.ok ? "pass" : "fail") },
  { header: "ms", value: (c) => c.ms.toFixed(1) },
  { header: "compared", value: (c) => c.details },
];

/** A provider's latest jobs (`select id, status, token_count, provider_amount, created_at from job`). */
export const PROFILE_JOB_COLUMNS: CsvColumn<SqlRow>[] = [
  { header: "job", value: (r) => str(r, "id") },
  { header: "state", value: (r) => str(r, "status") },
  { header: "tokens", value: (r) => str(r, "token_count") },
  { header: "provider amount", value: (r) => str(r, "provider_amount") },
  { header: "created (UTC)", value: (r) => formatDate(big(r, "created_at")) },
];

// The EVM proof format: [a.x, a.y, b.x1, b.x0, b.y1, b.y0, c.x, c.y]. The EIP-197 precompile takes G2 coordinates
// as (imaginary, real), snarkjs writes them (real, imaginary): this file is the one place that swaps them.
import { BASE_FIELD_ORDER } from "./constants.ts";
import { InvalidProofError } from "./errors.ts";

/** A snarkjs Groth16 proof (decimal strings, projective coordinates with z = 1). */
export type SnarkjsProof = {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol: string;
  curve: string;
};
export type EvmProof = readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];

function coord(v: string | undefined, where: string): bigint {
  if (v === undefined || !/^\d+$/.test(v)) throw new InvalidProofError(`${where} is not a decimal integer`);
  const n = BigInt(v);
  if (n >= BASE_FIELD_ORDER) throw new InvalidProofError(`${where} >= the base field order`);
  return n;
}

export function formatProof(proof: SnarkjsProof): EvmProof {
  const { pi_a: a, pi_b: b, pi_c: c } = proof;
  return [
    coord(a[0], "a.x"),
    coord(a[1], "a.y"),
    coord(b[0]?.[1], "b.x1"),
    coord(b[0]?.[0], "b.x0"),
    coord(b[1]?.[1], "b.y1"),
    coord(b[1]?.[0], "b.y0"),
    coord(c[0], "c.x"),
    coord(c[1], "c.y"),
  ];
}

/** The inverse of formatProof (for verifying an EVM-ordered proof with snarkjs). */
export function parseEvmProof(proof: readonly bigint[]): SnarkjsProof {
  if (proof.length !== 8) throw new InvalidProofError(`expected 8 words, got ${proof.length}`);
  const s = proof.map((v) => v.toString());
  return {
    pi_a: [s[0]!, s[1]!, "1"],
    pi_b: [
      [s[3]!, s[2]!],
      [s[5]!, s[4]!],
      ["1", "0"],
    ],
    pi_c: [s[6]!, s[7]!, "1"],
    protocol: "groth16",
    curve: "bn128",
  };
}

// The part of snarkjs 0.7 this package uses (snarkjs ships no types).
declare module "snarkjs" {
  type Artifact = string | { type: "mem"; data: Uint8Array };
  type Proof = { pi_a: string[]; pi_b: string[][]; pi_c: string[]; protocol: string; curve: string };
  type Logger = { info(m: string): void; debug(m: string): void; error(m: string): void; warn(m: string): void };
  export const groth16: {
    fullProve(
      input: object,
      wasm: Artifact,
      zkey: Artifact,
      logger?: Logger,
    ): Promise<{ proof: Proof; publicSignals: string[] }>;
    verify(vk: object, publicSignals: string[], proof: Proof, logger?: Logger): Promise<boolean>;
  };
  export const wtns: {
    calculate(input: object, wasm: Artifact, wtns: Artifact): Promise<void>;
  };
  export const zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<unknown>;
    /** Returns the contribution hash (blake2b-512); entropy is mixed with 64 bytes of crypto randomness. */
    contribute(oldZkey: string, newZkey: string, name: string, entropy: string, logger?: Logger): Promise<Uint8Array>;
    /** Returns the contribution hash, or false when the beacon parameters are invalid. */
    beacon(
      oldZkey: string,
      newZkey: string,
      name: string,
      beaconHash: string,
      iterationsExp: number,
      logger?: Logger,
    ): Promise<Uint8Array | false>;
    exportVerificationKey(zkey: string | Uint8Array, logger?: Logger): Promise<Record<string, unknown>>;
    exportSolidityVerifier(zkey: string, templates: Record<string, string>, logger?: Logger): Promise<string>;
    verifyFromR1cs(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<boolean>;
  };
  export const powersOfTau: {
    newAccumulator(curve: unknown, power: number, file: string, logger?: Logger): Promise<unknown>;
    beacon(
      oldPtau: string,
      newPtau: string,
      name: string,
      beaconHash: string,
      iterationsExp: number,
      logger?: Logger,
    ): Promise<unknown>;
    /** Returns the response hash (blake2b-512); entropy is mixed with 64 bytes of crypto randomness. */
    contribute(oldPtau: string, newPtau: string, name: string, entropy: string, logger?: Logger): Promise<Uint8Array>;
    verify(ptau: string, logger?: Logger): Promise<boolean>;
    preparePhase2(oldPtau: string, newPtau: string, logger?: Logger): Promise<unknown>;
  };
  export const r1cs: {
    info(
      r1cs: string,
      logger?: Logger,
    ): Promise<{ nConstraints: number; nVars: number; nPubInputs: number; nPrvInputs: number; nOutputs: number }>;
  };
  export const curves: { getCurveFromName(name: string): Promise<{ terminate(): Promise<void> }> };
}

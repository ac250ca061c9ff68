// The part of circomlibjs (a test-only dependency) the tests use.
declare module "circomlibjs" {
  type Poseidon = ((inputs: bigint[], initState?: number, nOut?: number) => unknown) & {
    F: { toObject(e: unknown): bigint };
  };
  export function buildPoseidonReference(): Promise<Poseidon>;
}

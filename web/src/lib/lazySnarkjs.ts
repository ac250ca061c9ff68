// snarkjs for the browser, loaded on first use. @octo/circuits imports snarkjs statically (its prover and verifier),
// so every page importing @octo/sdk would carry its ~0.5 MB although only the receipt check (verifyReceipt) runs it.
// next.config.ts aliases "snarkjs" to this module in the app's bundles; the real browser build is fetched as its own
// chunk the first time a proof is checked.
type Groth16 = {
  verify(...args: unknown[]): Promise<boolean>;
  fullProve(...args: unknown[]): Promise<unknown>;
};

const load = () => import("octo-snarkjs-browser") as Promise<{ groth16: Groth16 }>;

export const groth16: Groth16 = {
  verify: async (...args) => (await load()).groth16.verify(...args),
  fullProve: async (...args) => (await load()).groth16.fullProve(...args),
};

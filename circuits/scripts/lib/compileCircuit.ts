// Compiles a circom file with the npm `circom2` (circom 2.2.3 as WASI). The stock CLI cannot follow pnpm's symlinks,
// so we run its CircomRunner with "/" preopened and absolute, realpath'd paths (see /work/shared/TOOLCHAIN.md).
import { mkdirSync, readFileSync, realpathSync } from "node:fs";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

type CircomRunnerOptions = {
  args: string[];
  env: NodeJS.ProcessEnv;
  preopens: Record<string, string>;
  bindings: Record<string, unknown>;
};
type CircomRunnerInstance = { execute(wasm: Uint8Array): Promise<unknown> };
type Circom2Module = {
  CircomRunner: new (options: CircomRunnerOptions) => CircomRunnerInstance;
  bindings: Record<string, unknown>;
};

export type CompileCircuitParameters = {
  /** The circom file with `component main`. */
  source: string;
  /** Output folder for `<name>.r1cs`, `<name>_js/<name>.wasm`, `<name>.sym`. */
  outDir: string;
};
export type CompileCircuitReturnType = { r1cs: string; wasm: string; sym: string };

export async function compileCircuit({ source, outDir }: CompileCircuitParameters): Promise<CompileCircuitReturnType> {
  mkdirSync(outDir, { recursive: true });
  const src = realpathSync(source);
  const out = realpathSync(outDir);
  // circomlib's parent, so that `include "circomlib/circuits/…"` resolves.
  const libParent = dirname(realpathSync(dirname(require.resolve("circomlib/package.json"))));
  const { CircomRunner, bindings } = require("circom2") as Circom2Module;
  let exitCode = 0;
  const runner = new CircomRunner({
    args: [src, "--r1cs", "--wasm", "--sym", "--O2", "-l", libParent, "-l", dirname(src), "-o", out],
    env: process.env,
    preopens: { "/": "/" },
    bindings: {
      ...bindings,
      exit(code: number) {
        exitCode = code;
        throw new Error(`circom exited with ${code}`);
      },
      fs,
    },
  });
  const wasmBytes = readFileSync(require.resolve("circom2/circom.wasm"));
  try {
    await runner.execute(wasmBytes);
  } catch (e) {
    if (exitCode !== 0 || !(e instanceof Error && e.message === "circom exited with 0")) throw e;
  }
  const name = src.replace(/^.*\//, "").replace(/\.circom$/, "");
  return {
    r1cs: join(out, `${name}.r1cs`),
    wasm: join(out, `${name}_js`, `${name}.wasm`),
    sym: join(out, `${name}.sym`),
  };
}

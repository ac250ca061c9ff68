// The check anyone can rerun on the committed development setup (CI runs it as test/artifacts.test.ts):
// recompile the circuit, `snarkjs powersoftau verify keys/dev_13.ptau`, `snarkjs zkey verify` of keys/result-chunk.zkey
// against the recompiled r1cs and that ptau, the transcript against keys/artifacts.json, the verification key and the
// generated Solidity against the zkey.  Usage: node scripts/checkArtifacts.ts [--quick]  (--quick: no setup verify)
import { checkArtifacts } from "./lib/checkArtifacts.ts";

const t0 = Date.now();
const mismatches = await checkArtifacts({
  verifySetup: !process.argv.includes("--quick"),
  log: (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}`),
});
for (const m of mismatches)
  console.error(`MISMATCH ${m.artifact}\n  expected ${m.expected.slice(0, 200)}\n  actual   ${m.actual.slice(0, 200)}`);
console.log(
  mismatches.length === 0
    ? `artifacts check out (${((Date.now() - t0) / 1000).toFixed(1)} s)`
    : `${mismatches.length} artifact(s) fail: a changed circuit needs node scripts/build.ts; a failed verify means the committed setup is not what artifacts.json says`,
);
process.exit(mismatches.length === 0 ? 0 : 1);

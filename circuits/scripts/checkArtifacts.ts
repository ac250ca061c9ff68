// CI check: the committed circuit artifacts are what the source compiles to. node scripts/checkArtifacts.ts
import { checkArtifacts } from "./lib/checkArtifacts.ts";

const mismatches = await checkArtifacts();
for (const m of mismatches) console.error(`MISMATCH ${m.artifact}\n  expected ${m.expected.slice(0, 80)}\n  actual   ${m.actual.slice(0, 80)}`);
console.log(mismatches.length === 0 ? "artifacts match the circuit source" : `${mismatches.length} artifact(s) differ: run node scripts/build.ts`);
process.exit(mismatches.length === 0 ? 0 : 1);

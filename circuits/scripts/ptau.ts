// Builds (or finds) the cached development ptau: `node scripts/ptau.ts`.
import { fileURLToPath } from "node:url";
import { ensureDevPtau } from "./lib/devPtau.ts";

const dir = fileURLToPath(new URL("../ptau/", import.meta.url));
console.log(await ensureDevPtau(dir));
process.exit(0);

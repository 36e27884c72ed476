// One file per process, as a pre-commit hook or a shell loop would run a validator:
//   node ajv_one.js FILE
// Uses the validators compile.js generated ahead of time (falls back to compiling the schemas).
// Exit 0 valid, 1 invalid or unparsable.
"use strict";
const fs = require("fs");
const path = require("path");
const { operationOf } = require("./ajv_setup");

let validators;
try {
  validators = require("./validators.js");
} catch (e) {
  const ajv = require("./ajv_setup").makeAjv();
  validators = { BatchGetImage: ajv.getSchema("BatchGetImage.json"), DescribeImages: ajv.getSchema("DescribeImages.json") };
}
const file = process.argv[2];
const op = operationOf(file);
let ok = false;
try {
  ok = op !== null && validators[op](JSON.parse(fs.readFileSync(file, "utf8")));
} catch (e) {
  ok = false;
}
console.log(path.basename(file) + "\t" + (ok ? "valid" : "invalid"));
process.exit(ok ? 0 : 1);

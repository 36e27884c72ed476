// ajv as a library: one process compiles the schemas once and validates every file.
//   node ajv_many.js [--verdicts] FILE...
//   node ajv_many.js [--verdicts] -l LIST      (paths one per line)
// Prints "<valid> valid, <invalid> invalid, <unparsable> unparsable"; with --verdicts one
// "<file>\t<valid|invalid>" line per file instead. The operation comes from the file name.
"use strict";
const fs = require("fs");
const path = require("path");
const { makeAjv, operationOf } = require("./ajv_setup");

let args = process.argv.slice(2);
const verdicts = args[0] === "--verdicts";
if (verdicts) args = args.slice(1);
if (args[0] === "-l") args = fs.readFileSync(args[1], "utf8").split("\n").filter(Boolean);

const ajv = makeAjv();
const validate = {
  BatchGetImage: ajv.getSchema("BatchGetImage.json"),
  DescribeImages: ajv.getSchema("DescribeImages.json"),
};
let valid = 0, invalid = 0, unparsable = 0;
const out = [];
for (const file of args) {
  let ok;
  try {
    const op = operationOf(file);
    ok = op !== null && validate[op](JSON.parse(fs.readFileSync(file, "utf8")));
    ok ? valid++ : invalid++;
  } catch (e) {
    ok = false;
    unparsable++;
  }
  if (verdicts) out.push(path.basename(file) + "\t" + (ok ? "valid" : "invalid"));
}
process.stdout.write(verdicts ? out.join("\n") + "\n" : `${valid} valid, ${invalid} invalid, ${unparsable} unparsable\n`);

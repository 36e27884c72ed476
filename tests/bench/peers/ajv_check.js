// ajv as a library: validates every file named on the command line (or listed, one per line, in
// the file given with --list) in one process; the operation comes from the file name.
// Prints "valid invalid unparsable" counts and, with --verdicts, one "file<TAB>verdict" line each.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");
const schemas = require("./schemas");
const ajv = new Ajv({ allErrors: false });
const validate = {
  BatchGetImage: ajv.compile(schemas.BatchGetImage),
  DescribeImages: ajv.compile(schemas.DescribeImages),
};
let args = process.argv.slice(2);
const verdicts = args[0] === "--verdicts";
if (verdicts) args = args.slice(1);
if (args[0] === "--list") args = fs.readFileSync(args[1], "utf8").split("\n").filter(Boolean);
let ok = 0, bad = 0, broken = 0;
const out = [];
for (const f of args) {
  const op = f.includes("describe-images") ? "DescribeImages" : "BatchGetImage";
  let body;
  try {
    body = JSON.parse(fs.readFileSync(f, "utf8"));
  } catch (e) {
    broken++;
    continue;
  }
  const v = validate[op](body);
  if (v) ok++; else bad++;
  if (verdicts) out.push(path.basename(f) + "\t" + (v ? "valid" : "invalid"));
}
if (verdicts) console.log(out.join("\n"));
else console.log(ok + " " + bad + " " + broken);

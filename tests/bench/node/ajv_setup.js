// Builds one ajv instance with the schemas of ../schemas (shared shapes first). Used by
// ajv_many.js and compile.js.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");

const dir = path.join(__dirname, "..", "schemas");
const load = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));

function makeAjv(options) {
  const ajv = new Ajv({ allErrors: false, ...options });
  ajv.addSchema(load("ecr-shapes.json"));
  ajv.addSchema(load("BatchGetImage.json"));
  ajv.addSchema(load("DescribeImages.json"));
  return ajv;
}

// The operation of a request file, from its name, as ecrlint breaks ties and teams name fixtures.
function operationOf(file) {
  const base = path.basename(file).toLowerCase();
  if (base.includes("describe-images")) return "DescribeImages";
  if (base.includes("batch-get-image")) return "BatchGetImage";
  return null;
}

module.exports = { makeAjv, operationOf };

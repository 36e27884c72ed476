// Writes validators.js: the schemas compiled ahead of time to plain JavaScript (ajv's standalone
// code), so that ajv_one.js pays no schema compilation per process. Run by run.sh.
"use strict";
const fs = require("fs");
const path = require("path");
const standaloneCode = require("ajv/dist/standalone").default;
const { makeAjv } = require("./ajv_setup");

const ajv = makeAjv({ code: { source: true } });
const code = standaloneCode(ajv, { BatchGetImage: "BatchGetImage.json", DescribeImages: "DescribeImages.json" });
fs.writeFileSync(path.join(__dirname, "validators.js"), code);

// JSON Schemas for the constraints ecrlint checks in BatchGetImage and DescribeImages requests
// (service model 2015-09-21). Patterns are anchored: JSON Schema patterns are not.
"use strict";
const repositoryName = {
  type: "string", minLength: 2, maxLength: 256,
  pattern: "^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$",
};
const registryId = { type: "string", pattern: "^[0-9]{12}$" };
const imageId = {
  type: "object",
  properties: {
    imageDigest: { type: "string", pattern: "^[a-zA-Z0-9\\-_+.]+:[a-fA-F0-9]+$" },
    imageTag: { type: "string", minLength: 1, maxLength: 300, pattern: "^[a-zA-Z0-9\\-_.]+$" },
  },
  anyOf: [{ required: ["imageDigest"] }, { required: ["imageTag"] }],
};
const imageIds = { type: "array", minItems: 1, maxItems: 100, items: imageId };
module.exports = {
  BatchGetImage: {
    type: "object",
    required: ["repositoryName", "imageIds"],
    properties: {
      registryId, repositoryName, imageIds,
      acceptedMediaTypes: { type: "array", minItems: 1, maxItems: 100, items: { type: "string" } },
    },
  },
  DescribeImages: {
    type: "object",
    required: ["repositoryName"],
    properties: {
      registryId, repositoryName, imageIds,
      nextToken: { type: "string" },
      maxResults: { type: "integer", minimum: 1, maximum: 1000 },
      filter: {
        type: "object",
        properties: {
          tagStatus: { enum: ["TAGGED", "UNTAGGED", "ANY"] },
          imageStatus: { enum: ["ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"] },
        },
      },
    },
  },
};

/* el_client.h - the client's answer: what the AWS CLI and boto3 (botocore) say about a request
 * before they send it.
 *
 * botocore validates an operation's parameters against the service model before it serializes
 * them (botocore/validate.py, ParamValidator), and refuses the call with ParamValidationError,
 * whose text is "Parameter validation failed:" and one line per problem. It checks required
 * members, unknown members, the Python type of every value and the model's "min" bounds
 * (string lengths, list sizes, numbers); it checks no maximum, pattern or enum, which are
 * ECR's to refuse. The AWS CLI reads --cli-input-json files first, and refuses a file that is
 * not text, not JSON or not a JSON object with messages of its own.
 *
 * This module is a checker on the layer of request/ (docs/architecture.md): the driver's
 * request kind calls it with the parsed input; it reports nothing through el_report and keeps
 * no state. Its tables (el_client_shapes, el_client_ops) are generated from rules/models/ by
 * src/tools/modelgen.c into rules/generated/client_models.c.
 */
#ifndef EL_CLIENT_EL_CLIENT_H
#define EL_CLIENT_EL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/el_buf.h"

/* The model types botocore's validator distinguishes (float is validated as double). */
enum {
    EL_CT_STRUCTURE,
    EL_CT_LIST,
    EL_CT_MAP,
    EL_CT_STRING,
    EL_CT_BLOB,
    EL_CT_INTEGER,
    EL_CT_LONG,
    EL_CT_DOUBLE,
    EL_CT_BOOLEAN
};

typedef struct el_client_member {
    const char *name;
    unsigned shape; /* index in el_client_shapes */
} el_client_member;

typedef struct el_client_shape {
    unsigned char type; /* EL_CT_* */
    bool has_min;       /* the model's "min": string length, list size or number */
    long long min;
    unsigned member, key, value; /* a list's member; a map's key and value shapes */
    size_t nmembers, nrequired;  /* a structure's members, in the model's order */
    const el_client_member *members;
    const char *const *required; /* in the order of the model's "required" list */
} el_client_shape;

typedef struct el_client_op {
    const char *name;  /* the packs' operation name: "BatchGetImage", "ecr-public:ListTags…" */
    const char *model; /* the model it comes from: "ecr-2015-09-21" */
    long input;        /* its input shape, -1 when it has none */
} el_client_op;

extern const el_client_shape el_client_shapes[];
extern const el_client_op el_client_ops[];
extern const size_t el_client_nops;

/* The operation named `name` (as the rule packs name it), or NULL. */
const el_client_op *el_client_op_find(const char *name);

/* What the client would say about an input of operation `op` whose bytes are
 * text[0..len) (a byte-order mark included) and which parsed as `root` (NULL: not JSON), read
 * from `path` as `aws ... --cli-input-json file://<path>` reads it (record: false), or given to
 * boto3 as the parameters of one call (record: true, a JSON Lines record: any JSON value is
 * validated as the parameters; text that is not JSON cannot be given, and is refused as the CLI
 * refuses it). When it would refuse it, its message is appended to `out` and true returned.
 * `out` may then have failed (memory). The message is botocore's text, one line per problem;
 * with one_line, its problems follow "Parameter validation failed: " separated by "; " (a
 * finding's message), new lines inside a value or name kept as they are. */
bool el_client_check(const el_client_op *op, const char *path, const char *text, size_t len,
                     const json_t *root, bool record, bool one_line, el_buf *out);

/* botocore's ParamValidator alone, on parameters `params` (any JSON value): appends the
 * report lines (without "Parameter validation failed:"; with one_line, separated by "; ") and
 * returns true when there are problems. */
bool el_client_validate(const el_client_op *op, const json_t *params, bool one_line, el_buf *out);

#endif

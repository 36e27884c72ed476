/* el_request.h - the request checker: which operation an input is (detect.c), and the
 * operation's shape checks over its body (walk.c). */
#ifndef EL_REQUEST_EL_REQUEST_H
#define EL_REQUEST_EL_REQUEST_H

#include <stdbool.h>

#include <jansson.h>

#include "check/el_ctx.h"
#include "rules/el_rules.h"

/* Runs an operation's shape checks over `root` (a JSON object). */
ecrlint_status el_check_operation(el_ctx *cx, const el_operation *op, const json_t *root);

/* The checks that relate members in ways the shapes cannot say (relations.c): run after the
 * shape checks over `root` (any JSON value; only objects are looked at). */
ecrlint_status el_check_relations(el_ctx *cx, const el_operation *op, const json_t *root);

/* What a file's name says of its operation, worked out once per name: a checker keeps the
 * last one it was asked about, since the records of a JSON Lines file share their file's name
 * and the name is compared with every operation's. Zero-initialised: empty. */
#define EL_NAME_PART 256
typedef struct el_name_memo {
    const el_ruleset *rs;
    char *path; /* the name this is about (owned); NULL: nothing yet */
    char stem[EL_NAME_PART], orig[EL_NAME_PART], folder[EL_NAME_PART];
    const char *service;       /* the other AWS service the folder names, or NULL */
    const el_operation *named; /* the operation the stem names, or NULL */
    bool strong, exact;        /* see named_operation in detect.c */
    bool looks_operation;      /* the stem reads like another API's operation name */
} el_name_memo;

void el_name_memo_clear(el_name_memo *m);

/* Picks the operation for an input in automatic mode; NULL when none fits. Sets *reason to a
 * text explaining a skip (static, or kept per thread until the thread's next call), and
 * *ambiguous when several operations fitted equally. `memo` (may be NULL) keeps what the name
 * says for the next input of the same name. */
const el_operation *el_detect_operation(const el_ruleset *rs, const json_t *root, const char *path,
                                        el_name_memo *memo, const char **reason, bool *ambiguous);

/* Does the file's name say it is meant for ECR: a stem that names an ECR or ECR Public
 * operation (batch-get-image-bad.json), or a parent folder named ecr or ecr-public, and no
 * parent folder named after another AWS service? A text that is not JSON is an error then, and
 * skipped otherwise. */
bool el_named_for_ecr(const el_ruleset *rs, const char *path);

/* The other AWS service the folder `path` is in is named after (codecommit/...), or NULL. */
const char *el_folder_other_service(const char *path);

/* The folder names of other AWS services, sorted (strcmp) rows for bsearch:
 * rules/generated/aws_services.c, written by src/tools/aws_services.py. */
#define EL_AWS_SERVICE_WIDTH 40
extern const char el_aws_services[][EL_AWS_SERVICE_WIDTH];
extern const size_t el_aws_nservices;

/* The operation `name` names: its API name (BatchGetImage), or the same ignoring case, '-'
 * and '_' (batch-get-image, as the AWS CLI spells it); NULL when none. */
const el_operation *el_operation_by_name(const el_ruleset *rs, const char *name);
/* The operation an X-Amz-Target header value t[0..len) names; NULL when none. */
const el_operation *el_operation_for_target(const el_ruleset *rs, const char *t, size_t len);

#endif

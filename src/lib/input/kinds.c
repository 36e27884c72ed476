/* kinds.c - the kinds of input the driver checks, in the order automatic mode tries them.
 *
 * A kind is a checker below this layer (request/, manifest/) seen through the small interface
 * of el_input_kind: how it is named, how it is recognised, and how it is checked. Adding a
 * kind of input is one module and one row here. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "client/el_client.h"
#include "input/el_input.h"
#include "lifecycle/el_lifecycle.h"
#include "manifest/el_manifest.h"
#include "policy/el_policy.h"
#include "report/el_result.h"
#include "request/el_request.h"

/* ---- requests and responses of an operation (request/) ------------------------------------ */

static bool operation_by_name(const el_ruleset *rs, const char *name, el_pick *pick)
{
    pick->op = el_operation_by_name(rs, name);
    return pick->op != NULL;
}

static bool operation_recognize(const el_ruleset *rs, const el_body *b, el_pick *pick,
                                const char **reason)
{
    pick->op = el_detect_operation(rs, b->root, b->path, b->names, reason, &pick->ambiguous);
    return pick->op != NULL;
}

static ecrlint_status operation_begin(el_ctx *cx, const el_pick *pick)
{
    cx->res->kind = pick->op->kind;
    cx->predict = pick->op->kind == ECRLINT_KIND_REQUEST;
    return ECRLINT_OK;
}

/* The client's answer (client/): what botocore, behind the AWS CLI's --cli-input-json, says
 * of the request before it would send it. Its text as botocore prints it is the result's
 * client error; a refusal is also ECR0021's finding, on one line, so that it counts as an
 * error in every format and in the exit status. */
static ecrlint_status client_answer(el_ctx *cx, const el_body *b, const el_operation *op)
{
    const el_client_op *cop = el_client_op_find(op->name);
    ecrlint_result *res = cx->res;
    if (!cop)
        return ECRLINT_OK; /* an operation of an added pack that the models do not have */
    if (!el_result_keep(res, &res->client_name, "botocore") ||
        !el_result_keep(res, &res->client_model, cop->model))
        return ECRLINT_ERR_NOMEM;
    const char *text = b->text - b->bom;
    size_t len = b->len + b->bom;
    bool record = res->record_line > 0;
    el_buf msg, one;
    el_buf_init(&msg);
    el_buf_init(&one);
    bool refused = el_client_check(cop, b->path, text, len, b->root, record, false, &msg);
    ecrlint_status st = ECRLINT_OK;
    if (refused) {
        el_client_check(cop, b->path, text, len, b->root, record, true, &one);
        if (msg.failed || one.failed || !el_result_keep(res, &res->client_error, msg.data)) {
            st = ECRLINT_ERR_NOMEM;
        } else {
            el_var v[] = {{"message", one.data}, {NULL, NULL}};
            st = el_report(cx, "ECR0021", "", EL_LOCATE_VALUE, v);
        }
    } else if (msg.failed) {
        st = ECRLINT_ERR_NOMEM;
    }
    el_buf_free(&one);
    el_buf_free(&msg);
    return st;
}

static ecrlint_status operation_check(el_ctx *cx, const el_body *b, const el_pick *pick)
{
    ecrlint_status st = ECRLINT_OK;
    /* the client's answer first: it comes before ECR's, and findings at the same place sort
     * in the order they were reported */
    if (cx->client_botocore && pick->op->kind == ECRLINT_KIND_REQUEST)
        st = client_answer(cx, b, pick->op);
    if (st == ECRLINT_OK && b->root) {
        if (!el_result_keep(cx->res, &cx->res->operation, pick->op->name))
            return ECRLINT_ERR_NOMEM;
        size_t before = cx->res->ndiags;
        st = el_check_operation(cx, pick->op, b->root);
        /* Members that fit several operations: the first is assumed, and said only when the
         * check found something, which then depends on that choice. A clean file gets no note. */
        if (st == ECRLINT_OK && pick->ambiguous && cx->res->ndiags > before) {
            el_var v[] = {{"operation", pick->op->name}, {NULL, NULL}};
            st = el_report(cx, "ECR0040", "", EL_LOCATE_VALUE, v);
        }
    }
    return st;
}

const el_input_kind el_kind_operation = {
    .name = "operation",
    .by_name = operation_by_name,
    .by_media_type = false,
    .recognize = operation_recognize,
    .begin = operation_begin,
    .check = operation_check,
    .empty_is_kind = true,
    .answers_syntax = false,
};

/* ---- image manifests (manifest/) ----------------------------------------------------------- */

static bool manifest_by_name(const el_ruleset *rs, const char *name, el_pick *pick)
{
    (void)rs;
    (void)pick;
    return strcmp(name, "manifest") == 0;
}

static bool manifest_recognize(const el_ruleset *rs, const el_body *b, el_pick *pick,
                               const char **reason)
{
    (void)rs;
    (void)pick;
    (void)reason;
    return el_manifest_sniff(b->root);
}

static ecrlint_status manifest_begin(el_ctx *cx, const el_pick *pick)
{
    (void)pick;
    cx->res->kind = ECRLINT_KIND_MANIFEST;
    cx->predict = true;
    return ECRLINT_OK;
}

static ecrlint_status manifest_check(el_ctx *cx, const el_body *b, const el_pick *pick)
{
    (void)pick;
    const ecrlint_check_options *opt = cx->opt;
    return el_manifest_check(cx, b->text - b->bom, b->len + b->bom, b->root,
                             opt ? opt->media_type : NULL, opt ? opt->accept : NULL);
}

const el_input_kind el_kind_manifest = {
    .name = "manifest",
    .by_name = manifest_by_name,
    .by_media_type = true,
    .recognize = manifest_recognize,
    .begin = manifest_begin,
    .check = manifest_check,
    .empty_is_kind = false,
    .answers_syntax = true,
};

static ecrlint_status manifest_embedded(el_ctx *cx, const el_embedded *doc)
{
    return el_manifest_check(cx, doc->bytes, doc->len, doc->root, doc->declared, NULL);
}

/* ---- repository, registry and IAM policies (policy/) ------------------------------------- */

static bool policy_by_name(const el_ruleset *rs, const char *name, el_pick *pick)
{
    (void)rs;
    el_policy_kind k;
    if (!el_policy_kind_by_name(name, &k))
        return false;
    pick->variant = (int)k;
    return true;
}

static bool policy_recognize(const el_ruleset *rs, const el_body *b, el_pick *pick,
                             const char **reason)
{
    (void)rs;
    (void)reason;
    el_policy_kind k;
    if (!el_policy_sniff(b->root, &k))
        return false;
    pick->variant = (int)k;
    return true;
}

static ecrlint_status policy_begin(el_ctx *cx, const el_pick *pick)
{
    cx->res->kind = ECRLINT_KIND_POLICY;
    /* A repository or registry policy file gets the answer SetRepositoryPolicy or
     * PutRegistryPolicy would give; an IAM policy is no ECR request. */
    cx->predict = (el_policy_kind)pick->variant != EL_POLICY_IDENTITY;
    return el_result_keep(cx->res, &cx->res->operation,
                          el_policy_kind_name((el_policy_kind)pick->variant))
               ? ECRLINT_OK
               : ECRLINT_ERR_NOMEM;
}

static ecrlint_status policy_check(el_ctx *cx, const el_body *b, const el_pick *pick)
{
    el_policy_doc doc = {.kind = (el_policy_kind)pick->variant, .member = "PolicyText"};
    return el_policy_check(cx, &doc, b->text, b->len, b->root, NULL);
}

/* Is the member of the request that holds an embedded document optional (a creation
 * template's repositoryPolicy, not SetRepositoryPolicy's policyText)? */
static bool optional_member(const el_embedded *e)
{
    const el_shape *in = e->op ? e->op->input : NULL;
    for (size_t i = 0; in && e->member && i < in->nmembers; i++)
        if (strcmp(in->members[i].name, e->member) == 0)
            return in->members[i].required_rule == NULL;
    return false;
}

/* A policy text in a request: SetRepositoryPolicy's and PutRegistryPolicy's policyText, a
 * creation template's repositoryPolicy. ECR's answer names the member capitalised. An empty
 * text in an optional member sets no policy (the model allows length 0 there). */
static ecrlint_status policy_embedded(el_ctx *cx, const el_embedded *e, el_policy_kind kind)
{
    if (e->len == 0 && optional_member(e))
        return ECRLINT_OK;
    char member[64];
    el_policy_answer_member(e->member ? e->member : "policyText", member, sizeof member);
    const json_t *reg = json_object_get(e->parent, "registryId");
    el_policy_doc doc = {.kind = kind,
                         .member = member,
                         .owner = json_is_string(reg) ? json_string_value(reg) : NULL};
    return el_policy_check(cx, &doc, e->bytes, e->len, e->root, e->error);
}

static ecrlint_status repository_policy_embedded(el_ctx *cx, const el_embedded *e)
{
    return policy_embedded(cx, e, EL_POLICY_REPOSITORY);
}

static ecrlint_status registry_policy_embedded(el_ctx *cx, const el_embedded *e)
{
    return policy_embedded(cx, e, EL_POLICY_REGISTRY);
}

const el_input_kind el_kind_policy = {
    .name = "policy",
    .by_name = policy_by_name,
    .by_media_type = false,
    .recognize = policy_recognize,
    .begin = policy_begin,
    .check = policy_check,
    .empty_is_kind = false,
    .answers_syntax = true,
};

/* ---- lifecycle policies (lifecycle/) ------------------------------------------------------- */

static bool lifecycle_by_name(const el_ruleset *rs, const char *name, el_pick *pick)
{
    (void)rs;
    (void)pick;
    return strcmp(name, "lifecycle-policy") == 0 || strcmp(name, "LifecyclePolicy") == 0 ||
           strcmp(name, "lifecyclePolicy") == 0;
}

static bool lifecycle_recognize(const el_ruleset *rs, const el_body *b, el_pick *pick,
                                const char **reason)
{
    (void)rs;
    (void)pick;
    (void)reason;
    return el_lifecycle_sniff(b->root);
}

static ecrlint_status lifecycle_begin(el_ctx *cx, const el_pick *pick)
{
    (void)pick;
    cx->res->kind = ECRLINT_KIND_LIFECYCLE_POLICY;
    cx->predict = true; /* the answer PutLifecyclePolicy would give */
    return ECRLINT_OK;
}

static ecrlint_status lifecycle_check(el_ctx *cx, const el_body *b, const el_pick *pick)
{
    (void)pick;
    el_lifecycle_input in = {.bytes = b->text,
                             .len = b->len,
                             .root = b->root,
                             .error = NULL,
                             .member = "LifecyclePolicyText",
                             .embedded = false};
    return el_lifecycle_check(cx, &in);
}

const el_input_kind el_kind_lifecycle = {
    .name = "lifecycle-policy",
    .by_name = lifecycle_by_name,
    .by_media_type = false,
    .recognize = lifecycle_recognize,
    .begin = lifecycle_begin,
    .check = lifecycle_check,
    .empty_is_kind = true,
    .answers_syntax = true,
};

/* A policy text in a request member: ECR names the member capitalised in its answer
 * ('LifecyclePolicyText' for PutLifecyclePolicy's lifecyclePolicyText). */
static ecrlint_status lifecycle_embedded(el_ctx *cx, const el_embedded *doc)
{
    char member[64];
    snprintf(member, sizeof member, "%s", doc->member ? doc->member : "lifecyclePolicyText");
    member[0] = (char)toupper((unsigned char)member[0]);
    el_lifecycle_input in = {.bytes = doc->bytes,
                             .len = doc->len,
                             .root = doc->root,
                             .error = doc->error,
                             .member = member,
                             .embedded = true};
    return el_lifecycle_check(cx, &in);
}

const el_input_kind *const el_input_kinds[] = {&el_kind_operation, &el_kind_manifest,
                                               &el_kind_policy, &el_kind_lifecycle, NULL};

/* ---- documents inside request members ------------------------------------------------------ */

/* The checkers of the documents that rule packs name in a {"document": NAME} check. */
const el_embedded_checker el_embedded_checkers[] = {
    {.name = "manifest", .check = manifest_embedded, .names_place = false},
    {.name = "repositoryPolicy", .check = repository_policy_embedded, .names_place = true},
    {.name = "registryPolicy", .check = registry_policy_embedded, .names_place = true},
    {.name = "lifecyclePolicy", .check = lifecycle_embedded, .names_place = true},
    {.name = NULL, .check = NULL, .names_place = false},
};

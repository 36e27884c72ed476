/*
 * el_lifecycle.h - Amazon ECR lifecycle policies: recognising a policy document, checking it as
 * ECR does (the JSON schema first, then the rules between rules), and a typed view of a valid
 * policy for whatever evaluates one (a preview of what it would expire).
 *
 * Sources, cited in the module by page:
 *   "Lifecycle policy properties":
 *     https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 *   "Automate the cleanup of images by using lifecycle policies":
 *     https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 *   "Examples of lifecycle policies":
 *     https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html
 *   "Amazon ECR service quotas":
 *     https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
 *   The wording of ECR's schema failures is that of the java-json-tools json-schema-validator
 *   (draft v4), whose English messages are in its validation.properties:
 *     https://github.com/java-json-tools/json-schema-validator
 * ECR's schema itself is not published: lc_schema.c holds the best-fitting one, as data, and
 * says which parts are inferred.
 */
#ifndef EL_LIFECYCLE_H
#define EL_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "check/el_ctx.h"

/* ---- the typed view of a policy ------------------------------------------------------------- */

typedef enum el_lc_tag_status { EL_LC_TAGGED, EL_LC_UNTAGGED, EL_LC_ANY } el_lc_tag_status;

typedef enum el_lc_count_type {
    EL_LC_IMAGE_COUNT_MORE_THAN,
    EL_LC_SINCE_IMAGE_PUSHED,
    EL_LC_SINCE_IMAGE_PULLED,
    EL_LC_SINCE_IMAGE_TRANSITIONED
} el_lc_count_type;

typedef enum el_lc_storage_class { EL_LC_STANDARD, EL_LC_ARCHIVE } el_lc_storage_class;

typedef enum el_lc_action { EL_LC_EXPIRE, EL_LC_TRANSITION } el_lc_action;

/* One rule. Strings point into the parsed document: the view lives as long as its tree. */
typedef struct el_lc_rule {
    size_t index;            /* its place in "rules" */
    long long priority;      /* rulePriority */
    const char *description; /* NULL when absent */
    el_lc_tag_status tag_status;
    const char **tag_prefixes; /* tagPrefixList (NULL when absent) */
    size_t ntag_prefixes;
    const char **tag_patterns; /* tagPatternList (NULL when absent) */
    size_t ntag_patterns;
    el_lc_storage_class storage_class; /* selection.storageClass, standard by default */
    el_lc_count_type count_type;
    long long count_number; /* images for imageCountMoreThan, days for the others */
    el_lc_action action;
    el_lc_storage_class target_storage_class; /* transition: archive */
} el_lc_rule;

typedef struct el_lc_policy {
    el_lc_rule *rules; /* in document order */
    size_t nrules;
    size_t *by_priority; /* indexes into rules, lowest rulePriority first */
} el_lc_policy;

/* Reads the rules of root that have ECR's form (the schema's: other rules are left out, so a
 * policy the checker accepted is read whole). ECRLINT_ERR_NOMEM when memory ran out. */
ecrlint_status el_lc_policy_read(const json_t *root, el_lc_policy *out);
void el_lc_policy_free(el_lc_policy *p);

/* Why el_lc_policy_read leaves a rule out, for a reader that needs every rule: the first failure
 * of ECR's schema in `rule`, as its JSON pointer relative to the rule ("/selection/countNumber";
 * a missing or unknown member's own pointer) in *pointer and the validator's message in *text
 * (both to el_free). False when the rule conforms, or when memory ran out. */
bool el_lc_rule_flaw(const json_t *rule, char **pointer, char **text);

/* Does a tag pattern (an entry of tagPatternList) match a tag? '*' matches any run of
 * characters, the empty one too; the rest matches itself, case-sensitively, over the whole tag.
 * The one definition of it (util's el_glob_match, without '?'): the typed view's
 * el_lc_rule_selects and the preview's engine both ask here. */
bool el_lc_glob_match(const char *pattern, const char *tag);

/* Does rule r select an image with these tags in this storage class, by its tagging
 * requirements (before counting)? A tagged rule needs every one of its list's entries to
 * match at least one of the image's tags (a prefix entry: a tag starts with it). */
bool el_lc_rule_selects(const el_lc_rule *r, const char *const *tags, size_t ntags,
                        el_lc_storage_class storage_class);

/* ---- checking ------------------------------------------------------------------------------ */

/* Does root look like a lifecycle policy ({"rules": [{"rulePriority": ...}]})? */
bool el_lifecycle_sniff(const json_t *root);

/* What is checked: a standalone file or the text of a request member. */
typedef struct el_lifecycle_input {
    const char *bytes; /* the policy's text */
    size_t len;
    const json_t *root;        /* parsed; NULL when it is not JSON */
    const json_error_t *error; /* then jansson's error, when known */
    /* The member ECR names in its answer ("LifecyclePolicyText"). */
    const char *member;
    bool embedded; /* inside a request member, whose length the request's checks hold */
} el_lifecycle_input;

/* Checks a lifecycle policy and reports through el_report (rules ECR81xx-ECR83xx). */
ecrlint_status el_lifecycle_check(el_ctx *cx, const el_lifecycle_input *in);

/* The length limits of a policy text, in characters (the API model's LifecyclePolicyText). */
#define EL_LC_TEXT_MIN 100
#define EL_LC_TEXT_MAX 30720
/* Rules per policy (service quota, not adjustable). */
#define EL_LC_RULES_MAX 50
/* The nesting ECR's JSON reader takes in a policy text, in levels (the outermost object is
 * one): Jackson's default since 2.15, StreamReadConstraints' maxNestingDepth,
 * https://github.com/FasterXML/jackson-core/wiki/StreamReadConstraints ("Nesting Depth").
 * That ECR reads the text with that default is inferred (rule ECR8301, confidence low). */
#define EL_LC_DEPTH_MAX 1000

#endif

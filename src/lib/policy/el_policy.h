/* el_policy.h - the policy checker: ECR repository and registry policies, and IAM policies that
 * grant ecr: actions (src/lib/policy/).
 *
 * A policy is an IAM policy document (Version, Statement, and per statement Sid, Effect,
 * Principal or NotPrincipal, Action or NotAction, Resource, Condition) as ECR applies it:
 *   IAM JSON policy reference:
 *     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 *   ECR's actions: https://docs.aws.amazon.com/service-authorization/latest/reference/
 *     list_amazonelasticcontainerregistry.html
 *   Repository policies: https://docs.aws.amazon.com/AmazonECR/latest/userguide/
 *     repository-policies.html ; registry policies and their scope (V1, V2):
 *     https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 *
 * ECR answers every malformed policy with one generic sentence ('Invalid repository policy
 * provided', 'Invalid registry policy provided'); the findings say which statement and which
 * element are wrong. The rules are in rules/policy.json, and so are the data the checks use
 * (ECR's action names, the registry's V1 scope, the push actions, the condition operators), as
 * enum shapes the checker reads by name.
 */
#ifndef EL_POLICY_EL_POLICY_H
#define EL_POLICY_EL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "check/el_ctx.h"

typedef enum el_policy_kind {
    EL_POLICY_REPOSITORY, /* SetRepositoryPolicy, a creation template's repositoryPolicy */
    EL_POLICY_REGISTRY,   /* PutRegistryPolicy */
    EL_POLICY_IDENTITY    /* an IAM identity policy (no Principal) that grants ecr: actions */
} el_policy_kind;

/* The document being checked: what it is, and how ECR names its member in an answer. */
typedef struct el_policy_doc {
    el_policy_kind kind;
    /* The member ECR's answer names: 'PolicyText' for SetRepositoryPolicy and
     * PutRegistryPolicy (ECR capitalises it), a creation template's 'repositoryPolicy'. */
    const char *member;
    /* The account that owns the repository or registry when the request names it
     * (registryId), else NULL: a principal of another account is then any account. */
    const char *owner;
} el_policy_doc;

/* The kind a name gives (--operation): repository-policy, registry-policy, iam-policy (any
 * case, '-' or '_'); false when `name` names none. */
bool el_policy_kind_by_name(const char *name, el_policy_kind *kind);

/* "repository-policy", "registry-policy", "iam-policy". */
const char *el_policy_kind_name(el_policy_kind kind);

/* Automatic mode: is root (a JSON object) a policy that grants or denies ecr: actions? On yes
 * *kind says which: a statement without Principal or NotPrincipal makes an identity policy; a
 * registry-only action (ecr:ReplicateImage, ecr:BatchImportUpstreamImage) or an ECR ARN in
 * Resource a registry policy; otherwise a repository policy. IAM policies of other services
 * are not policies here. */
bool el_policy_sniff(const json_t *root, el_policy_kind *kind);

/* Checks the policy text bytes[0..len), parsed as root (NULL when it is not JSON; `error` then
 * says why and where, or is NULL). Inside another input (cx->embed_pointer set) a text that
 * is not JSON is a finding of this module, at the parse error's offset; a standalone file that
 * is not JSON has had its parse error reported by the input layer. */
ecrlint_status el_policy_check(el_ctx *cx, const el_policy_doc *doc, const char *bytes, size_t len,
                               const json_t *root, const json_error_t *error);

/* ECR's name for a member that holds a policy document in its answers: the member with its
 * first letter capitalised ('PolicyText' for policyText), into out (at most outsize bytes). */
void el_policy_answer_member(const char *member, char *out, size_t outsize);

#endif

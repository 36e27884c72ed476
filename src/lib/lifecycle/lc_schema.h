/* lc_schema.h - ECR's JSON schema of a lifecycle policy, as data, and a validator that walks
 * it as the java-json-tools json-schema-validator (draft v4) does, with its messages.
 * Internal to the lifecycle module. */
#ifndef EL_LIFECYCLE_LC_SCHEMA_H
#define EL_LIFECYCLE_LC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "check/el_ctx.h"
#include "ecrlint/ecrlint.h"

/* What a schema node describes: how a finding about it is put in plain words. */
typedef enum lc_role {
    LC_NONE = 0,
    LC_ROOT,
    LC_RULES,
    LC_RULE,
    LC_PRIORITY,
    LC_DESCRIPTION,
    LC_SELECTION,
    LC_TAG_STATUS,
    LC_TAG_LIST,
    LC_TAG_ENTRY,
    LC_COUNT_TYPE,
    LC_COUNT_UNIT,
    LC_COUNT_NUMBER,
    LC_STORAGE_CLASS,
    LC_ACTION,
    LC_ACTION_TYPE,
    LC_TARGET_STORAGE_CLASS
} lc_role;

/* JSON types, in the validator's order of names (its messages list them so). */
enum {
    LC_T_ARRAY = 1,
    LC_T_BOOLEAN = 2,
    LC_T_INTEGER = 4,
    LC_T_NULL = 8,
    LC_T_NUMBER = 16,
    LC_T_OBJECT = 32,
    LC_T_STRING = 64
};

typedef struct lc_schema lc_schema;

typedef struct lc_prop {
    const char *name;
    const lc_schema *schema;
} lc_prop;

/* A draft-v4 schema, as far as ECR's uses it. Lists are NULL-terminated; names sorted as Java
 * sorts strings. */
struct lc_schema {
    lc_role role;
    unsigned type;            /* allowed types (LC_T_*), 0: any */
    const char *const *enums; /* allowed string values, or NULL */
    bool has_minimum;
    long long minimum;
    const char *const *required;
    const lc_prop *props;
    bool closed;            /* additionalProperties: false */
    const lc_schema *items; /* array items */
    const lc_schema *const *one_of;
    const lc_schema *not_schema;
};

/* The schema of a whole policy, and of one rule. */
extern const lc_schema lc_policy_schema, lc_rule_schema;

/* The validator's keywords that ECR's schema uses, in the order it runs them on a node. */
typedef enum lc_kw {
    LC_KW_ADDITIONAL,
    LC_KW_ENUM,
    LC_KW_MINIMUM,
    LC_KW_NOT,
    LC_KW_ONE_OF,
    LC_KW_REQUIRED,
    LC_KW_TYPE
} lc_kw;

/* One failure: the keyword, the node of the schema and of the document, and the validator's
 * message. */
typedef struct lc_msg {
    lc_kw kw;
    const lc_schema *schema;
    const json_t *instance;
    char *pointer; /* the instance's JSON pointer */
    char *text;    /* the validator's message */
    char *name;    /* required, additionalProperties: the first name it lists */
} lc_msg;

typedef struct lc_report {
    lc_msg *msgs;
    size_t n, cap;
    size_t errors; /* failures, kept or not */
    size_t keep;   /* messages kept at most (the rest are counted) */
    bool nomem;
} lc_report;

/*
 * Validates instance against schema into r. `deep` false: as ECR's validator does, which
 * stops descending into a node's members once the report holds any failure (so its answer
 * lists the failures up to the first node that has one, and the own keywords of the nodes
 * already queued); true: every failure of the document, for findings. pointer is the
 * instance's (for messages). Returns false when memory ran out.
 */
bool lc_validate(const lc_schema *schema, const json_t *instance, const char *pointer, bool deep,
                 lc_report *r);
void lc_report_free(lc_report *r);

/* Does the instance have the schema's form (no failure)? */
bool lc_conforms(const lc_schema *schema, const json_t *instance);

/* el_lc_policy_read, told whether the whole policy has the schema's form already (then no rule
 * is validated again). */
struct el_lc_policy;
ecrlint_status lc_policy_read(const json_t *root, bool conforming, struct el_lc_policy *out);

/* The validator's name of a JSON type ("null", "integer", ...). */
const char *lc_type_name(const json_t *v);

#endif

/*
 * el_rules.h - rule packs in memory: rules, shapes, checks and operations.
 *
 * A ruleset is built from an ordered list of pack documents (the built-in packs, then the
 * user's --rules packs). Names are global across packs: a later pack's rule, shape or
 * operation replaces an earlier one with the same name, and shapes may refer to shapes of any
 * pack. The format is documented in rules/README.md; the loader (pack_load.c) is its reference.
 *
 * Error convention of the rules module (and of src/tools/packgen.c): a function that can fail
 * returns ecrlint_status (ECRLINT_OK = 0) and, where it has one, fills the caller's
 * ecrlint_error (the first error wins); callers pass a failure on with
 * `st = f(...); if (st) return st;`. Pure predicates return bool; constructors return the new
 * object or NULL with the error filled (el_ruleset_build). Nothing returns or exits from a
 * macro or a helper. el_regex_match answers with an el_match, which says more than a status.
 */
#ifndef EL_RULES_H
#define EL_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ecrlint/ecrlint.h"
#include "util/el_buf.h"

/* A message template split where its pack is loaded: runs of literal text and {name}
 * placeholders, so that a finding's message is joined without searching the template. */
typedef struct el_tpl_part {
    const char *text; /* the literal run, or the placeholder as written: "{name}" */
    size_t len;
    bool var; /* a placeholder: its name is text[1 .. len - 1) */
} el_tpl_part;

typedef struct el_tpl {
    const el_tpl_part *parts; /* owned by the rule (heap), or static in the built-in ruleset */
    size_t n;
} el_tpl;

/* Splits tpl (which must outlive out: the parts point into it) as expansion reads it: "{name}"
 * up to the first '}' after a '{'; a '{' with no '}' after it is literal, like the rest. An
 * empty or NULL template has no parts. ECRLINT_ERR_NOMEM when memory ran out. */
ecrlint_status el_tpl_compile(const char *tpl, el_tpl *out);
void el_tpl_free(el_tpl *t);

typedef struct el_rule {
    ecrlint_rule_info info; /* public view; strings owned by the rule */
    char *message;          /* diagnostic template; NULL: derived from the outcome */
    bool after_validation;  /* its exception applies only when validation found none */
    /* The exception's message when the value is an item of a list of strings: Coral names the
     * list and wraps the item's sentence ("exception": {"itemMessage"}); NULL: the message. */
    char *item_message;
    /* message, info.exception_message, info.failure_reason and item_message, split */
    el_tpl message_tpl, exception_tpl, reason_tpl, item_tpl;
    bool breaks_spec; /* a finding means the manifest breaks its own specification */
    /* botocore refuses what it finds before sending: an error when the client is botocore */
    bool client_refuses;
    char **vars; /* the template variables its templates use (the pack's "vars") */
    size_t nvars;
} el_rule;

typedef struct el_ruleset el_ruleset; /* defined below */

const el_rule *el_ruleset_find(const el_ruleset *rs, const char *id);

/* A regular expression compiled on first use (most runs need only a few of them), matched
 * against the whole subject. Thread-safe. */
typedef struct el_regex {
    char *source;
    pthread_mutex_t lock;
    pcre2_code *_Atomic code; /* NULL until first use; set once */
    int error;                /* PCRE2 compile error code, 0 when none */
    size_t error_offset;
    pcre2_code *_Atomic jit; /* a JIT-compiled copy, made once the pattern is used often */
    atomic_uint uses;
    /* Built-in patterns: the compiled form, serialized by packgen at build time
     * (pcre2_serialize_encode), so that start-up decodes instead of compiling. serialized_by names
     * the PCRE2 build that made it (el_regex_pcre2_build): with any other at run time (a shared
     * library upgraded since), or when it does not decode, the source is compiled. */
    const unsigned char *serialized;
    const char *serialized_by;
} el_regex;

/* Frees the compiled forms of a regex (not the struct or its source). */
void el_regex_release(el_regex *re);

/* What matching a value against a pattern found. */
typedef enum el_match {
    EL_MATCH_NO = 0, /* the whole string does not match */
    EL_MATCH_YES,    /* the whole string matches */
    EL_MATCH_BROKEN, /* the pattern does not compile */
    EL_MATCH_NOMEM,  /* memory ran out */
    EL_MATCH_LIMIT,  /* the match hit PCRE2's match, depth or heap limit: undecided */
    EL_MATCH_UNTRIED /* not matched at all (a caller's own value: the pattern was skipped) */
} el_match;

/* Matches `subject`, which must be valid UTF-8 (jansson's strings are; it is not checked again).
 * Never returns EL_MATCH_UNTRIED. */
el_match el_regex_match(el_regex *re, const char *subject, size_t len, pcre2_match_data *md,
                        pcre2_match_context *mctx);
/* Compiles now. ECRLINT_ERR_RULES when the pattern does not compile (re->error holds PCRE2's
 * error code, for pcre2_get_error_message, and re->error_offset where), ECRLINT_ERR_NOMEM when
 * memory ran out (not remembered: the next call tries again). */
ecrlint_status el_regex_compile(el_regex *re);
/* The compiled pattern (after el_regex_compile succeeded) in PCRE2's serialized form, for
 * packgen: a new buffer (free with pcre2_serialize_free) or NULL. */
unsigned char *el_regex_serialize(el_regex *re, size_t *len);
/* The PCRE2 in use, as far as its serialized form depends on it: version, internal link size,
 * Unicode support ("10.42 2022-12-11/link 2/unicode 1"). */
#define EL_PCRE2_BUILD_MAX 96
const char *el_regex_pcre2_build(char out[EL_PCRE2_BUILD_MAX]);

/* Limits of one match (see the README's Security section). */
#define EL_REGEX_MATCH_LIMIT 1000000
#define EL_REGEX_DEPTH_LIMIT 10000
#define EL_REGEX_HEAP_LIMIT_KIB 20000
/* Creates match data and a match context with the limits above; false (both NULL) when memory
 * ran out. They and what matching allocates (the interpreter's frames) come from the check's
 * arena when one is active, else from el_malloc; `lasting` (a checker's, kept from one check
 * to the next) always takes el_malloc. */
bool el_regex_match_state_new(pcre2_match_data **md, pcre2_match_context **mctx, bool lasting);

typedef enum el_type {
    EL_T_ANY = 0,
    EL_T_STRUCTURE,
    EL_T_LIST,
    EL_T_MAP,
    EL_T_STRING,
    EL_T_INTEGER,
    EL_T_DOUBLE,
    EL_T_BOOLEAN,
    EL_T_TIMESTAMP, /* a number (epoch seconds) or a string (ISO 8601, as the CLI prints) */
    EL_T_LONG,      /* a 64-bit integer; EL_T_INTEGER is a 32-bit one, as in the model */
    EL_T_BLOB       /* base64 text (RFC 4648 section 4); its lengths count decoded bytes */
} el_type;

const char *el_type_name(el_type t);

typedef enum el_check_kind {
    EL_CK_MIN_LENGTH, /* string: at least n code points */
    EL_CK_MAX_LENGTH,
    EL_CK_PATTERN, /* string: whole-string PCRE2 match */
    EL_CK_ENUM,    /* string: one of a set */
    EL_CK_MIN,     /* number */
    EL_CK_MAX,
    EL_CK_MIN_ITEMS, /* list */
    EL_CK_MAX_ITEMS,
    EL_CK_UNIQUE_ITEMS, /* list: no two equal items */
    EL_CK_DOCUMENT      /* string: holds a document (an image manifest, a lifecycle policy)
                           checked by that document's checker (check/el_ctx.h) */
} el_check_kind;

typedef struct el_check {
    el_check_kind kind;
    char *rule_id;
    bool if_valid;    /* run only when every earlier check of the shape passed */
    long long number; /* limits */
    el_regex *regex;  /* EL_CK_PATTERN */
    char **values;    /* EL_CK_ENUM */
    size_t nvalues;
    char *values_text;       /* "[A, B, C]", as Coral prints a value set */
    char *document;          /* EL_CK_DOCUMENT: the kind of document ("manifest", ...) */
    char *media_type_member; /* EL_CK_DOCUMENT: sibling member holding a declared media type */
    char *digest_member;     /* EL_CK_DOCUMENT: sibling member holding the expected digest */
    /* EL_CK_PATTERN: the pattern checks of the same shape (bit i: checks[i]) that every
     * value matching this pattern also matches. A value it matches is then matched once, not
     * once per pattern; the pack's author vouches for the inclusion. */
    uint64_t covers;
    /* EL_CK_ENUM: bit (n % 64) is set when some value is n bytes long; a string of another
     * length is in no value without comparing it to each. */
    uint64_t value_lengths;
} el_check;

/* A shape with covering checks holds at most this many checks. */
#define EL_COVER_MAX_CHECKS 64

typedef struct el_shape el_shape;

typedef struct el_member {
    char *name;
    char *shape_name;
    el_shape *shape;        /* resolved */
    char *required_rule;    /* non-NULL: the member is required; the rule reports its absence */
    unsigned char key_char; /* name[shape->key_pos] (see el_shape) */
} el_member;

/* A rule over the members of one structure. */
typedef enum el_group_kind {
    EL_GROUP_ANY_OF,   /* at least one of `members` must be present */
    EL_GROUP_CONFLICT, /* when `with` is present, none of `members` may be */
    EL_GROUP_ALL_OF    /* fires when every one of `members` is present (a lint) */
} el_group_kind;

typedef struct el_group {
    el_group_kind kind;
    char **members;
    size_t nmembers;
    char *with;
    char *rule_id;
    /* members[i] and with as indexes into the shape's members, -1 when the shape has no such
     * member (the object is asked by name) */
    int *member_idx;
    int with_idx;
    /* "when": the group applies only while the member when_member holds one of when_values
     * (when_not: while it holds none of them, or is absent); when_member NULL: always. */
    char *when_member;
    char **when_values;
    size_t nwhen_values;
    bool when_not;
    int when_idx;
} el_group;

struct el_shape {
    char *name;
    el_type type;
    el_check *checks;
    size_t nchecks;
    el_member *members; /* structure, in model order */
    size_t nmembers;
    el_group *groups;
    size_t ngroups;
    char *item_name; /* list member / map value shape name */
    el_shape *item;  /* resolved */
    bool open;       /* structure: unknown members are not reported */
    bool amend;      /* a pack's "amend": its groups join the earlier shape of the name */
    bool capitalize; /* ECR names a member of this shape capitalised in its answers
                        ({member}, and the last member of {path}): 'LifecyclePolicyText' */
    /* How sure ECR's answers to this shape's checks are at most ("medium", "low"; NULL: as
     * sure as each check's rule): ECR Public's repositoryName is answered as ECR's is
     * inferred to be, with rules whose confidence is ECR's. */
    char *confidence;
    /* Structures: a position at which the member names all have different bytes (none is
     * shorter), so that a key is matched by one byte and one comparison; EL_NO_KEY_POS when
     * there is none, and every name is compared. */
    unsigned char key_pos;
};
#define EL_NO_KEY_POS 255

typedef struct el_remap {
    char *from, *to;
} el_remap;

/* Auto-detection: the operation is a candidate when any (or all) of `members` are present at
 * the top level; among candidates the highest priority wins. */
typedef struct el_detect {
    char **members;
    size_t nmembers;
    bool all;
    int priority;
    unsigned *ids; /* each member's number in the ruleset's name index */
    /* narrow: every number is below 64, and mask has their bits (most packs: the built-in
     * ones have a few dozen names); a body's keys are then compared in one step */
    uint64_t mask;
    bool narrow;
} el_detect;

typedef struct el_operation {
    char *name;        /* "BatchGetImage" */
    ecrlint_kind kind; /* request or response */
    char *target;      /* X-Amz-Target value, requests only */
    char *input_name;
    el_shape *input;
    char *failure_list; /* member whose items get per-image failures instead of exceptions */
    el_remap *remaps;   /* inside this operation, rule `from` is reported as rule `to` */
    size_t nremaps;
    struct el_detect *detects; /* auto mode: member sets that select this operation */
    size_t ndetects;
    char **name_hints; /* auto mode: file-name fragments that break ties ("batch-get-image") */
    size_t nname_hints;
    unsigned *member_ids; /* the numbers of input->members' names in the name index */
} el_operation;

/* The top-level member names of every operation (its input's members, its detect sets),
 * numbered once when the ruleset is built: a body's top-level keys are looked up once each,
 * and choosing the operation compares numbers instead of names. */
typedef struct el_name_index {
    char **names; /* by number; borrowed from the shapes and operations */
    size_t n;
    unsigned *slots; /* open addressing by el_name_hash: a number + 1, 0 when empty */
    size_t nslots;   /* a power of two over twice n; 0 when there are no names */
} el_name_index;

/* The number of `name` in ix, or -1 when it has none. */
long el_name_lookup(const el_name_index *ix, const char *name);
uint32_t el_name_hash(const char *name);

/* A table entry mapping a JSON type mismatch to the AWS JSON protocol's message. */
typedef struct el_type_error {
    el_type expected; /* EL_T_ANY = any */
    char *actual;     /* "string", "number", "true", "false", "object", "array", "*" */
    char *message;
} el_type_error;

typedef struct el_pack_doc {
    char *name;
    char *source; /* file name for messages */
    json_t *doc;
} el_pack_doc;

struct el_ruleset {
    el_rule *rules; /* sorted by id */
    size_t nrules;
    el_shape **shapes;
    size_t nshapes;
    el_operation *ops;
    size_t nops;
    el_type_error *type_errors;
    size_t ntype_errors;
    char *version;
    bool is_static;    /* the built-in ruleset compiled into the binary: never freed */
    el_name_index top; /* the operations' top-level member names */
};

/* Builds a ruleset from packs[0..n) (later packs win). On failure returns NULL and fills err
 * with the pack's file name and the key path of the offending value. */
el_ruleset *el_ruleset_build(const el_pack_doc *packs, size_t n, bool compile_patterns,
                             ecrlint_error *err);
void el_ruleset_free(el_ruleset *rs);

const el_operation *el_ruleset_operation(const el_ruleset *rs, const char *name);
const el_shape *el_ruleset_shape(const el_ruleset *rs, const char *name);

/* The built-in packs, generated from the rules folder at build time by src/tools/packgen.c:
 * their JSON text (parsed only when --rules asks to rebuild) and the ruleset built from them. */
typedef struct el_builtin_pack {
    const char *name;
    const char *text;
    size_t len;
} el_builtin_pack;

#endif /* EL_RULES_H */

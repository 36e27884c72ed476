/* el_ctx.h - the check layer: the per-input context, and reporting a finding of a rule.
 *
 * Below the checkers (request/, manifest/) and above the rules and results: a checker finds a
 * problem and calls el_report with the rule's ID and the JSON pointer of the value; this layer
 * fills the rule's templates, keeps ECR's predicted answer (the first exception, one failure
 * per list item) and adds the finding to the result. Placing findings in the text (line and
 * column) is done once per input, after all checks (el_ctx_place).
 *
 * Errors: el_report and the functions here return ecrlint_status; the first hard failure (out
 * of memory) is also latched in cx->status, so a checker may report and test cx->status once
 * at the end of a pass. That latch and el_buf's `failed` are the library's only sticky
 * statuses.
 */
#ifndef EL_CHECK_EL_CTX_H
#define EL_CHECK_EL_CTX_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "report/el_result.h"
#include "rules/el_rules.h"
#include "util/el_buf.h"
#include "util/el_locate.h"

/* A template variable: {name} in a message template is replaced by value. */
typedef struct el_var {
    const char *name;
    const char *value;
} el_var;

/* A template variable that costs something to make (a path, a value's text): make(arg) is
 * called only when one of the rule's templates uses {name} and vars do not have it. */
typedef struct el_lazy_var {
    const char *name;
    const char *(*make)(void *arg);
    void *arg;
} el_lazy_var;

typedef struct el_ctx el_ctx;

/*
 * Reports a finding of rule `rule_id` at `pointer` (RFC 6901; "" for the whole document).
 * The rule's severity and templates come from the rule packs; `vars` (terminated by an entry
 * whose name is NULL; may be NULL) fill the templates. When the rule predicts an exception and
 * none is set yet, this one becomes the result's exception. A rule that is disabled is ignored.
 * Returns ECRLINT_ERR_NOMEM when memory ran out, ECRLINT_ERR_INTERNAL for an unknown rule id.
 * `rule_id` is a literal or a rule pack's string: its text must not change during the check
 * (the lookup of the last one is kept by its address).
 */
ecrlint_status el_report(el_ctx *cx, const char *rule_id, const char *pointer, el_locate_what what,
                         const el_var *vars);

/* Returns true when `rule_id` is enabled for this check (cheap; use it to skip costly work). */
bool el_rule_on(const el_ctx *cx, const char *rule_id);

/* Sets the result's "extra" JSON object (manifest facts); takes ownership of `obj`. */
void el_ctx_set_extra(el_ctx *cx, json_t *obj);

/* The list item that per-image failures are about (a BatchGetImage imageIds entry), while a
 * checker is inside one: a failure rule adds at most one failure per item. Its pointer is made
 * by the checker, only when a failure needs it. */
typedef struct el_item {
    const json_t *value; /* NULL outside an item */
    /* The shape ECR reads the item as: a failure echoes what it read, that is the shape's
     * members that are set (not null), in the model's order; unknown members are dropped.
     * NULL: the item is echoed as written. */
    const el_shape *shape;
    const char *(*pointer)(void *arg);
    void *arg;
    bool failed; /* a failure was added for it */
} el_item;

/* Matching the packs' patterns in one input: the PCRE2 state (a checker's, or the input's
 * own), and the patterns that hit the match limit. A pattern that hits it gets a few tries,
 * then its checks are skipped for the rest of the input, so that a runaway pattern costs a
 * bounded time per input however many values it meets; with more runaway patterns than slots,
 * all patterns are skipped. */
#define EL_RUNAWAY_SLOTS 8
#define EL_RUNAWAY_TRIES 3

typedef struct el_match_state {
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    struct {
        const el_regex *re;
        unsigned hits;
    } runaway[EL_RUNAWAY_SLOTS];
    size_t nrunaway;
    bool hit_limit; /* some match hit a limit: the match data may hold up to the heap limit */
} el_match_state;

/* A document inside a JSON string member of the input (PutImage's imageManifest, a
 * lifecycle policy text, a repository policy text): what its checker is given. */
typedef struct el_embedded {
    const char *bytes; /* the string's value, decoded: the document's text */
    size_t len;
    const json_t *root;        /* the text parsed; NULL when it is not JSON */
    const json_error_t *error; /* then: jansson's error (position: a byte offset in bytes) */
    const char *member;        /* the name of the member holding it ("lifecyclePolicyText") */
    const json_t *parent;      /* the object holding that member, for its siblings */
    const char *declared;      /* the declared media type (a sibling named by the pack) or NULL */
    const el_operation *op;    /* the operation of the request, or NULL */
} el_embedded;

/* Checks one embedded document. Its findings are reported with el_report as for any input,
 * with pointers into the document ("/rules/1/selection"): the context knows it is inside the
 * string (el_ctx.embed_pointer) and places them at the offending character in the file,
 * through the string's escapes (el_ctx_place). el_report_offset places one at a byte
 * offset of the document's text instead (a parse error). */
typedef ecrlint_status (*el_embedded_fn)(el_ctx *cx, const el_embedded *doc);

/* A kind of embedded document and its checker: the rule packs name the kind in a shape's
 * check ({"document": "lifecyclePolicy"}), the driver gives the table (input/kinds.c), so that
 * the checkers below it never call each other. */
typedef struct el_embedded_checker {
    const char *name; /* "manifest", "lifecyclePolicy", ... */
    el_embedded_fn check;
    /* Its messages name the place in the document themselves ("rules[1].selection..."): a
     * finding's message starts with the member's pointer only. false: with the member's
     * pointer and then the pointer inside the document ("/imageManifest/layers/0: ..."). */
    bool names_place;
} el_embedded_checker;

struct el_ctx {
    const el_ruleset *rs;
    const ecrlint_check_options *opt;
    ecrlint_result *res;
    const el_operation *op; /* the operation being checked, or NULL: its rule remaps apply */
    bool predict;           /* findings may set ECR's predicted answer */
    size_t max_depth;
    bool unique_keys; /* the input has no duplicate member names (jansson said so) */
    /* the client is botocore: rules that it refuses (client_refuses) report errors */
    bool client_botocore;

    el_item item;

    /* While an embedded document is checked: the pointer of the string that holds it, and
     * whether its checker's messages name the place themselves. Findings carry both pointers
     * and are placed inside the string. */
    const char *embed_pointer;
    bool embed_names_place;
    /* The checkers of embedded documents (NULL-terminated by name; NULL: none are checked). */
    const el_embedded_checker *embedded;

    /* An exception of an afterValidation rule, kept until validation is over. */
    char *late_code, *late_message;
    /* Appended to the next findings' messages (never to ECR's texts): a "did you mean" */
    const char *msg_suffix;
    int late_conf; /* EL_CONF_* of its rule */
    /* The next findings' answers are at most this sure (EL_CONF_*; EL_CONF_NONE: as sure as
     * their rules say): a checker sets it around the reports of a shape whose pack says that
     * ECR's answers there are inferred (el_shape.confidence). */
    int conf_cap;

    el_match_state match;
    el_buf scratch; /* for a checker's short-lived texts */
    /* Variables made on demand for the next el_report (NULL-terminated; may be NULL): a
     * checker sets them around a report and clears them after. */
    const el_lazy_var *lazy;
    /* The next el_report is about an item of a list of strings: a rule's exception.itemMessage,
     * if it has one, is its answer (a checker sets it around the report). */
    bool list_item;
    /* The last rule reported: a list's findings are mostly one rule, reported from the same
     * pack string, so its remapping and lookup are done once. */
    struct {
        const char *id;
        const el_operation *op;
        const char *mapped;
        const el_rule *rule;
    } last;
    ecrlint_status status; /* first hard failure (out of memory) */
};

/* A context for checking one input into `res`, with the engine's ruleset and the caller's
 * options (may be NULL). The match state is left empty: the driver lends one. */
void el_ctx_init(el_ctx *cx, const el_ruleset *rs, const ecrlint_check_options *opt,
                 ecrlint_result *res);
/* Frees what the context owns (not the result, not a lent match state). */
void el_ctx_free(el_ctx *cx);

/* Like el_report, at an explicit position (parse errors, HTTP header lines). */
ecrlint_status el_report_at(el_ctx *cx, const char *rule_id, int line, int column,
                            const el_var *vars);

/* What has been reported so far, to take it back: a checker that must redo a pass in another
 * order (the request walker, when a value has the wrong JSON type) rewinds to a mark. */
typedef struct el_ctx_mark {
    el_result_mark res;
    bool had_late;
} el_ctx_mark;

void el_ctx_mark_set(const el_ctx *cx, el_ctx_mark *m);
void el_ctx_rewind(el_ctx *cx, const el_ctx_mark *m);

/* Places every finding not yet placed in text[0..len) (the checked JSON text, whose first
 * byte is on line first_line): line and column from its pointer (util/el_locate.h), in one
 * pass over the text. */
ecrlint_status el_ctx_place(el_ctx *cx, const char *text, size_t len, int first_line);

/* The embedded document's pointer (PutImage imageManifest) while one is checked, else NULL. */
static inline const char *el_ctx_embed_pointer(const el_ctx *cx)
{
    return cx->embed_pointer;
}

/* The checker of embedded documents of kind `name`, or NULL when there is none. */
const el_embedded_checker *el_ctx_embedded_checker(const el_ctx *cx, const char *name);

/* Checks `doc` with the checker of kind `name` (nothing when there is none), its findings
 * placed inside the string at `pointer` (the member holding the document). */
ecrlint_status el_ctx_check_embedded(el_ctx *cx, const char *name, const char *pointer,
                                     const el_embedded *doc);

/* Reports rule_id at byte `offset` of the text being checked, such as where a parse error was
 * found: inside an embedded document, of the document's text (el_embedded.bytes); else of the
 * input's own text (placed by el_ctx_place, like a pointer). */
ecrlint_status el_report_offset(el_ctx *cx, const char *rule_id, size_t offset, const el_var *vars);

#endif

/* el_check.h - the per-input check context shared by the request walker, the HTTP framing,
 * operation detection and the manifest module (through el_report in el_private.h). */
#ifndef EL_CHECK_H
#define EL_CHECK_H

#include "report/el_result.h"
#include "rules/el_rules.h"

struct ecrlint_engine {
    el_pack_doc *packs; /* in load order; the ruleset is built from them */
    size_t npacks;
    el_ruleset *rs;
};

struct el_ctx {
    const ecrlint_engine *engine;
    const el_ruleset *rs;
    const ecrlint_check_options *opt;
    ecrlint_result *res;
    const el_operation *op; /* the operation being checked, or NULL */
    bool predict;           /* findings may set ECR's predicted answer */
    size_t max_depth;

    /* Per-image failures: the list item being checked, while inside op->failure_list; its
     * pointer is made from the walk's path (item_path, item_depth segments) when a failure
     * needs it (el_item_pointer, walk.c). */
    const json_t *item;
    struct path_state *item_path;
    size_t item_depth;
    bool item_failed;

    /* An embedded document (PutImage imageManifest, a response's imageManifest): findings
     * are placed at embed_pointer, and their message names the inner pointer. */
    const char *embed_pointer;

    /* An exception of an afterValidation rule, kept until validation is over. */
    char *late_code, *late_message;

    pcre2_match_data *md;
    pcre2_match_context *mctx;
    /* Patterns that hit the PCRE2 match limit in this input (walk.c): each gets a few tries,
     * then its check is skipped, so that a runaway pattern costs a bounded time per input
     * however many values it meets. More runaway patterns than slots: all are skipped. */
    struct { const el_regex *re; unsigned hits; } runaway[8];
    size_t nrunaway;
    bool hit_limit;     /* some match hit a limit: the match data may hold up to the heap limit */
    bool type_mismatch; /* the constraint pass met a value of the wrong JSON type (walk.c) */
    bool unique_keys;   /* the input has no duplicate member names (jansson said so) */
    el_buf scratch;
    /* Variables made on demand for the next el_report (NULL-terminated; may be NULL): the
     * walk sets them around a report and clears them after. */
    const el_lazy_var *lazy;
    /* The last rule reported (check.c): a list's findings are mostly one rule, reported from
     * the same pack string, so its remapping and lookup are done once. */
    struct { const char *id; const el_operation *op; const char *mapped; const el_rule *rule; } last;
    ecrlint_status status; /* first hard failure (out of memory) */
};

/* Like el_report, at an explicit position (parse errors, HTTP header lines). */
ecrlint_status el_report_at(el_ctx *cx, const char *rule_id, int line, int column,
                            const el_var *vars);

/* The pointer of the failure-list item being checked ("" outside one); valid until the next
 * call. */
const char *el_item_pointer(el_ctx *cx);

/* Runs an operation's shape checks over `root` (a JSON object). */
ecrlint_status el_check_operation(el_ctx *cx, const el_operation *op, const json_t *root);

/* Picks the operation for an input in automatic mode; NULL when none fits. Sets *reason to a
 * static text explaining a skip, and *ambiguous when several operations fitted equally. */
const el_operation *el_detect_operation(const el_ruleset *rs, const json_t *root,
                                        const char *path, const char **reason, bool *ambiguous);

/* Raw HTTP request framing. */
typedef struct el_http {
    bool is_http;
    size_t body_offset; /* where the JSON body starts */
    int body_line;      /* its line (1-based) */
    const char *target; size_t target_len; int target_line;
    const char *content_type; size_t content_type_len; int content_type_line;
    long long content_length; int content_length_line; /* -1 when absent */
    const char *method; size_t method_len;
    bool malformed;     /* looked like HTTP but the header block is broken */
    int malformed_line;
} el_http;

/* Recognises a raw HTTP request at the start of buf; fills *h (h->is_http false otherwise). */
void el_http_parse(const char *buf, size_t len, el_http *h);

#endif

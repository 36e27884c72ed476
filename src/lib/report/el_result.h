/* el_result.h - the body of ecrlint_result and helpers to fill it (library-internal). */
#ifndef EL_RESULT_H
#define EL_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "ecrlint/ecrlint.h"
#include "util/el_locate.h"

typedef struct el_diag {
    ecrlint_diag pub;    /* public view; strings owned here */
    el_locate_what what; /* how to place it: the value or the key at pub.pointer */
    bool placed;         /* position already known (parse errors, HTTP headers) */
    size_t seq;          /* order of reporting, to keep sorting stable */
    bool suppressed;     /* accepted by a baseline (ecrlint_result_set_suppressed) */
    size_t message_len;  /* strlen(pub.message): the text formats write it without measuring */
    size_t pointer_len;  /* strlen(pub.pointer), likewise for placing it */
    size_t rule_len;     /* strlen(pub.rule) */
    /* A finding inside a document held by a JSON string (an embedded manifest, a policy
     * text): pub.pointer is the string's, inner the pointer inside the document (kept in the
     * result's strings; NULL otherwise), or inner_at - 1 its byte offset in the document's
     * text when inner_at is not 0. `what` applies to inner. Outside a document (inner NULL),
     * inner_at - 1, when inner_at is not 0, is a byte offset of the input's own text. */
    const char *inner;
    size_t inner_len;
    size_t inner_at;
    /* How sure the finding's ECR answer is when that is less than its rule says (EL_CONF_*):
     * the shape checked holds the rule's answer to be inferred there (ECR Public's
     * repositoryName). EL_CONF_NONE: the rule's own confidence. */
    int conf;
} el_diag;

/* The texts of a result's findings and failures, kept in a few blocks rather than one
 * allocation each: they are written once and freed with the result. */
typedef struct el_strblock {
    struct el_strblock *prev;
    size_t used, size;
    char data[];
} el_strblock;

struct ecrlint_result {
    /* The newest block: the first one follows the result in its allocation, then the path. */
    el_strblock *strings;
    const char *path;
    ecrlint_kind kind;
    /* kept in the string blocks (el_result_keep), like the findings' texts */
    const char *operation;
    const char *skip_reason;
    const char *skip_hint; /* how to check a skipped input that holds ECR documents, or NULL */
    const char *exc_code, *exc_message;
    /* the client's answer (requests): name and model, NULL without a client; error NULL when
       the client would send the request */
    const char *client_name, *client_model, *client_error;
    ecrlint_failure *failures;
    size_t nfailures, cap_failures;
    el_diag *diags;
    size_t ndiags, cap_diags;
    size_t dropped;
    size_t max_diags;
    char *extra_json;
    int record_line; /* JSON Lines: the line of the record; 0 otherwise */
    /* How sure the predicted answer is: the least sure of the rules behind the exception and
       behind the failures (EL_CONF_*; EL_CONF_NONE when nothing is predicted). */
    int exc_conf, fail_conf;
    /* The last rule id kept for a finding, and the text it was kept from: a result's findings
       are mostly of a few rules, given as the same pack string. */
    const char *rule_from, *rule_kept;
    size_t rule_kept_len;
};

enum { EL_CONF_NONE = 0, EL_CONF_LOW, EL_CONF_MEDIUM, EL_CONF_HIGH };
/* EL_CONF_* of a rule's confidence text ("low", "medium", "high"; NULL is high). */
int el_conf_rank(const char *confidence);
/* Lowers *conf to rank (an EL_CONF_NONE *conf takes it). */
void el_conf_lower(int *conf, int rank);
/* The text of an EL_CONF_* rank ("low", "medium", "high"; NULL for EL_CONF_NONE). */
const char *el_conf_name(int rank);

ecrlint_result *el_result_new(const char *path, size_t max_diags);
/* Appends a finding (strings copied; `rule` once for the findings that give it by the same
 * address, which must hold the same text meanwhile). Returns the new diag or NULL when memory
 * ran out; *dropped is set instead when the result already holds max_diags findings. */
el_diag *el_result_add_diag(ecrlint_result *r, const char *rule, ecrlint_severity sev,
                            const char *pointer, const char *message, bool *dropped);
/* The same, with the message's length given (the reporter has it). */
el_diag *el_result_add_diag_n(ecrlint_result *r, const char *rule, ecrlint_severity sev,
                              const char *pointer, const char *message, size_t message_len,
                              bool *dropped);
bool el_result_add_failure(ecrlint_result *r, const char *image_id, const char *code,
                           const char *reason, const char *pointer);
bool el_result_set_exception(ecrlint_result *r, const char *code, const char *message);
/* A copy of s (NULL: NULL) in the result's string blocks, for one of its text fields: *field is
 * replaced, and false returned when memory ran out (*field is then unchanged). */
bool el_result_keep(ecrlint_result *r, const char **field, const char *s);
/* Makes d a finding inside the document held by the string at d's pointer: at `inner` (a
 * pointer into the document), or at byte offset at - 1 of its text when `at` is not 0.
 * false when memory ran out. */
bool el_result_diag_set_inner(ecrlint_result *r, el_diag *d, const char *inner, size_t at);
/* A heap copy of value in *field, whose old value is freed (for texts kept outside a result). */
bool el_result_set_string(char **field, const char *value);
/* Sorts findings by position (stable) once they are placed. */
void el_result_sort(ecrlint_result *r);

/* How far a result was filled, to take back what came after (el_result_rewind): findings,
 * failures, the count of dropped findings, and the exception if there was none at the mark.
 * Texts stay in the result's string blocks, unused, until the result is freed. */
typedef struct el_result_mark {
    size_t ndiags, nfailures, dropped;
    bool had_exception;
    int fail_conf;
} el_result_mark;

void el_result_mark_set(const ecrlint_result *r, el_result_mark *m);
void el_result_rewind(ecrlint_result *r, const el_result_mark *m);

#endif

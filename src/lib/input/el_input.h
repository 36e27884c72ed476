/* el_input.h - the input driver: one input's bytes framed, parsed, recognised and handed to
 * the checker of its kind.
 *
 * The driver (driver.c) knows the kinds of input only through the table in kinds.c: a new
 * kind (a policy document, an image layout) is one module below this layer plus one row
 * there. Raw HTTP captures are framed here too (http.c): they are a way a request arrives,
 * not a kind of their own.
 */
#ifndef EL_INPUT_EL_INPUT_H
#define EL_INPUT_EL_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "check/el_ctx.h"
#include "rules/el_rules.h"

/* ---- kinds of input (kinds.c) -------------------------------------------------------------- */

/* The body of one input as the driver hands it to a kind. */
typedef struct el_body {
    const char *path; /* for recognition by file name; may be NULL */
    const char *text; /* the JSON text, after any byte-order mark */
    size_t len;
    size_t bom;         /* bytes of byte-order mark just before text (0 or 3) */
    const json_t *root; /* the parsed text; NULL when it is not JSON (ECR0001 is reported) */
    char *relaxed;      /* NULL, or the text as parsed when jansson could not hold the original
                           (el_json_relax: same length and offsets); the driver frees it */
    struct el_name_memo
        *names; /* what `path` says of the operation, kept between inputs; may be NULL */
} el_body;

typedef struct el_input_kind el_input_kind;

/* What an input was taken for: its kind and, for requests and responses, the operation. */
typedef struct el_pick {
    const el_input_kind *kind; /* NULL: not chosen (yet) */
    const el_operation *op;
    bool ambiguous; /* several operations fitted equally well */
    int variant;    /* a kind's own choice among its documents (policies: el_policy_kind) */
} el_pick;

struct el_input_kind {
    const char *name;
    /* An input that names its kind explicitly (--operation NAME): true when `name` is this
     * kind (or one of its operations), with *pick filled in. */
    bool (*by_name)(const el_ruleset *rs, const char *name, el_pick *pick);
    /* A declared media type (--media-type without --operation) says the input is this kind. */
    bool by_media_type;
    /* In automatic mode: does root, a JSON object, look like this kind? On yes *pick is
     * filled in; on no, *reason may be set to why not (a static text). */
    bool (*recognize)(const el_ruleset *rs, const el_body *b, el_pick *pick, const char **reason);
    /* Sets the result's kind (and operation) and whether findings predict ECR's answer. */
    ecrlint_status (*begin)(el_ctx *cx, const el_pick *pick);
    /* Checks the body; b->root is NULL when the text is not JSON. */
    ecrlint_status (*check)(el_ctx *cx, const el_body *b, const el_pick *pick);
    /* An empty body is still this kind of input; false: it is an input error. */
    bool empty_is_kind;
    /* Text that is not JSON gets the kind's own answer from ECR (a manifest's 'Invalid JSON
     * syntax' from PutImage), not the protocol's SerializationException. */
    bool answers_syntax;
};

/* The kinds, in the order automatic mode tries them; NULL-terminated. */
extern const el_input_kind *const el_input_kinds[];
/* Requests and responses of an operation (the request module); image manifests; repository,
 * registry and IAM policies that grant ecr: actions (the policy module); lifecycle policies. */
extern const el_input_kind el_kind_operation, el_kind_manifest, el_kind_policy, el_kind_lifecycle;

/* The checkers of documents embedded in string members (el_ctx.embedded), NULL-terminated. */
extern const el_embedded_checker el_embedded_checkers[];

/* ---- raw HTTP requests (http.c) ------------------------------------------------------------ */

typedef struct el_http {
    bool is_http;
    size_t body_offset; /* where the JSON body starts */
    int body_line;      /* its line (1-based) */
    const char *target;
    size_t target_len;
    int target_line;
    const char *content_type;
    size_t content_type_len;
    int content_type_line;
    long long content_length;
    int content_length_line; /* -1 when absent */
    const char *method;
    size_t method_len;
    bool malformed; /* looked like HTTP but the header block is broken */
    int malformed_line;
} el_http;

/* Recognises a raw HTTP request at the start of buf; fills *h (h->is_http false otherwise). */
void el_http_parse(const char *buf, size_t len, el_http *h);

/* What the header block of a framed request said (el_http_check). */
typedef enum el_http_outcome {
    EL_HTTP_BODY, /* check the body that follows */
    EL_HTTP_DONE  /* the input is answered (broken framing, or an operation not checked) */
} el_http_outcome;

/* Reports the header rules (ECR0030-ECR0034) of a framed request h over buf[0..len) and,
 * when *pick has no kind yet, takes the operation from X-Amz-Target. */
ecrlint_status el_http_check(el_ctx *cx, const el_http *h, size_t body_len, el_pick *pick,
                             el_http_outcome *out);

#endif

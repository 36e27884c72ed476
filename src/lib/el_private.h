/*
 * el_private.h - internals shared by the library's modules (prefix el_).
 *
 * Nothing here is installed. Modules:
 *   util/     allocation, growable buffers, source text (line map, JSON pointer locator)
 *   rules/    rule packs: loading, the rule registry, the built-in packs
 *   request/  request and response checking against the packs' shapes; operation detection;
 *             raw HTTP request framing
 *   manifest/ manifest classification and validation, digests
 *   report/   results, reports and the output formats
 */
#ifndef EL_PRIVATE_H
#define EL_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"

#if defined(__GNUC__)
#define EL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EL_PRINTF(f, a)
#endif

/* json_object_foreach without its two key-to-iterator lookups a member: for the objects every
 * check walks. `it` is declared by the loop. */
#define EL_OBJECT_EACH(obj, it, key, value)                                                      \
    for (void *it = json_object_iter((json_t *)(obj));                                          \
         it && ((key) = json_object_iter_key(it), (value) = json_object_iter_value(it), true);   \
         it = json_object_iter_next((json_t *)(obj), it))

/* ---- util/alloc.c: every allocation of the library (and jansson's) goes through here ------ */

void *el_malloc(size_t size);
void *el_calloc(size_t n, size_t size);
void *el_realloc(void *ptr, size_t size);
char *el_strdup(const char *s);
char *el_strndup(const char *s, size_t n);
void el_free(void *ptr);
/* Allocations that failed on this thread so far. */
unsigned long el_alloc_failures(void);
/* json_loadb, and whether it failed for lack of memory (*oom), which jansson does not always
 * say itself. */
json_t *el_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *err, bool *oom);
/* Installs jansson's allocator (util/arena.c: the arena when one is active on the thread,
 * else el_malloc/el_free); idempotent, thread-safe. */
void el_alloc_init(void);

/* ---- util/arena.c: jansson's allocations during one check ----------------------------------- */

typedef struct el_arena {
    struct chunk *head;
    size_t total;
    struct el_arena *outer;
    struct chunk **spare;
} el_arena;

/* Between these two, jansson allocates on this thread from the arena, and frees nothing one by
 * one: every jansson value made in between must be dropped before el_arena_end, which releases
 * them all. Text jansson returns (json_dumps) is released with el_json_free, and copied out
 * when it must outlive the arena. `spare` (may be NULL) keeps the arena's first chunk from one
 * arena to the next on the same thread (a checker's): el_arena_begin takes it, el_arena_end
 * puts the first chunk back instead of freeing it, el_arena_spare_free frees it. */
void el_arena_begin(el_arena *a, struct chunk **spare);
void el_arena_end(el_arena *a);
void el_arena_spare_free(struct chunk **spare);
bool el_arena_active(void);
/* The allocator jansson is given: from the active arena, else el_malloc. The per-check state
 * of PCRE2 (match data and context) comes from it too. */
void *el_arena_malloc(size_t n);
void el_json_free(void *p);
void el_arena_install(void);

/* ---- util/buf.c: growable byte buffer ------------------------------------------------------ */

typedef struct el_buf {
    char *data; /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    bool failed;   /* an allocation failed; later appends do nothing */
    bool borrowed; /* data is the caller's storage (el_buf_init_in), not to be freed */
} el_buf;

static inline void el_buf_init(el_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
    b->borrowed = false;
}

/* Starts in the caller's storage (cap bytes, usually on the stack) and moves to the heap only
 * when it outgrows it: most messages fit. data must not be kept past the storage's life. */
static inline void el_buf_init_in(el_buf *b, char *storage, size_t cap)
{
    el_buf_init(b);
    if (storage && cap) {
        b->data = storage;
        b->data[0] = '\0';
        b->cap = cap;
        b->borrowed = true;
    }
}

static inline void el_buf_free(el_buf *b)
{
    if (!b->borrowed)
        el_free(b->data);
    el_buf_init(b);
}

static inline void el_buf_reset(el_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    b->failed = false;
}
/* The common case, room left, is inline; growing is el_buf_append_slow. */
bool el_buf_append_slow(el_buf *b, const char *data, size_t len);

static inline bool el_buf_append(el_buf *b, const char *data, size_t len)
{
    if (!b->failed && b->cap - b->len > len) { /* cap > 0 here, so data is set */
        if (len)
            memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return true;
    }
    return el_buf_append_slow(b, data, len);
}

static inline bool el_buf_puts(el_buf *b, const char *s)
{
    return el_buf_append(b, s, strlen(s));
}

static inline bool el_buf_putc(el_buf *b, char c)
{
    if (!b->failed && b->cap - b->len > 1) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return true;
    }
    return el_buf_append_slow(b, &c, 1);
}
/* Makes room for `extra` more bytes and the NUL (moving borrowed storage to the heap); false
 * once the buffer has failed. */
bool el_buf_grow(el_buf *b, size_t extra);

/* Room for n more bytes (and the NUL): where they go, or NULL once the buffer has failed.
 * The caller writes at most n bytes there and hands the end to el_buf_commit: a line made of
 * known pieces is written with one capacity check instead of one per piece. */
static inline char *el_buf_reserve(el_buf *b, size_t n)
{
    if (!b->failed && b->cap - b->len > n)
        return b->data + b->len;
    return el_buf_grow(b, n) ? b->data + b->len : NULL;
}

static inline void el_buf_commit(el_buf *b, char *end)
{
    b->len = (size_t)(end - b->data);
    b->data[b->len] = '\0';
}
bool el_buf_printf(el_buf *b, const char *fmt, ...) EL_PRINTF(2, 3);
/* Length of the valid UTF-8 sequence at s[0..len), 0 when invalid (overlong, surrogate, >U+10FFFF). */
size_t el_utf8_sequence(const unsigned char *s, size_t len);
/* Appends a JSON string literal (quotes and escapes); invalid UTF-8 becomes U+FFFD. */
bool el_buf_json_string(el_buf *b, const char *s, size_t len);
/* Appends v as compact JSON: members in their order, strings as el_buf_json_string writes
 * them (the same escaping as the rest of the JSON report). */
bool el_buf_json_value(el_buf *b, const json_t *v);
/* Appends v in decimal. */
static inline bool el_buf_put_uint(el_buf *b, unsigned long long v)
{
    char tmp[24];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return el_buf_append(b, tmp + n, sizeof tmp - n);
}

/* Takes the buffer's text (caller frees with el_free); the buffer is left empty. */
char *el_buf_take(el_buf *b);
/* Decimal text of v in out; returns where the text starts inside out. */
#define EL_INT_TEXT 24
const char *el_fmt_int(char out[EL_INT_TEXT], long long v);

/* ---- util/error.c ------------------------------------------------------------------------- */

ecrlint_status el_error_set(ecrlint_error *err, ecrlint_status code, const char *source, int line,
                            int column, const char *fmt, ...) EL_PRINTF(6, 7);

/* ---- util/text.c -------------------------------------------------------------------------- */

/* Levenshtein distance (bounded by `limit`; returns limit + 1 when over it). */
size_t el_edit_distance(const char *a, const char *b, size_t limit);
/* Appends the JSON-pointer escaped form of `token` (~ -> ~0, / -> ~1). */
bool el_pointer_append(el_buf *b, const char *token);
/* "object", "array", "string", "number", "true", "false" or "null": the JSON type as the AWS
 * JSON protocol's messages and ecrlint's findings name it. */
const char *el_json_type_name(const json_t *v);
/* Number of Unicode code points in s[0..len) (invalid bytes count one each). */
size_t el_utf8_length(const char *s, size_t len);

/* ---- util/sort.c: qsort's contract, an insertion sort for the few elements most calls have -- */

void el_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* ---- util/digest.c ------------------------------------------------------------------------ */

/* "sha256:" + 64 hex digits + NUL */
#define EL_SHA256_DIGEST_SIZE 72
/* "sha512:" + 128 hex digits + NUL, the longest */
#define EL_DIGEST_BUF 136
/* Writes "<alg>:<hex>" of data[0..len) for alg "sha256", "sha384" or "sha512"; false when the
 * algorithm is not one of those. */
bool el_digest_of(const char *alg, const void *data, size_t len, char out[EL_DIGEST_BUF]);
/* el_digest_of("sha256", ...) */
bool el_sha256_digest(const void *data, size_t len, char out[EL_SHA256_DIGEST_SIZE]);

/* ---- util/locate.c: from JSON pointer to position in the source text --------------------- */

typedef struct el_span {
    int line, column, end_line, end_column; /* 0 when not found */
} el_span;

/* Which part of a member to locate: its value, or its key (for an absent or null value). */
typedef enum el_locate_what { EL_LOCATE_VALUE = 0, EL_LOCATE_KEY } el_locate_what;

/* One pointer to locate: filled in by el_locate_all(). */
typedef struct el_locate_req {
    const char *pointer;  /* RFC 6901 */
    size_t pointer_len;   /* strlen(pointer), or 0 to have it measured */
    el_locate_what what;
    el_span span;         /* out: the value or key; the nearest ancestor found when absent */
    bool exact;           /* out: the pointer itself was found */
} el_locate_req;

/*
 * Finds what each request's pointer names in the JSON text text[0..len), in one pass over the
 * text whatever the number of requests. Duplicate keys resolve to the last occurrence, as
 * jansson keeps the last value. `first_line`/`first_column` give the position of text[0] in
 * the file. Never reads past `len`; pointer depth is bounded by `max_depth`. `unique_keys`: the
 * text is known to have no duplicate member names (jansson parsed it with
 * JSON_REJECT_DUPLICATES), so the walk stops as soon as every pointer is placed instead of
 * reading on for a later occurrence. Returns false only when memory ran out.
 */
bool el_locate_all(const char *text, size_t len, el_locate_req *reqs, size_t n, int first_line,
                   int first_column, size_t max_depth, bool unique_keys);

/* ---- rules/: the rule registry ------------------------------------------------------------ */

/* A message template split where its pack is loaded: runs of literal text and {name}
 * placeholders, so that a finding's message is joined without searching the template. */
typedef struct el_tpl_part {
    const char *text; /* the literal run, or the placeholder as written: "{name}" */
    size_t len;
    bool var;         /* a placeholder: its name is text[1 .. len - 1) */
} el_tpl_part;

typedef struct el_tpl {
    const el_tpl_part *parts; /* owned by the rule (heap), or static in the built-in ruleset */
    size_t n;
} el_tpl;

/* Splits tpl (which must outlive out: the parts point into it) as expansion reads it: "{name}"
 * up to the first '}' after a '{'; a '{' with no '}' after it is literal, like the rest. An
 * empty or NULL template has no parts. False when memory ran out. */
bool el_tpl_compile(const char *tpl, el_tpl *out);
void el_tpl_free(el_tpl *t);

typedef struct el_rule {
    ecrlint_rule_info info; /* public view; strings owned by the rule */
    char *message;          /* diagnostic template; NULL: derived from the outcome */
    bool after_validation;  /* its exception applies only when validation found none */
    /* message, info.exception_message and info.failure_reason, split */
    el_tpl message_tpl, exception_tpl, reason_tpl;
} el_rule;

typedef struct el_ruleset el_ruleset; /* defined in rules/el_rules.h */

const el_rule *el_ruleset_find(const el_ruleset *rs, const char *id);

/* ---- the per-input check context ------------------------------------------------------------ */

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

typedef struct el_ctx el_ctx; /* defined in request/el_check.h */

/*
 * Reports a finding of rule `rule_id` at `pointer` (RFC 6901; "" for the whole document).
 * The rule's severity and templates come from the rule packs; `vars` (terminated by an entry
 * whose name is NULL; may be NULL) fill the templates. When the rule predicts an exception and
 * none is set yet, this one becomes the result's exception. A rule that is disabled is ignored.
 * Returns ECRLINT_ERR_NOMEM when memory ran out, ECRLINT_ERR_INTERNAL for an unknown rule id.
 * `rule_id` is a literal or a rule pack's string: its text must not change during the check
 * (the lookup of the last one is kept by its address).
 */
ecrlint_status el_report(el_ctx *cx, const char *rule_id, const char *pointer,
                         el_locate_what what, const el_var *vars);

/* Returns true when `rule_id` is enabled for this check (cheap; use it to skip costly work). */
bool el_rule_on(const el_ctx *cx, const char *rule_id);

/* Sets the result's "extra" JSON object (manifest facts); takes ownership of `obj`. */
void el_ctx_set_extra(el_ctx *cx, json_t *obj);

/* ---- manifest/: manifests ------------------------------------------------------------------- */

/*
 * Returns true when `root` (a JSON object) looks like an image manifest or index, for
 * automatic detection: a known mediaType, or schemaVersion with manifest members.
 */
bool el_manifest_sniff(const json_t *root);

/*
 * Classifies and checks the manifest bytes[0..len) whose parsed form is `root` (NULL when the
 * bytes are not JSON). `declared` is a declared media type or NULL. Reports findings through
 * el_report() and sets the result's extra object. `accept`, when non-NULL, lists accepted media
 * types (NULL-terminated) for the BatchGetImage translation check.
 */
ecrlint_status el_manifest_check(el_ctx *cx, const char *bytes, size_t len, const json_t *root,
                                 const char *declared, const char *const *accept);

#endif /* EL_PRIVATE_H */

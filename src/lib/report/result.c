/* result.c - one input's outcome: kind, ECR's predicted answer and the findings. */
#include <stdlib.h>
#include <string.h>

#include "report/el_result.h"
#include "util/el_alloc.h"
#include "util/el_text.h"

/* The first string block's size: it comes with the result (one allocation for most inputs,
 * whose few findings fit). */
#define FIRST_BLOCK 512

static el_strblock *first_block(ecrlint_result *r)
{
    return (el_strblock *)(r + 1);
}

ecrlint_result *el_result_new(const char *path, size_t max_diags)
{
    if (!path)
        path = "-";
    size_t plen = strlen(path);
    ecrlint_result *r = el_malloc(sizeof *r + sizeof(el_strblock) + FIRST_BLOCK + plen + 1);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    el_strblock *b = first_block(r);
    b->prev = NULL;
    b->used = 0;
    b->size = FIRST_BLOCK;
    r->strings = b;
    char *p = b->data + FIRST_BLOCK;
    memcpy(p, path, plen + 1);
    r->path = p;
    r->kind = ECRLINT_KIND_SKIPPED;
    r->max_diags = max_diags ? max_diags : ECRLINT_DEFAULT_MAX_DIAGNOSTICS;
    return r;
}

/* A copy of s[0..len) and a NUL in the result's string blocks; NULL when memory ran out. */
static const char *keep_n(ecrlint_result *r, const char *s, size_t len)
{
    size_t n = len + 1;
    el_strblock *b = r->strings;
    if (b->size - b->used < n) {
        size_t size = b->size * 2;
        if (size < n)
            size = n;
        if (size > 65536 && n <= 65536)
            size = 65536;
        el_strblock *fresh = el_malloc(sizeof *fresh + size);
        if (!fresh)
            return NULL;
        fresh->prev = b;
        fresh->used = 0;
        fresh->size = size;
        r->strings = b = fresh;
    }
    char *p = b->data + b->used;
    memcpy(p, s, len);
    p[len] = '\0';
    b->used += n;
    return p;
}

static const char *keep(ecrlint_result *r, const char *s)
{
    return keep_n(r, s, strlen(s));
}

bool el_result_keep(ecrlint_result *r, const char **field, const char *s)
{
    const char *copy = s ? keep(r, s) : NULL;
    if (s && !copy)
        return false;
    *field = copy;
    return true;
}

bool el_result_set_string(char **field, const char *value)
{
    char *copy = value ? el_strdup(value) : NULL;
    if (value && !copy)
        return false;
    el_free(*field);
    *field = copy;
    return true;
}

el_diag *el_result_add_diag(ecrlint_result *r, const char *rule, ecrlint_severity sev,
                            const char *pointer, const char *message, bool *dropped)
{
    if (!message)
        message = "";
    return el_result_add_diag_n(r, rule, sev, pointer, message, strlen(message), dropped);
}

el_diag *el_result_add_diag_n(ecrlint_result *r, const char *rule, ecrlint_severity sev,
                              const char *pointer, const char *message, size_t message_len,
                              bool *dropped)
{
    *dropped = false;
    if (r->ndiags >= r->max_diags) {
        r->dropped++;
        *dropped = true;
        return NULL;
    }
    /* most inputs have few findings */
    if (!el_grow(&r->diags, &r->cap_diags, r->ndiags + 1, sizeof *r->diags, 4))
        return NULL;
    el_diag *d = &r->diags[r->ndiags];
    memset(d, 0, sizeof *d);
    d->pub.severity = sev;
    if (!rule)
        rule = "";
    if (rule != r->rule_from || !r->rule_kept) {
        r->rule_kept_len = strlen(rule);
        r->rule_kept = keep_n(r, rule, r->rule_kept_len);
        r->rule_from = rule;
    }
    d->pub.rule = r->rule_kept;
    d->rule_len = r->rule_kept_len;
    if (!pointer)
        pointer = "";
    d->pointer_len = strlen(pointer);
    d->pub.pointer = keep_n(r, pointer, d->pointer_len);
    d->message_len = message_len;
    d->pub.message = keep_n(r, message, message_len);
    if (!d->pub.rule || !d->pub.pointer || !d->pub.message)
        return NULL; /* what was kept goes with the result */
    d->seq = r->ndiags++;
    return d;
}

bool el_result_diag_set_inner(ecrlint_result *r, el_diag *d, const char *inner, size_t at)
{
    d->inner_at = at;
    if (!inner)
        inner = "";
    d->inner_len = strlen(inner);
    d->inner = keep_n(r, inner, d->inner_len);
    return d->inner != NULL;
}

bool el_result_add_failure(ecrlint_result *r, const char *image_id, const char *code,
                           const char *reason, const char *pointer)
{
    if (!el_grow(&r->failures, &r->cap_failures, r->nfailures + 1, sizeof *r->failures, 4))
        return false;
    ecrlint_failure *f = &r->failures[r->nfailures];
    f->image_id = keep(r, image_id);
    f->code = keep(r, code);
    f->reason = keep(r, reason);
    f->pointer = keep(r, pointer);
    if (!f->image_id || !f->code || !f->reason || !f->pointer)
        return false;
    r->nfailures++;
    return true;
}

bool el_result_set_exception(ecrlint_result *r, const char *code, const char *message)
{
    const char *c = r->exc_code;
    if (!el_result_keep(r, &c, code) || !el_result_keep(r, &r->exc_message, message))
        return false;
    r->exc_code = c; /* both or neither */
    return true;
}

static int cmp_diag(const void *a, const void *b)
{
    const el_diag *x = a, *y = b;
    /* Findings without a position (0) come first: they concern the whole input. */
    if (x->pub.line != y->pub.line)
        return x->pub.line < y->pub.line ? -1 : 1;
    if (x->pub.column != y->pub.column)
        return x->pub.column < y->pub.column ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void el_result_sort(ecrlint_result *r)
{
    el_sort(r->diags, r->ndiags, sizeof *r->diags, cmp_diag);
}

void ecrlint_result_free(ecrlint_result *r)
{
    if (!r)
        return;
    for (el_strblock *b = r->strings; b != first_block(r);) {
        el_strblock *prev = b->prev;
        el_free(b);
        b = prev;
    }
    el_free(r->diags);
    el_free(r->failures);
    el_free(r->extra_json);
    el_free(r);
}

ecrlint_result *ecrlint_result_new_skipped(const char *path, const char *reason)
{
    ecrlint_result *r = el_result_new(path, 0);
    if (r && !el_result_keep(r, &r->skip_reason, reason)) {
        ecrlint_result_free(r);
        return NULL;
    }
    return r;
}

ecrlint_result *ecrlint_result_new_error(const char *path, const char *rule, const char *message)
{
    ecrlint_result *r = el_result_new(path, 0);
    if (!r)
        return NULL;
    r->kind = ECRLINT_KIND_ERROR;
    bool dropped;
    if (!el_result_add_diag(r, rule ? rule : "ECR0000", ECRLINT_SEVERITY_ERROR, "", message,
                            &dropped)) {
        ecrlint_result_free(r);
        return NULL;
    }
    return r;
}

const char *ecrlint_result_path(const ecrlint_result *r)
{
    return r->path;
}
ecrlint_kind ecrlint_result_kind(const ecrlint_result *r)
{
    return r->kind;
}
const char *ecrlint_result_operation(const ecrlint_result *r)
{
    return r->operation;
}
const char *ecrlint_result_skip_reason(const ecrlint_result *r)
{
    return r->skip_reason;
}
const char *ecrlint_result_skip_hint(const ecrlint_result *r)
{
    return r->skip_hint;
}
const char *ecrlint_result_exception_code(const ecrlint_result *r)
{
    return r->exc_code;
}
const char *ecrlint_result_exception_message(const ecrlint_result *r)
{
    return r->exc_message;
}
size_t ecrlint_result_failure_count(const ecrlint_result *r)
{
    return r->nfailures;
}
size_t ecrlint_result_diag_count(const ecrlint_result *r)
{
    return r->ndiags;
}
size_t ecrlint_result_dropped_count(const ecrlint_result *r)
{
    return r->dropped;
}
const char *ecrlint_result_client_name(const ecrlint_result *r)
{
    return r ? r->client_name : NULL;
}

const char *ecrlint_result_client_model(const ecrlint_result *r)
{
    return r ? r->client_model : NULL;
}

const char *ecrlint_result_client_error(const ecrlint_result *r)
{
    return r ? r->client_error : NULL;
}

const char *ecrlint_client_str(ecrlint_client client)
{
    return client == ECRLINT_CLIENT_BOTOCORE ? "botocore"
           : client == ECRLINT_CLIENT_NONE   ? "none"
                                             : "default";
}

int ecrlint_client_parse(const char *text)
{
    if (text && strcmp(text, "botocore") == 0)
        return ECRLINT_CLIENT_BOTOCORE;
    if (text && strcmp(text, "none") == 0)
        return ECRLINT_CLIENT_NONE;
    return -1;
}

const char *ecrlint_result_extra_json(const ecrlint_result *r)
{
    return r->extra_json;
}
int ecrlint_result_record_line(const ecrlint_result *r)
{
    return r->record_line;
}

const ecrlint_failure *ecrlint_result_failure(const ecrlint_result *r, size_t i)
{
    return i < r->nfailures ? &r->failures[i] : NULL;
}

const ecrlint_diag *ecrlint_result_diag(const ecrlint_result *r, size_t i)
{
    return i < r->ndiags ? &r->diags[i].pub : NULL;
}

ecrlint_status ecrlint_result_set_suppressed(ecrlint_result *r, size_t i, int on)
{
    if (!r || i >= r->ndiags)
        return ECRLINT_ERR_USAGE;
    r->diags[i].suppressed = on != 0;
    return ECRLINT_OK;
}

int ecrlint_result_diag_suppressed(const ecrlint_result *r, size_t i)
{
    return r && i < r->ndiags && r->diags[i].suppressed;
}

void el_result_mark_set(const ecrlint_result *r, el_result_mark *m)
{
    m->ndiags = r->ndiags;
    m->nfailures = r->nfailures;
    m->dropped = r->dropped;
    m->had_exception = r->exc_code != NULL;
    m->fail_conf = r->fail_conf;
}

void el_result_rewind(ecrlint_result *r, const el_result_mark *m)
{
    r->ndiags = m->ndiags;
    r->nfailures = m->nfailures;
    r->dropped = m->dropped;
    if (!m->had_exception) {
        r->exc_code = r->exc_message = NULL;
        r->exc_conf = EL_CONF_NONE;
    }
    r->fail_conf = m->fail_conf;
}

int el_conf_rank(const char *confidence)
{
    if (confidence && strcmp(confidence, "low") == 0)
        return EL_CONF_LOW;
    if (confidence && strcmp(confidence, "medium") == 0)
        return EL_CONF_MEDIUM;
    return EL_CONF_HIGH;
}

void el_conf_lower(int *conf, int rank)
{
    if (*conf == EL_CONF_NONE || rank < *conf)
        *conf = rank;
}

const char *el_conf_name(int rank)
{
    static const char *const names[] = {NULL, "low", "medium", "high"};
    return rank > EL_CONF_NONE && rank <= EL_CONF_HIGH ? names[rank] : NULL;
}

const char *ecrlint_result_confidence(const ecrlint_result *r)
{
    return el_conf_name(r->exc_code ? r->exc_conf : r->nfailures ? r->fail_conf : EL_CONF_NONE);
}

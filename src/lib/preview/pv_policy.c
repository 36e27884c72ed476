/* pv_policy.c - a lifecycle policy document as the engine's rule array, and the pool its
 * strings live in.
 *
 * The policy is read by the lifecycle checker's reader (el_lc_policy_read), the one that reads
 * the grammar of the ECR user guide ("Lifecycle policy properties",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html):
 * what this module adds is a conversion to the engine's types. The policy has been checked
 * before (the CLI checks the file first and stops at ECR's answer); a rule the reader leaves
 * out, or two rules with one priority, is an error that names the rule, never a guess. */
#include <string.h>

#include "lifecycle/el_lifecycle.h"
#include "preview/el_preview.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"
#include "util/el_json.h"

struct el_pv_chunk {
    struct el_pv_chunk *prev;
    size_t used, size;
    _Alignas(max_align_t) unsigned char data[];
};

#define CHUNK (64 * 1024)

/* size bytes at an offset that is a multiple of align (a power of two) */
static void *pool_take(el_pv_pool *p, size_t size, size_t align)
{
    struct el_pv_chunk *c = p->head;
    if (c)
        c->used = (c->used + align - 1) & ~(align - 1);
    if (c && c->used > c->size)
        c->used = c->size;
    if (!c || c->size - c->used < size) {
        size_t cap = size > CHUNK ? size : CHUNK;
        struct el_pv_chunk *fresh = el_malloc(sizeof *fresh + cap);
        if (!fresh)
            return NULL;
        fresh->prev = c;
        fresh->used = 0;
        fresh->size = cap;
        if (c && size > CHUNK) { /* a large block goes behind the current chunk */
            fresh->prev = c->prev;
            c->prev = fresh;
            fresh->used = size;
            return fresh->data;
        }
        p->head = c = fresh;
    }
    void *out = c->data + c->used;
    c->used += size;
    return out;
}

void *el_pv_pool_alloc(el_pv_pool *p, size_t size)
{
    return pool_take(p, size, _Alignof(max_align_t));
}

char *el_pv_pool_strdup(el_pv_pool *p, const char *s, size_t len)
{
    char *out = pool_take(p, len + 1, 1);
    if (out) {
        memcpy(out, s, len);
        out[len] = '\0';
    }
    return out;
}

void el_pv_pool_free(el_pv_pool *p)
{
    struct el_pv_chunk *c = p->head;
    while (c) {
        struct el_pv_chunk *prev = c->prev;
        el_free(c);
        c = prev;
    }
    p->head = NULL;
}

ecrlint_status el_pv_policy_find(json_t *doc, el_pv_pool *pool, const char **text, json_t **policy,
                                 ecrlint_error *err, const char *source)
{
    *text = NULL;
    *policy = NULL;
    if (!json_is_object(doc))
        return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                            "not a lifecycle policy: the document is not a JSON object");
    if (json_object_get(doc, "rules")) {
        *policy = json_incref(doc);
        return ECRLINT_OK;
    }
    static const char *const members[] = {"lifecyclePolicyText", "lifecyclePolicy"};
    for (size_t m = 0; m < 2; m++) {
        json_t *v = json_object_get(doc, members[m]);
        if (!v)
            continue;
        if (!json_is_string(v))
            return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                                "%s is a %s, not the text of a lifecycle policy", members[m],
                                el_json_type_name(v));
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        json_error_t jerr;
        bool oom = false;
        /* as the request checker reads it: a NUL allowed, the last of duplicate names */
        json_t *inner = el_json_loadb(s, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr, &oom);
        if (!inner)
            return oom ? el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory")
                       : el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                                      "%s is not JSON (%d:%d of its text: %s)", members[m],
                                      jerr.line, jerr.column, jerr.text);
        if (!(*text = el_pv_pool_strdup(pool, s, len))) {
            json_decref(inner);
            return el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
        }
        *policy = inner;
        return ECRLINT_OK;
    }
    return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                        "not a lifecycle policy: no rules, lifecyclePolicyText or "
                        "lifecyclePolicy member");
}

/* The error for rules[i], which the lifecycle reader left out: where the rule departs from ECR's
 * schema ("rules[0].selection.countNumber") and the validator's words. */
static ecrlint_status flawed_rule(const json_t *policy, size_t i, ecrlint_error *err,
                                  const char *source)
{
    char *pointer, *text;
    if (!el_lc_rule_flaw(json_array_get(json_object_get(policy, "rules"), i), &pointer, &text))
        return el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
    el_buf where;
    el_buf_init(&where);
    /* the pointer in the words of the findings: /selection/tagPatternList/0 as
       .selection.tagPatternList[0] */
    for (const char *p = pointer; *p == '/';) {
        const char *end = strchr(p + 1, '/');
        size_t n = end ? (size_t)(end - p - 1) : strlen(p + 1);
        bool index = n > 0 && strspn(p + 1, "0123456789") >= n;
        el_buf_puts(&where, index ? "[" : ".");
        el_buf_append(&where, p + 1, n);
        if (index)
            el_buf_puts(&where, "]");
        p += n + 1;
    }
    ecrlint_status st = where.failed
                            ? el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory")
                            : el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                                           "cannot preview the policy: rules[%zu]%s: %s", i,
                                           where.data ? where.data : "", text);
    el_buf_free(&where);
    el_free(pointer);
    el_free(text);
    return st;
}

ecrlint_status el_pv_policy_rules(const json_t *policy, el_pv_pool *pool, el_pv_rule **rules,
                                  size_t *nrules, ecrlint_error *err, const char *source)
{
    size_t n = json_array_size(json_object_get(policy, "rules"));
    if (n == 0)
        return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                            "cannot preview the policy: it has no rules array with a rule");
    el_lc_policy lc;
    if (el_lc_policy_read(policy, &lc) != ECRLINT_OK)
        return el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
    ecrlint_status st = ECRLINT_OK;
    el_pv_rule *out = el_pv_pool_alloc(pool, n * sizeof *out);
    if (!out)
        st = el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
    /* the reader leaves out what does not have ECR's form: the first such rule is named */
    for (size_t i = 0; !st && i < n; i++)
        if (i >= lc.nrules || lc.rules[i].index != i)
            st = flawed_rule(policy, i, err, source);
    for (size_t k = 1; !st && k < lc.nrules; k++) {
        const el_lc_rule *a = &lc.rules[lc.by_priority[k - 1]], *b = &lc.rules[lc.by_priority[k]];
        if (a->priority == b->priority)
            st = el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                              "cannot preview the policy: rules[%zu] and rules[%zu] have the same "
                              "rulePriority %lld",
                              a->index, b->index, b->priority);
    }
    for (size_t i = 0; !st && i < lc.nrules; i++) {
        const el_lc_rule *r = &lc.rules[i];
        el_pv_rule *o = &out[i];
        memset(o, 0, sizeof *o);
        o->priority = r->priority;
        if (r->description &&
            !(o->description = el_pv_pool_strdup(pool, r->description, strlen(r->description)))) {
            st = el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
            break;
        }
        o->tag_status = r->tag_status == EL_LC_TAGGED     ? EL_PV_TAGGED
                        : r->tag_status == EL_LC_UNTAGGED ? EL_PV_UNTAGGED
                                                          : EL_PV_ANY;
        if (o->tag_status == EL_PV_TAGGED) {
            /* the list of a tagged rule: its entries must all match (an empty list would
               select every tagged image, which is not what ECR does: it refuses the policy) */
            o->patterns = r->tag_patterns != NULL;
            const char *const *list = o->patterns ? r->tag_patterns : r->tag_prefixes;
            size_t nt = o->patterns ? r->ntag_patterns : r->ntag_prefixes;
            if ((r->tag_patterns && r->tag_prefixes) || !list || nt == 0) {
                st = el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                                  "cannot preview the policy: rules[%zu].selection is tagged "
                                  "without exactly one non-empty tagPatternList or tagPrefixList",
                                  r->index);
                break;
            }
            const char **tags = el_pv_pool_alloc(pool, nt * sizeof *tags);
            for (size_t t = 0; tags && t < nt; t++)
                if (!(tags[t] = el_pv_pool_strdup(pool, list[t], strlen(list[t]))))
                    tags = NULL;
            if (!tags) {
                st = el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
                break;
            }
            o->tags = tags;
            o->ntags = nt;
        }
        o->storage = r->storage_class == EL_LC_ARCHIVE ? EL_PV_ARCHIVE : EL_PV_STANDARD;
        o->count_type = r->count_type == EL_LC_IMAGE_COUNT_MORE_THAN ? EL_PV_COUNT_MORE_THAN
                        : r->count_type == EL_LC_SINCE_IMAGE_PUSHED  ? EL_PV_SINCE_PUSHED
                        : r->count_type == EL_LC_SINCE_IMAGE_PULLED  ? EL_PV_SINCE_PULLED
                                                                     : EL_PV_SINCE_TRANSITIONED;
        o->count_number = r->count_number;
        o->action = r->action == EL_LC_TRANSITION ? EL_PV_TRANSITION : EL_PV_EXPIRE;
    }
    el_lc_policy_free(&lc);
    if (st)
        return st;
    *rules = out;
    *nrules = n;
    return ECRLINT_OK;
}

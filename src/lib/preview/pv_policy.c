/* pv_policy.c - a lifecycle policy document as the engine's rule array, and the pool its
 * strings live in.
 *
 * This is a conversion, not a validator: the policy has been checked before (the CLI checks
 * the file first and stops at ECR's answer). A member this cannot read is an error that names
 * it, never a guess. The grammar is the one of the ECR user guide, "Lifecycle policy
 * properties":
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html */
#include <string.h>

#include "preview/el_preview.h"
#include "util/el_alloc.h"
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
        json_t *inner = el_json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr, &oom);
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

/* Which of `names` the string `v` is; -1 when it is not a string or none of them. */
static int one_of(const json_t *v, const char *const *names, int n)
{
    const char *s = json_string_value(v);
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static ecrlint_status cannot(ecrlint_error *err, const char *source, size_t rule,
                             const char *member, const char *what)
{
    return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                        "cannot preview the policy: rules[%zu].%s %s", rule, member, what);
}

static ecrlint_status read_rule(const json_t *jr, size_t i, el_pv_pool *pool, el_pv_rule *r,
                                ecrlint_error *err, const char *source)
{
    static const char *const tag_status[] = {"tagged", "untagged", "any"};
    static const char *const count_type[] = {"imageCountMoreThan", "sinceImagePushed",
                                             "sinceImagePulled", "sinceImageTransitioned"};
    static const char *const storage[] = {"standard", "archive"};
    static const char *const action[] = {"expire", "transition"};
    memset(r, 0, sizeof *r);
    if (!json_is_object(jr))
        return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                            "cannot preview the policy: rules[%zu] is not an object", i);
    const json_t *prio = json_object_get(jr, "rulePriority");
    if (!json_is_integer(prio))
        return cannot(err, source, i, "rulePriority", "is not an integer");
    r->priority = json_integer_value(prio);
    const json_t *desc = json_object_get(jr, "description");
    if (json_is_string(desc) && !(r->description = el_pv_pool_strdup(pool, json_string_value(desc),
                                                                     json_string_length(desc))))
        return ECRLINT_ERR_NOMEM;
    const json_t *sel = json_object_get(jr, "selection");
    if (!json_is_object(sel))
        return cannot(err, source, i, "selection", "is not an object");
    int ts = one_of(json_object_get(sel, "tagStatus"), tag_status, 3);
    if (ts < 0)
        return cannot(err, source, i, "selection.tagStatus", "is not tagged, untagged or any");
    r->tag_status = (el_pv_tag_status)ts;
    const json_t *patterns = json_object_get(sel, "tagPatternList");
    const json_t *prefixes = json_object_get(sel, "tagPrefixList");
    if (patterns && prefixes)
        return cannot(err, source, i, "selection", "has both tagPatternList and tagPrefixList");
    const json_t *list = patterns ? patterns : prefixes;
    if (r->tag_status == EL_PV_TAGGED) {
        if (!json_is_array(list) || json_array_size(list) == 0)
            return cannot(err, source, i, "selection",
                          "is tagged without a tagPatternList or tagPrefixList");
        r->patterns = patterns != NULL;
        size_t nt = json_array_size(list);
        const char **tags = el_pv_pool_alloc(pool, nt * sizeof *tags);
        if (!tags)
            return ECRLINT_ERR_NOMEM;
        for (size_t t = 0; t < nt; t++) {
            const json_t *e = json_array_get(list, t);
            if (!json_is_string(e))
                return cannot(err, source, i,
                              patterns ? "selection.tagPatternList" : "selection.tagPrefixList",
                              "holds a value that is not a string");
            if (!(tags[t] = el_pv_pool_strdup(pool, json_string_value(e), json_string_length(e))))
                return ECRLINT_ERR_NOMEM;
        }
        r->tags = tags;
        r->ntags = nt;
    } else if (list && json_array_size(list)) {
        return cannot(err, source, i, "selection", "has a tag list without tagStatus tagged");
    }
    const json_t *sc = json_object_get(sel, "storageClass");
    if (sc) {
        int s = one_of(sc, storage, 2);
        if (s < 0)
            return cannot(err, source, i, "selection.storageClass", "is not standard or archive");
        r->storage = (el_pv_storage)s;
    }
    int ct = one_of(json_object_get(sel, "countType"), count_type, 4);
    if (ct < 0)
        return cannot(err, source, i, "selection.countType", "is not a known count type");
    r->count_type = (el_pv_count_type)ct;
    const json_t *num = json_object_get(sel, "countNumber");
    if (!json_is_integer(num) || json_integer_value(num) < 1)
        return cannot(err, source, i, "selection.countNumber", "is not a positive integer");
    r->count_number = json_integer_value(num);
    const json_t *act = json_object_get(jr, "action");
    int a = json_is_object(act) ? one_of(json_object_get(act, "type"), action, 2) : -1;
    if (a < 0)
        return cannot(err, source, i, "action.type", "is not expire or transition");
    r->action = a == 0 ? EL_PV_EXPIRE : EL_PV_TRANSITION;
    if (r->action == EL_PV_TRANSITION &&
        one_of(json_object_get(act, "targetStorageClass"), storage + 1, 1) != 0)
        return cannot(err, source, i, "action.targetStorageClass", "is not archive");
    return ECRLINT_OK;
}

ecrlint_status el_pv_policy_rules(const json_t *policy, el_pv_pool *pool, el_pv_rule **rules,
                                  size_t *nrules, ecrlint_error *err, const char *source)
{
    const json_t *list = json_object_get(policy, "rules");
    if (!json_is_array(list) || json_array_size(list) == 0)
        return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                            "cannot preview the policy: it has no rules array with a rule");
    size_t n = json_array_size(list);
    el_pv_rule *out = el_pv_pool_alloc(pool, n * sizeof *out);
    if (!out)
        return el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        ecrlint_status st = read_rule(json_array_get(list, i), i, pool, &out[i], err, source);
        if (st == ECRLINT_ERR_NOMEM)
            return el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
        if (st)
            return st;
        for (size_t j = 0; j < i; j++)
            if (out[j].priority == out[i].priority)
                return el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                                    "cannot preview the policy: rules[%zu] and rules[%zu] have "
                                    "the same rulePriority %lld",
                                    j, i, (long long)out[i].priority);
    }
    *rules = out;
    *nrules = n;
    return ECRLINT_OK;
}

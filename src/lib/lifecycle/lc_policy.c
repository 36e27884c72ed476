/* lc_policy.c - the typed view of a lifecycle policy, and what a rule selects
 * (lifecycle/el_lifecycle.h). The selection semantics are the user guide's ("Lifecycle policy
 * properties", tagPatternList and tagPrefixList; "Examples of lifecycle policies"): a tagged
 * rule selects an image when every entry of its list matches at least one of the image's tags. */
#include <string.h>

#include "lifecycle/el_lifecycle.h"
#include "lifecycle/lc_schema.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_text.h"

static const char *member_string(const json_t *obj, const char *name)
{
    const json_t *v = json_object_get(obj, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool str_is(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

/* The strings of a tag list (the schema made sure they are strings). */
static bool read_list(const json_t *list, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!json_is_array(list))
        return true;
    size_t k = json_array_size(list);
    /* an empty list is kept as an empty array, not as an absent one */
    *out = el_calloc(k ? k : 1, sizeof **out);
    if (!*out)
        return false;
    for (size_t i = 0; i < k; i++)
        (*out)[i] = json_string_value(json_array_get(list, i));
    *n = k;
    return true;
}

/* A rule's priority and place, sorted together (the comparison takes no context). */
typedef struct by_pri {
    long long priority;
    size_t rule;
} by_pri;

static int cmp_priority(const void *a, const void *b)
{
    const by_pri *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule; /* document order among equals */
}

ecrlint_status el_lc_policy_read(const json_t *root, el_lc_policy *out)
{
    return lc_policy_read(root, false, out);
}

ecrlint_status lc_policy_read(const json_t *root, bool conforming, el_lc_policy *out)
{
    memset(out, 0, sizeof *out);
    const json_t *rules = json_is_object(root) ? json_object_get(root, "rules") : NULL;
    size_t n = json_array_size(rules);
    if (!n)
        return ECRLINT_OK;
    out->rules = el_calloc(n, sizeof *out->rules);
    out->by_priority = el_calloc(n, sizeof *out->by_priority);
    if (!out->rules || !out->by_priority) {
        el_lc_policy_free(out);
        return ECRLINT_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *rj = json_array_get(rules, i);
        if (!conforming && !lc_conforms(&lc_rule_schema, rj))
            continue;
        const json_t *sel = json_object_get(rj, "selection");
        const json_t *act = json_object_get(rj, "action");
        el_lc_rule *r = &out->rules[out->nrules];
        r->index = i;
        r->priority = json_integer_value(json_object_get(rj, "rulePriority"));
        r->description = member_string(rj, "description");
        const char *ts = member_string(sel, "tagStatus");
        r->tag_status = str_is(ts, "tagged")     ? EL_LC_TAGGED
                        : str_is(ts, "untagged") ? EL_LC_UNTAGGED
                                                 : EL_LC_ANY;
        if (!read_list(json_object_get(sel, "tagPrefixList"), &r->tag_prefixes,
                       &r->ntag_prefixes) ||
            !read_list(json_object_get(sel, "tagPatternList"), &r->tag_patterns,
                       &r->ntag_patterns)) {
            out->nrules++;
            el_lc_policy_free(out);
            return ECRLINT_ERR_NOMEM;
        }
        r->storage_class =
            str_is(member_string(sel, "storageClass"), "archive") ? EL_LC_ARCHIVE : EL_LC_STANDARD;
        const char *ct = member_string(sel, "countType");
        r->count_type = str_is(ct, "sinceImagePushed")         ? EL_LC_SINCE_IMAGE_PUSHED
                        : str_is(ct, "sinceImagePulled")       ? EL_LC_SINCE_IMAGE_PULLED
                        : str_is(ct, "sinceImageTransitioned") ? EL_LC_SINCE_IMAGE_TRANSITIONED
                                                               : EL_LC_IMAGE_COUNT_MORE_THAN;
        r->count_number = json_integer_value(json_object_get(sel, "countNumber"));
        r->action =
            str_is(member_string(act, "type"), "transition") ? EL_LC_TRANSITION : EL_LC_EXPIRE;
        r->target_storage_class = r->action == EL_LC_TRANSITION ? EL_LC_ARCHIVE : EL_LC_STANDARD;
        out->nrules++;
    }
    by_pri *order = el_malloc((out->nrules ? out->nrules : 1) * sizeof *order);
    if (!order) {
        el_lc_policy_free(out);
        return ECRLINT_ERR_NOMEM;
    }
    for (size_t i = 0; i < out->nrules; i++)
        order[i] = (by_pri){out->rules[i].priority, i};
    el_sort(order, out->nrules, sizeof *order, cmp_priority);
    for (size_t i = 0; i < out->nrules; i++)
        out->by_priority[i] = order[i].rule;
    el_free(order);
    return ECRLINT_OK;
}

bool el_lc_rule_flaw(const json_t *rule, char **pointer, char **text)
{
    *pointer = *text = NULL;
    lc_report r = {.keep = 1};
    bool ok = lc_validate(&lc_rule_schema, rule, "", false, &r);
    if (ok && r.n) {
        lc_msg *m = &r.msgs[0];
        el_buf b;
        el_buf_init(&b);
        el_buf_puts(&b, m->pointer ? m->pointer : "");
        if (m->name)
            el_pointer_append(&b, m->name);
        *pointer = b.failed ? NULL : el_strndup(b.data ? b.data : "", b.len);
        el_buf_free(&b);
        *text = m->text;
        m->text = NULL;
        if (!*pointer || !*text) {
            el_free(*pointer);
            el_free(*text);
            *pointer = *text = NULL;
        }
    }
    bool flawed = ok && r.n && *pointer;
    lc_report_free(&r);
    return flawed;
}

void el_lc_policy_free(el_lc_policy *p)
{
    for (size_t i = 0; p->rules && i < p->nrules; i++) {
        el_free((void *)p->rules[i].tag_prefixes);
        el_free((void *)p->rules[i].tag_patterns);
    }
    el_free(p->rules);
    el_free(p->by_priority);
    memset(p, 0, sizeof *p);
}

bool el_lc_glob_match(const char *pattern, const char *tag)
{
    return el_glob_match(pattern, tag, false);
}

static bool entry_matches(const char *entry, bool prefix, const char *const *tags, size_t ntags)
{
    size_t elen = strlen(entry);
    for (size_t i = 0; i < ntags; i++)
        if (prefix ? strncmp(tags[i], entry, elen) == 0 : el_lc_glob_match(entry, tags[i]))
            return true;
    return false;
}

bool el_lc_rule_selects(const el_lc_rule *r, const char *const *tags, size_t ntags,
                        el_lc_storage_class storage_class)
{
    if (r->storage_class != storage_class)
        return false;
    switch (r->tag_status) {
    case EL_LC_ANY:
        return true;
    case EL_LC_UNTAGGED:
        return ntags == 0;
    case EL_LC_TAGGED:
        break;
    }
    if (ntags == 0)
        return false;
    bool prefix = r->tag_prefixes != NULL;
    const char **list = prefix ? r->tag_prefixes : r->tag_patterns;
    size_t n = prefix ? r->ntag_prefixes : r->ntag_patterns;
    if (!list || n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!entry_matches(list[i], prefix, tags, ntags))
            return false;
    return true;
}

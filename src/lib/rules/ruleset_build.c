/* ruleset_build.c - a ruleset from pack documents: each pack read in turn (pack_load.c), then
 * merged (a later pack's rule, shape or operation replaces an earlier one of the same name),
 * names resolved, and the top-level names numbered (ruleset_index.c). Also the lookups by name
 * and freeing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/el_pack.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_error.h"

/* ---- freeing -------------------------------------------------------------------------------- */

void el_string_list_free(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        el_free(list[i]);
    el_free(list);
}

void el_rule_clear(el_rule *r)
{
    el_tpl_free(&r->message_tpl);
    el_tpl_free(&r->exception_tpl);
    el_tpl_free(&r->reason_tpl);
    el_tpl_free(&r->item_tpl);
    ecrlint_rule_info *i = &r->info;
    char *strs[] = {(char *)i->id,          (char *)i->scope,
                    (char *)i->title,       (char *)i->help,
                    (char *)i->source,      (char *)i->confidence,
                    (char *)i->exception,   (char *)i->exception_message,
                    (char *)i->failure,     (char *)i->failure_reason,
                    (char *)i->bad_example, (char *)i->good_example,
                    (char *)i->pack,        r->message,
                    r->item_message,        (char *)i->example_options};
    for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
        el_free(strs[k]);
    el_string_list_free(r->vars, r->nvars);
    memset(r, 0, sizeof *r);
}

static void check_clear(el_check *c)
{
    el_free(c->rule_id);
    if (c->regex) {
        el_regex_release(c->regex);
        pthread_mutex_destroy(&c->regex->lock);
        el_free(c->regex->source);
        el_free(c->regex);
    }
    el_string_list_free(c->values, c->nvalues);
    el_free(c->values_text);
    el_free(c->document);
    el_free(c->media_type_member);
    el_free(c->digest_member);
}

void el_shape_free(el_shape *s)
{
    if (!s)
        return;
    el_free(s->name);
    for (size_t i = 0; i < s->nchecks; i++)
        check_clear(&s->checks[i]);
    el_free(s->checks);
    for (size_t i = 0; i < s->nmembers; i++) {
        el_free(s->members[i].name);
        el_free(s->members[i].shape_name);
        el_free(s->members[i].required_rule);
    }
    el_free(s->members);
    for (size_t i = 0; i < s->ngroups; i++) {
        el_string_list_free(s->groups[i].members, s->groups[i].nmembers);
        el_free(s->groups[i].with);
        el_free(s->groups[i].rule_id);
        el_free(s->groups[i].member_idx);
        el_free(s->groups[i].when_member);
        el_string_list_free(s->groups[i].when_values, s->groups[i].nwhen_values);
    }
    el_free(s->groups);
    el_free(s->item_name);
    el_free(s->confidence);
    el_free(s);
}

void el_operation_clear(el_operation *op)
{
    el_free(op->name);
    el_free(op->target);
    el_free(op->input_name);
    el_free(op->failure_list);
    for (size_t i = 0; i < op->nremaps; i++) {
        el_free(op->remaps[i].from);
        el_free(op->remaps[i].to);
    }
    el_free(op->remaps);
    for (size_t i = 0; i < op->ndetects; i++) {
        el_string_list_free(op->detects[i].members, op->detects[i].nmembers);
        el_free(op->detects[i].ids);
    }
    el_free(op->detects);
    el_free(op->member_ids);
    el_string_list_free(op->name_hints, op->nname_hints);
    memset(op, 0, sizeof *op);
}

void el_ruleset_free(el_ruleset *rs)
{
    if (!rs || rs->is_static)
        return;
    for (size_t i = 0; i < rs->nrules; i++)
        el_rule_clear(&rs->rules[i]);
    el_free(rs->rules);
    for (size_t i = 0; i < rs->nshapes; i++)
        el_shape_free(rs->shapes[i]);
    el_free(rs->shapes);
    for (size_t i = 0; i < rs->nops; i++)
        el_operation_clear(&rs->ops[i]);
    el_free(rs->ops);
    for (size_t i = 0; i < rs->ntype_errors; i++) {
        el_free(rs->type_errors[i].actual);
        el_free(rs->type_errors[i].message);
    }
    el_free(rs->type_errors);
    el_free(rs->version);
    el_free(rs->top.names);
    el_free(rs->top.slots);
    el_free(rs);
}

/* ---- merging -------------------------------------------------------------------------------- */

static int cmp_shape(const void *a, const void *b)
{
    return strcmp((*(el_shape *const *)a)->name, (*(el_shape *const *)b)->name);
}

/* Stable: qsort is not, so sequence numbers break ties (later pack wins). */
typedef struct seq_rule {
    el_rule r;
    size_t seq;
} seq_rule;

static int cmp_seq_rule(const void *a, const void *b)
{
    const seq_rule *x = a, *y = b;
    int c = strcmp(x->r.info.id, y->r.info.id);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static ecrlint_status dedupe_rules(el_ruleset *rs)
{
    if (rs->nrules == 0)
        return ECRLINT_OK;
    seq_rule *tmp = el_malloc(rs->nrules * sizeof *tmp);
    if (!tmp)
        return ECRLINT_ERR_NOMEM;
    for (size_t i = 0; i < rs->nrules; i++) {
        tmp[i].r = rs->rules[i];
        tmp[i].seq = i;
    }
    qsort(tmp, rs->nrules, sizeof *tmp, cmp_seq_rule);
    size_t out = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        if (i + 1 < rs->nrules && strcmp(tmp[i].r.info.id, tmp[i + 1].r.info.id) == 0) {
            el_rule_clear(&tmp[i].r); /* replaced by a later pack */
            continue;
        }
        rs->rules[out++] = tmp[i].r;
    }
    rs->nrules = out;
    el_free(tmp);
    return ECRLINT_OK;
}

/* An "amend" shape adds its member groups to the nearest earlier shape of its name (a
 * generated structure gets the rules the model cannot say without being copied), then goes. */
static ecrlint_status apply_amends(el_ruleset *rs, ecrlint_error *err)
{
    for (size_t i = 0; i < rs->nshapes; i++) {
        el_shape *a = rs->shapes[i];
        if (!a || !a->amend)
            continue;
        el_shape *base = NULL;
        for (size_t j = i; j-- > 0 && !base;)
            if (rs->shapes[j] && !rs->shapes[j]->amend && strcmp(rs->shapes[j]->name, a->name) == 0)
                base = rs->shapes[j];
        if (!base || base->type != EL_T_STRUCTURE)
            return el_error_set(err, ECRLINT_ERR_RULES, NULL, 0, 0,
                                "shapes.%s: \"amend\" needs an earlier structure of that name",
                                a->name);
        el_group *g = el_realloc(base->groups, (base->ngroups + a->ngroups) * sizeof *g);
        if (!g && base->ngroups + a->ngroups)
            return el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        if (a->ngroups)
            memcpy(g + base->ngroups, a->groups, a->ngroups * sizeof *g);
        base->groups = g;
        base->ngroups += a->ngroups;
        el_free(a->groups);
        a->groups = NULL;
        a->ngroups = 0;
        el_shape_free(a);
        rs->shapes[i] = NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < rs->nshapes; i++)
        if (rs->shapes[i])
            rs->shapes[k++] = rs->shapes[i];
    rs->nshapes = k;
    return ECRLINT_OK;
}

static void dedupe_shapes(el_ruleset *rs)
{
    /* Later definitions win: walk backwards, keep the first name seen. */
    size_t out = rs->nshapes;
    for (size_t i = rs->nshapes; i-- > 0;) {
        bool seen = false;
        for (size_t j = i + 1; j < rs->nshapes && !seen; j++)
            if (rs->shapes[j] && strcmp(rs->shapes[j]->name, rs->shapes[i]->name) == 0)
                seen = true;
        if (seen) {
            el_shape_free(rs->shapes[i]);
            rs->shapes[i] = NULL;
            out--;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < rs->nshapes; i++)
        if (rs->shapes[i])
            rs->shapes[k++] = rs->shapes[i];
    rs->nshapes = k;
    (void)out;
    qsort(rs->shapes, rs->nshapes, sizeof *rs->shapes, cmp_shape);
}

static void dedupe_ops(el_ruleset *rs)
{
    size_t k = 0;
    for (size_t i = 0; i < rs->nops; i++) {
        bool later = false;
        for (size_t j = i + 1; j < rs->nops && !later; j++)
            if (strcmp(rs->ops[j].name, rs->ops[i].name) == 0)
                later = true;
        if (later)
            el_operation_clear(&rs->ops[i]);
        else
            rs->ops[k++] = rs->ops[i];
    }
    rs->nops = k;
}

const el_rule *el_ruleset_find(const el_ruleset *rs, const char *id)
{
    size_t lo = 0, hi = rs->nrules;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(id, rs->rules[mid].info.id);
        if (c == 0)
            return &rs->rules[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const el_shape *el_ruleset_shape(const el_ruleset *rs, const char *name)
{
    size_t lo = 0, hi = rs->nshapes;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, rs->shapes[mid]->name);
        if (c == 0)
            return rs->shapes[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const el_operation *el_ruleset_operation(const el_ruleset *rs, const char *name)
{
    for (size_t i = 0; i < rs->nops; i++)
        if (strcmp(rs->ops[i].name, name) == 0)
            return &rs->ops[i];
    return NULL;
}

/* ---- resolving names ------------------------------------------------------------------------ */

/* The index of the shape's member named `name`, or -1. */
static int member_at(const el_shape *s, const char *name)
{
    for (size_t i = 0; name && i < s->nmembers; i++)
        if (strcmp(s->members[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* A structure's key position (el_shape.key_pos): the first at which all member names have a
 * byte, all different. */
static void choose_key_pos(el_shape *s)
{
    s->key_pos = EL_NO_KEY_POS;
    if (s->nmembers == 0)
        return;
    size_t shortest = SIZE_MAX;
    for (size_t i = 0; i < s->nmembers; i++) {
        size_t n = strlen(s->members[i].name);
        if (n < shortest)
            shortest = n;
    }
    for (size_t p = 0; p < shortest && p < EL_NO_KEY_POS; p++) {
        bool seen[256] = {false}, distinct = true;
        for (size_t i = 0; i < s->nmembers && distinct; i++) {
            unsigned char c = (unsigned char)s->members[i].name[p];
            distinct = !seen[c];
            seen[c] = true;
        }
        if (distinct) {
            s->key_pos = (unsigned char)p;
            for (size_t i = 0; i < s->nmembers; i++)
                s->members[i].key_char = (unsigned char)s->members[i].name[p];
            return;
        }
    }
}

/* A name that resolves to nothing: the error names the merged packs and the key path. */
static ecrlint_status unresolved(ecrlint_error *err, const char *path, const char *what,
                                 const char *name)
{
    return el_error_set(err, ECRLINT_ERR_RULES, "rule packs", 0, 0,
                        "%s: %s '%s' is not %s in any pack", path, what, name,
                        strcmp(what, "rule") == 0 ? "declared" : "defined");
}

static ecrlint_status resolve_rule(const el_ruleset *rs, const char *id, const char *path,
                                   ecrlint_error *err)
{
    return id && !el_ruleset_find(rs, id) ? unresolved(err, path, "rule", id) : ECRLINT_OK;
}

static ecrlint_status resolve_shape(el_ruleset *rs, el_shape *s, ecrlint_error *err)
{
    ecrlint_status st;
    char path[400];
    snprintf(path, sizeof path, "shapes.%s", s->name);
    if (s->item_name) {
        s->item = (el_shape *)el_ruleset_shape(rs, s->item_name);
        if (!s->item)
            return unresolved(err, path, "shape", s->item_name);
    }
    for (size_t j = 0; j < s->nmembers; j++) {
        snprintf(path, sizeof path, "shapes.%s.members[%zu]", s->name, j);
        s->members[j].shape = (el_shape *)el_ruleset_shape(rs, s->members[j].shape_name);
        if (!s->members[j].shape)
            return unresolved(err, path, "shape", s->members[j].shape_name);
        st = resolve_rule(rs, s->members[j].required_rule, path, err);
        if (st)
            return st;
    }
    for (size_t j = 0; j < s->nchecks; j++) {
        snprintf(path, sizeof path, "shapes.%s.checks[%zu]", s->name, j);
        st = resolve_rule(rs, s->checks[j].rule_id, path, err);
        if (st)
            return st;
    }
    for (size_t j = 0; j < s->ngroups; j++) {
        el_group *g = &s->groups[j];
        snprintf(path, sizeof path, "shapes.%s.groups[%zu]", s->name, j);
        st = resolve_rule(rs, g->rule_id, path, err);
        if (st)
            return st;
        g->member_idx = el_calloc(g->nmembers + 1, sizeof *g->member_idx);
        if (!g->member_idx)
            return el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        for (size_t k = 0; k < g->nmembers; k++)
            g->member_idx[k] = member_at(s, g->members[k]);
        g->with_idx = member_at(s, g->with);
        g->when_idx = member_at(s, g->when_member);
    }
    choose_key_pos(s);
    return ECRLINT_OK;
}

static ecrlint_status resolve_operation(el_ruleset *rs, el_operation *op, ecrlint_error *err)
{
    ecrlint_status st;
    char path[400];
    snprintf(path, sizeof path, "operations.%s", op->name);
    op->input = (el_shape *)el_ruleset_shape(rs, op->input_name);
    if (!op->input)
        return unresolved(err, path, "input shape", op->input_name);
    if (op->input->type != EL_T_STRUCTURE)
        return el_error_set(err, ECRLINT_ERR_RULES, "rule packs", 0, 0,
                            "%s: input shape '%s' must be a structure", path, op->input_name);
    for (size_t j = 0; j < op->nremaps; j++) {
        st = resolve_rule(rs, op->remaps[j].from, path, err);
        if (!st)
            st = resolve_rule(rs, op->remaps[j].to, path, err);
        if (st)
            return st;
    }
    return ECRLINT_OK;
}

/* ---- building ---------------------------------------------------------------------------------
 */

static ecrlint_status build(el_ruleset *rs, const el_pack_doc *packs, size_t n,
                            bool compile_patterns, ecrlint_error *err)
{
    ecrlint_status st;
    el_pack_room room = {0};
    for (size_t i = 0; i < n; i++) {
        st = el_pack_load(rs, &room, &packs[i], compile_patterns, err);
        if (st)
            return st;
    }
    st = dedupe_rules(rs);
    if (st)
        return el_error_set(err, st, NULL, 0, 0, "out of memory");
    st = apply_amends(rs, err);
    if (st)
        return st;
    dedupe_shapes(rs);
    dedupe_ops(rs);
    for (size_t i = 0; i < rs->nshapes; i++) {
        st = resolve_shape(rs, rs->shapes[i], err);
        if (st)
            return st;
    }
    for (size_t i = 0; i < rs->nops; i++) {
        st = resolve_operation(rs, &rs->ops[i], err);
        if (st)
            return st;
    }
    st = el_name_index_build(rs);
    if (st)
        return el_error_set(err, st, NULL, 0, 0, "out of memory");
    if (!rs->version && !(rs->version = el_strdup("unversioned")))
        return el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return ECRLINT_OK;
}

el_ruleset *el_ruleset_build(const el_pack_doc *packs, size_t n, bool compile_patterns,
                             ecrlint_error *err)
{
    el_ruleset *rs = el_calloc(1, sizeof *rs);
    if (!rs) {
        el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    if (build(rs, packs, n, compile_patterns, err)) {
        el_ruleset_free(rs);
        return NULL;
    }
    return rs;
}

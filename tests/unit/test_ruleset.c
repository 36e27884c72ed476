/* test_ruleset.c - the ruleset packgen compiled into the binary is the one the loader builds at
 * run time from the same packs (their text is embedded beside it), field by field: every rule,
 * shape, check, member, group, operation, regular expression's source, template part, type
 * error and the name index. The first difference fails the test and is named by its path
 * ("rules[12].info.title"). */
#include <check.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"
#include "rules/el_builtin.h"
#include "rules/el_rules.h"
#include "suite_run.h"

/* The first difference found: where, and what. */
typedef struct diff {
    char where[512];
} diff;

static bool differ(diff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool differ(diff *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->where, sizeof d->where, fmt, ap);
    va_end(ap);
    return false;
}

static bool same_str(diff *d, const char *path, const char *field, const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        return differ(d, "%s.%s: \"%s\" / \"%s\"", path, field, a ? a : "(null)", b ? b : "(null)");
    return true;
}

static bool same_num(diff *d, const char *path, const char *field, long long a, long long b)
{
    if (a != b)
        return differ(d, "%s.%s: %lld / %lld", path, field, a, b);
    return true;
}

static bool same_strs(diff *d, const char *path, const char *field, char *const *a, size_t na,
                      char *const *b, size_t nb)
{
    if (!same_num(d, path, field, (long long)na, (long long)nb))
        return false;
    char at[512];
    for (size_t i = 0; i < na; i++) {
        snprintf(at, sizeof at, "%s.%s[%zu]", path, field, i);
        if (!same_str(d, at, "", a[i], b[i]))
            return false;
    }
    return true;
}

static bool same_uints(diff *d, const char *path, const char *field, const unsigned *a,
                       const unsigned *b, size_t n)
{
    if (n && (!a || !b))
        return differ(d, "%s.%s: missing", path, field);
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return differ(d, "%s.%s[%zu]: %u / %u", path, field, i, a[i], b[i]);
    return true;
}

/* A shape pointer, as its index in its ruleset (-1 for NULL, -2 when not in the ruleset). */
static long shape_at(const el_ruleset *rs, const el_shape *s)
{
    if (!s)
        return -1;
    for (size_t i = 0; i < rs->nshapes; i++)
        if (rs->shapes[i] == s)
            return (long)i;
    return -2;
}

static bool same_tpl(diff *d, const char *path, const char *field, const el_tpl *a, const el_tpl *b)
{
    if (!same_num(d, path, field, (long long)a->n, (long long)b->n))
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const el_tpl_part *p = &a->parts[i], *q = &b->parts[i];
        if (p->len != q->len || p->var != q->var || memcmp(p->text, q->text, p->len) != 0)
            return differ(d, "%s.%s.parts[%zu]: \"%.*s\" / \"%.*s\"", path, field, i, (int)p->len,
                          p->text, (int)q->len, q->text);
    }
    return true;
}

static bool same_rule(diff *d, size_t i, const el_rule *a, const el_rule *b)
{
    char path[64];
    snprintf(path, sizeof path, "rules[%zu]", i);
    const ecrlint_rule_info *x = &a->info, *y = &b->info;
    const struct {
        const char *field, *a, *b;
    } strs[] = {{"info.id", x->id, y->id},
                {"info.scope", x->scope, y->scope},
                {"info.title", x->title, y->title},
                {"info.help", x->help, y->help},
                {"info.source", x->source, y->source},
                {"info.confidence", x->confidence, y->confidence},
                {"info.exception", x->exception, y->exception},
                {"info.exception_message", x->exception_message, y->exception_message},
                {"info.failure", x->failure, y->failure},
                {"info.failure_reason", x->failure_reason, y->failure_reason},
                {"info.bad_example", x->bad_example, y->bad_example},
                {"info.good_example", x->good_example, y->good_example},
                {"info.example_options", x->example_options, y->example_options},
                {"info.pack", x->pack, y->pack},
                {"message", a->message, b->message},
                {"item_message", a->item_message, b->item_message}};
    for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
        if (!same_str(d, path, strs[k].field, strs[k].a, strs[k].b))
            return false;
    return same_num(d, path, "info.severity", x->severity, y->severity) &&
           same_num(d, path, "after_validation", a->after_validation, b->after_validation) &&
           same_num(d, path, "breaks_spec", a->breaks_spec, b->breaks_spec) &&
           same_strs(d, path, "vars", a->vars, a->nvars, b->vars, b->nvars) &&
           same_tpl(d, path, "message_tpl", &a->message_tpl, &b->message_tpl) &&
           same_tpl(d, path, "exception_tpl", &a->exception_tpl, &b->exception_tpl) &&
           same_tpl(d, path, "reason_tpl", &a->reason_tpl, &b->reason_tpl) &&
           same_tpl(d, path, "item_tpl", &a->item_tpl, &b->item_tpl);
}

static bool same_check(diff *d, const char *path, const el_check *a, const el_check *b)
{
    if ((a->regex == NULL) != (b->regex == NULL))
        return differ(d, "%s.regex: present in one only", path);
    return same_num(d, path, "kind", a->kind, b->kind) &&
           same_str(d, path, "rule_id", a->rule_id, b->rule_id) &&
           same_num(d, path, "if_valid", a->if_valid, b->if_valid) &&
           same_num(d, path, "number", a->number, b->number) &&
           (!a->regex || same_str(d, path, "regex.source", a->regex->source, b->regex->source)) &&
           same_strs(d, path, "values", a->values, a->nvalues, b->values, b->nvalues) &&
           same_str(d, path, "values_text", a->values_text, b->values_text) &&
           same_str(d, path, "media_type_member", a->media_type_member, b->media_type_member) &&
           same_str(d, path, "digest_member", a->digest_member, b->digest_member) &&
           same_num(d, path, "covers", (long long)a->covers, (long long)b->covers) &&
           same_num(d, path, "value_lengths", (long long)a->value_lengths,
                    (long long)b->value_lengths);
}

static bool same_shape(diff *d, const el_ruleset *ra, const el_ruleset *rb, size_t i)
{
    const el_shape *a = ra->shapes[i], *b = rb->shapes[i];
    char path[256], at[320];
    snprintf(path, sizeof path, "shapes[%zu]", i);
    if (!same_str(d, path, "name", a->name, b->name) ||
        !same_num(d, path, "type", a->type, b->type) ||
        !same_str(d, path, "item_name", a->item_name, b->item_name) ||
        !same_num(d, path, "item", shape_at(ra, a->item), shape_at(rb, b->item)) ||
        !same_num(d, path, "open", a->open, b->open) ||
        !same_num(d, path, "key_pos", a->key_pos, b->key_pos) ||
        !same_num(d, path, "nchecks", (long long)a->nchecks, (long long)b->nchecks) ||
        !same_num(d, path, "nmembers", (long long)a->nmembers, (long long)b->nmembers) ||
        !same_num(d, path, "ngroups", (long long)a->ngroups, (long long)b->ngroups))
        return false;
    for (size_t k = 0; k < a->nchecks; k++) {
        snprintf(at, sizeof at, "%s.checks[%zu]", path, k);
        if (!same_check(d, at, &a->checks[k], &b->checks[k]))
            return false;
    }
    for (size_t k = 0; k < a->nmembers; k++) {
        const el_member *p = &a->members[k], *q = &b->members[k];
        snprintf(at, sizeof at, "%s.members[%zu]", path, k);
        if (!same_str(d, at, "name", p->name, q->name) ||
            !same_str(d, at, "shape_name", p->shape_name, q->shape_name) ||
            !same_num(d, at, "shape", shape_at(ra, p->shape), shape_at(rb, q->shape)) ||
            !same_str(d, at, "required_rule", p->required_rule, q->required_rule) ||
            !same_num(d, at, "key_char", p->key_char, q->key_char))
            return false;
    }
    for (size_t k = 0; k < a->ngroups; k++) {
        const el_group *p = &a->groups[k], *q = &b->groups[k];
        snprintf(at, sizeof at, "%s.groups[%zu]", path, k);
        if (!same_num(d, at, "kind", p->kind, q->kind) ||
            !same_strs(d, at, "members", p->members, p->nmembers, q->members, q->nmembers) ||
            !same_str(d, at, "with", p->with, q->with) ||
            !same_str(d, at, "rule_id", p->rule_id, q->rule_id) ||
            !same_num(d, at, "with_idx", p->with_idx, q->with_idx) ||
            !same_str(d, at, "when_member", p->when_member, q->when_member) ||
            !same_strs(d, at, "when_values", p->when_values, p->nwhen_values, q->when_values,
                       q->nwhen_values) ||
            !same_num(d, at, "when_not", p->when_not, q->when_not) ||
            !same_num(d, at, "when_idx", p->when_idx, q->when_idx))
            return false;
        for (size_t m = 0; m < p->nmembers; m++)
            if (p->member_idx[m] != q->member_idx[m])
                return differ(d, "%s.member_idx[%zu]: %d / %d", at, m, p->member_idx[m],
                              q->member_idx[m]);
    }
    return true;
}

static bool same_operation(diff *d, const el_ruleset *ra, const el_ruleset *rb, size_t i)
{
    const el_operation *a = &ra->ops[i], *b = &rb->ops[i];
    char path[64], at[128];
    snprintf(path, sizeof path, "ops[%zu]", i);
    if (!same_str(d, path, "name", a->name, b->name) ||
        !same_num(d, path, "kind", a->kind, b->kind) ||
        !same_str(d, path, "target", a->target, b->target) ||
        !same_str(d, path, "input_name", a->input_name, b->input_name) ||
        !same_num(d, path, "input", shape_at(ra, a->input), shape_at(rb, b->input)) ||
        !same_str(d, path, "failure_list", a->failure_list, b->failure_list) ||
        !same_strs(d, path, "name_hints", a->name_hints, a->nname_hints, b->name_hints,
                   b->nname_hints) ||
        !same_uints(d, path, "member_ids", a->member_ids, b->member_ids, a->input->nmembers) ||
        !same_num(d, path, "nremaps", (long long)a->nremaps, (long long)b->nremaps) ||
        !same_num(d, path, "ndetects", (long long)a->ndetects, (long long)b->ndetects))
        return false;
    for (size_t k = 0; k < a->nremaps; k++) {
        snprintf(at, sizeof at, "%s.remaps[%zu]", path, k);
        if (!same_str(d, at, "from", a->remaps[k].from, b->remaps[k].from) ||
            !same_str(d, at, "to", a->remaps[k].to, b->remaps[k].to))
            return false;
    }
    for (size_t k = 0; k < a->ndetects; k++) {
        const el_detect *p = &a->detects[k], *q = &b->detects[k];
        snprintf(at, sizeof at, "%s.detects[%zu]", path, k);
        if (!same_strs(d, at, "members", p->members, p->nmembers, q->members, q->nmembers) ||
            !same_num(d, at, "all", p->all, q->all) ||
            !same_num(d, at, "priority", p->priority, q->priority) ||
            !same_uints(d, at, "ids", p->ids, q->ids, p->nmembers) ||
            !same_num(d, at, "mask", (long long)p->mask, (long long)q->mask) ||
            !same_num(d, at, "narrow", p->narrow, q->narrow))
            return false;
    }
    return true;
}

/* Whether rulesets a and b hold the same data; when not, d names the first difference. */
static bool same_ruleset(diff *d, const el_ruleset *a, const el_ruleset *b)
{
    if (!same_str(d, "ruleset", "version", a->version, b->version) ||
        !same_num(d, "ruleset", "nrules", (long long)a->nrules, (long long)b->nrules) ||
        !same_num(d, "ruleset", "nshapes", (long long)a->nshapes, (long long)b->nshapes) ||
        !same_num(d, "ruleset", "nops", (long long)a->nops, (long long)b->nops) ||
        !same_num(d, "ruleset", "ntype_errors", (long long)a->ntype_errors,
                  (long long)b->ntype_errors))
        return false;
    for (size_t i = 0; i < a->nrules; i++)
        if (!same_rule(d, i, &a->rules[i], &b->rules[i]))
            return false;
    for (size_t i = 0; i < a->nshapes; i++)
        if (!same_shape(d, a, b, i))
            return false;
    for (size_t i = 0; i < a->nops; i++)
        if (!same_operation(d, a, b, i))
            return false;
    for (size_t i = 0; i < a->ntype_errors; i++) {
        const el_type_error *p = &a->type_errors[i], *q = &b->type_errors[i];
        char at[64];
        snprintf(at, sizeof at, "type_errors[%zu]", i);
        if (!same_num(d, at, "expected", p->expected, q->expected) ||
            !same_str(d, at, "actual", p->actual, q->actual) ||
            !same_str(d, at, "message", p->message, q->message))
            return false;
    }
    return same_strs(d, "top", "names", a->top.names, a->top.n, b->top.names, b->top.n) &&
           same_num(d, "top", "nslots", (long long)a->top.nslots, (long long)b->top.nslots) &&
           same_uints(d, "top", "slots", a->top.slots, b->top.slots, a->top.nslots);
}

/* The ruleset built at run time from the packs' embedded text, as --rules builds it. */
static el_ruleset *build_from_texts(el_pack_doc *docs)
{
    for (size_t i = 0; i < el_builtin_pack_count; i++) {
        docs[i].doc = json_loadb(el_builtin_packs[i].text, el_builtin_packs[i].len,
                                 JSON_REJECT_DUPLICATES, NULL);
        ck_assert_ptr_nonnull(docs[i].doc);
        docs[i].name = (char *)json_string_value(json_object_get(docs[i].doc, "name"));
        docs[i].source = (char *)el_builtin_packs[i].name;
        ck_assert_ptr_nonnull(docs[i].name);
    }
    ecrlint_error err = {0};
    el_ruleset *rs = el_ruleset_build(docs, el_builtin_pack_count, true, &err);
    ck_assert_msg(rs != NULL, "%s: %s", err.source, err.text);
    return rs;
}

/* Room for every built-in pack (build_from_texts fills one entry per pack). */
#define MAX_PACKS 32

static void free_texts(el_pack_doc *docs)
{
    for (size_t i = 0; i < el_builtin_pack_count; i++)
        json_decref(docs[i].doc);
}

START_TEST(static_equals_run_time)
{
    el_pack_doc docs[MAX_PACKS] = {{0}};
    ck_assert_uint_le(el_builtin_pack_count, MAX_PACKS);
    ck_assert_uint_ge(el_builtin_pack_count, 7);
    el_ruleset *rt = build_from_texts(docs);
    diff d = {{0}};
    ck_assert_msg(same_ruleset(&d, &el_builtin_ruleset, rt), "static / run time differ at %s",
                  d.where);
    /* not vacuous: the comparison covers every part of a ruleset */
    ck_assert_uint_gt(rt->nrules, 100);
    ck_assert_uint_gt(rt->nshapes, 30);
    ck_assert_uint_gt(rt->nops, 2);
    ck_assert_uint_gt(rt->ntype_errors, 0);
    el_ruleset_free(rt);
    free_texts(docs);
}
END_TEST

/* The comparison sees a change in any one field: a ruleset that differs from the built-in
 * one in one place is reported at that place. */
START_TEST(comparison_finds_a_difference)
{
    el_pack_doc docs[MAX_PACKS] = {{0}};
    ck_assert_uint_le(el_builtin_pack_count, MAX_PACKS);
    el_ruleset *rt = build_from_texts(docs);
    diff d = {{0}};
    /* the first operation with detect sets (the generated ones have none) */
    size_t k = 0;
    while (k < rt->nops && rt->ops[k].ndetects == 0)
        k++;
    ck_assert_uint_lt(k, rt->nops);
    char op_where[64];
    snprintf(op_where, sizeof op_where, "ops[%zu].detects[0].priority", k);
    struct {
        void *field;
        size_t size;
        const char *where;
    } changes[] = {
        {&rt->rules[7].breaks_spec, sizeof rt->rules[7].breaks_spec, "rules[7].breaks_spec"},
        {&rt->rules[3].after_validation, sizeof(bool), "rules[3].after_validation"},
        {&rt->shapes[5]->open, sizeof(bool), "shapes[5].open"},
        {&rt->shapes[2]->key_pos, 1, "shapes[2].key_pos"},
        {&rt->ops[k].detects[0].priority, sizeof(int), op_where},
        {&rt->top.slots[rt->top.nslots - 1], sizeof(unsigned), "top.slots["},
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        unsigned char *p = changes[i].field, saved = p[0];
        p[0] = (unsigned char)(saved ^ 1);
        ck_assert_msg(!same_ruleset(&d, &el_builtin_ruleset, rt), "%s: not seen", changes[i].where);
        ck_assert_msg(strncmp(d.where, changes[i].where, strlen(changes[i].where)) == 0,
                      "%s: reported at %s", changes[i].where, d.where);
        p[0] = saved;
    }
    /* a template part and a rule's string */
    char *title = (char *)rt->rules[9].info.title;
    title[0] ^= 0x20;
    ck_assert(!same_ruleset(&d, &el_builtin_ruleset, rt));
    ck_assert_msg(strncmp(d.where, "rules[9].info.title", 19) == 0, "%s", d.where);
    title[0] ^= 0x20;
    ck_assert_msg(same_ruleset(&d, &el_builtin_ruleset, rt), "%s", d.where);
    el_ruleset_free(rt);
    free_texts(docs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ruleset");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, static_equals_run_time);
    tcase_add_test(tc, comparison_finds_a_difference);
    suite_add_tcase(s, tc);
    return suite_run(s);
}

/* lifecycle.c - checking a lifecycle policy as ECR does (lifecycle/el_lifecycle.h).
 *
 * ECR answers a policy it refuses with
 *   InvalidParameterException: Invalid parameter at 'LifecyclePolicyText' failed to satisfy
 *   constraint: 'Lifecycle policy validation failure: <detail>'
 * where <detail> is either the schema validator's messages, each followed by a newline
 * (lc_schema.c), or, for a document the schema accepts, one sentence of the first rule between
 * rules it breaks. The sentences users have quoted are in the rule pack (rules/lifecycle.json);
 * for the constraints whose sentence nobody quoted, the pack says so and has ecrlint's own.
 *
 * Every finding also says in plain words what is wrong and where (rules[1].selection.countUnit),
 * and every violation is listed, not only the ones ECR's answer would show: the schema is
 * walked a second time without the validator's early stop, and the rules between rules are
 * checked on every rule that has the schema's form.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lifecycle/el_lifecycle.h"
#include "lifecycle/lc_schema.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_json.h"
#include "util/el_text.h"

/* Messages of the validator kept for ECR's answer and for findings: more than a policy within
 * the length limit can produce, few enough to bound a hostile one. */
#define LC_KEEP_MESSAGES 1000

typedef struct lc_ck {
    el_ctx *cx;
    const char *member; /* as ECR names it */
    const char *detail; /* the schema validator's answer, while its findings are reported */
    el_buf where;       /* scratch: a pointer in plain words */
    el_buf scratch;
} lc_ck;

/* ---- words ----------------------------------------------------------------------------------- */

/* "/rules/1/selection/countUnit" as "rules[1].selection.countUnit"; "" as "the policy". */
static const char *plain_where(el_buf *b, const char *pointer)
{
    el_buf_reset(b);
    el_buf_puts(b, "");
    if (!pointer[0]) {
        el_buf_puts(b, "the policy");
        return b->data;
    }
    const char *p = pointer;
    bool in_list = false;
    while (*p == '/') {
        p++;
        size_t n = strcspn(p, "/");
        bool index = n > 0 && strspn(p, "0123456789") >= n;
        if (index && in_list) {
            el_buf_putc(b, '[');
            el_buf_append(b, p, n);
            el_buf_putc(b, ']');
        } else {
            if (b->len)
                el_buf_putc(b, '.');
            for (size_t i = 0; i < n; i++) {
                if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
                    el_buf_putc(b, p[i + 1] == '0' ? '~' : '/');
                    i++;
                } else {
                    el_buf_putc(b, p[i]);
                }
            }
        }
        /* the lists of a policy: rules and the tag lists */
        in_list = (n == 5 && strncmp(p, "rules", 5) == 0) ||
                  (n == 14 && (strncmp(p, "tagPatternList", 14) == 0)) ||
                  (n == 13 && strncmp(p, "tagPrefixList", 13) == 0);
        p += n;
    }
    return b->data;
}

/* What a value of each role should be, for "set ..." */
static const char *role_value(lc_role role)
{
    switch (role) {
    case LC_RULES:
        return "a list of rules";
    case LC_RULE:
    case LC_SELECTION:
    case LC_ACTION:
    case LC_ROOT:
        return "an object";
    case LC_PRIORITY:
    case LC_COUNT_NUMBER:
        return "an integer of 1 or more";
    case LC_DESCRIPTION:
    case LC_TAG_ENTRY:
        return "a string";
    case LC_TAG_STATUS:
        return "\"tagged\", \"untagged\" or \"any\"";
    case LC_TAG_LIST:
        return "a list of strings";
    case LC_COUNT_TYPE:
        return "\"imageCountMoreThan\", \"sinceImagePushed\", \"sinceImagePulled\" or "
               "\"sinceImageTransitioned\"";
    case LC_COUNT_UNIT:
        return "\"days\"";
    case LC_STORAGE_CLASS:
        return "\"standard\" or \"archive\"";
    case LC_ACTION_TYPE:
        return "\"expire\" or \"transition\"";
    case LC_TARGET_STORAGE_CLASS:
        return "\"archive\"";
    case LC_NONE:
        break;
    }
    return "a value";
}

/* Is the role a member ECR requires (so that removing it is no fix)? */
static bool role_required(lc_role role)
{
    return role == LC_RULES || role == LC_PRIORITY || role == LC_SELECTION || role == LC_ACTION ||
           role == LC_TAG_STATUS || role == LC_COUNT_TYPE || role == LC_COUNT_NUMBER ||
           role == LC_ACTION_TYPE || role == LC_RULE || role == LC_TAG_ENTRY;
}

/* A JSON value as a finding quotes it: compact, long ones cut. */
static const char *value_text(el_buf *b, const json_t *v)
{
    el_buf_reset(b);
    el_buf_json_value(b, v);
    if (b->len > 80 && !b->failed) {
        size_t cut = 76;
        while (cut > 0 && ((unsigned char)b->data[cut] & 0xC0) == 0x80)
            cut--;
        b->len = cut;
        b->data[cut] = '\0';
        el_buf_puts(b, "...");
    }
    return b->failed ? "" : b->data;
}

/* "; did you mean \"x\"?" when s is one of names but for case or a letter or two; else "". */
static const char *did_you_mean(el_buf *b, const char *s, const char *const *names)
{
    el_buf_reset(b);
    el_buf_puts(b, "");
    if (!s)
        return b->data;
    const char *best = NULL;
    size_t best_d = 3;
    for (const char *const *n = names; *n; n++) {
        size_t d = strcasecmp(s, *n) == 0 ? 0 : el_edit_distance(s, *n, 2);
        if (d < best_d) {
            best_d = d;
            best = *n;
        }
    }
    if (best && strcmp(best, s) != 0)
        el_buf_printf(b, "; did you mean \"%s\"?", best);
    return b->failed ? "" : b->data;
}

static const char *const count_types[] = {"imageCountMoreThan", "sinceImagePushed",
                                          "sinceImagePulled", "sinceImageTransitioned", NULL};
static const char *const action_types[] = {"expire", "transition", NULL};

/* ---- reporting --------------------------------------------------------------------------------
 */

/* Reports rule at pointer with {member}, {where} and {detail}, and vars (may be NULL). */
static ecrlint_status rep(lc_ck *k, const char *rule, const char *pointer, el_locate_what what,
                          const el_var *vars)
{
    el_var all[12];
    size_t n = 0;
    all[n++] = (el_var){"member", k->member};
    all[n++] = (el_var){"where", plain_where(&k->where, pointer)};
    all[n++] = (el_var){"detail", k->detail ? k->detail : ""};
    for (const el_var *v = vars; v && v->name && n < 11; v++)
        all[n++] = *v;
    all[n] = (el_var){NULL, NULL};
    if (k->where.failed)
        return ECRLINT_ERR_NOMEM;
    return el_report(k->cx, rule, pointer, what, all);
}

/* A pointer to a member of the object at `pointer`. */
static const char *member_ptr(el_buf *b, const char *pointer, const char *name)
{
    el_buf_reset(b);
    el_buf_puts(b, pointer);
    el_pointer_append(b, name);
    return b->failed ? "" : b->data;
}

/* A null where a value of `role` belongs (ECR8311); fix: what to do instead. */
static ecrlint_status rep_null(lc_ck *k, const char *pointer, const char *fix)
{
    el_var v[] = {{"fix", fix}, {NULL, NULL}};
    return rep(k, "ECR8311", pointer, EL_LOCATE_VALUE, v);
}

static const char *null_fix(el_buf *b, lc_role role)
{
    el_buf_reset(b);
    el_buf_printf(b, "%s%s", role_required(role) ? "set " : "remove it or set ", role_value(role));
    return b->failed ? "" : b->data;
}

/* ---- the schema's findings ------------------------------------------------------------------- */

/* Why a selection matches neither of ECR's forms (countType and countUnit). */
static ecrlint_status explain_selection(lc_ck *k, const json_t *sel, const char *pointer)
{
    el_buf p, t, h;
    el_buf_init(&p);
    el_buf_init(&t);
    el_buf_init(&h);
    const json_t *ct = json_object_get(sel, "countType");
    const json_t *cu = json_object_get(sel, "countUnit");
    const char *cts = json_is_string(ct) ? json_string_value(ct) : NULL;
    bool known = false;
    for (const char *const *c = count_types; cts && *c && !known; c++)
        known = strcmp(cts, *c) == 0;
    bool images = known && strcmp(cts, "imageCountMoreThan") == 0;
    ecrlint_status st = ECRLINT_OK;
    char problem[512];
    if (!ct) {
        /* the required member's own finding says it */
        return ECRLINT_OK;
    } else if (json_is_null(ct)) {
        st = rep_null(k, member_ptr(&p, pointer, "countType"), null_fix(&t, LC_COUNT_TYPE));
    } else if (!known) {
        snprintf(problem, sizeof problem, "is %s; set %s%s", value_text(&t, ct),
                 role_value(LC_COUNT_TYPE), did_you_mean(&h, cts, count_types));
        el_var v[] = {{"problem", problem}, {NULL, NULL}};
        st = rep(k, "ECR8316", member_ptr(&p, pointer, "countType"), EL_LOCATE_VALUE, v);
    } else if (images && cu) {
        if (json_is_null(cu)) {
            st = rep_null(k, member_ptr(&p, pointer, "countUnit"),
                          "remove it (imageCountMoreThan counts images, not days)");
        } else {
            snprintf(problem, sizeof problem,
                     "goes only with the countTypes that count days; remove it "
                     "(imageCountMoreThan counts images)");
            el_var v[] = {{"problem", problem}, {NULL, NULL}};
            st = rep(k, "ECR8316", member_ptr(&p, pointer, "countUnit"), EL_LOCATE_KEY, v);
        }
    } else if (!images && !cu) {
        snprintf(problem, sizeof problem, "is %s, which needs \"countUnit\": \"days\"", cts);
        el_var v[] = {{"problem", problem}, {NULL, NULL}};
        st = rep(k, "ECR8316", member_ptr(&p, pointer, "countType"), EL_LOCATE_VALUE, v);
    } else if (!images && json_is_null(cu)) {
        char fix[160];
        snprintf(fix, sizeof fix, "set \"days\" (%s counts days)", cts);
        st = rep_null(k, member_ptr(&p, pointer, "countUnit"), fix);
    } else if (!images) {
        snprintf(problem, sizeof problem, "is %s; the only unit is \"days\"", value_text(&t, cu));
        el_var v[] = {{"problem", problem}, {NULL, NULL}};
        st = rep(k, "ECR8316", member_ptr(&p, pointer, "countUnit"), EL_LOCATE_VALUE, v);
    } else {
        el_var v[] = {{"problem", "matches none of ECR's forms of a selection"}, {NULL, NULL}};
        st = rep(k, "ECR8316", pointer, EL_LOCATE_VALUE, v);
    }
    if (p.failed || t.failed || h.failed)
        st = ECRLINT_ERR_NOMEM;
    el_buf_free(&p);
    el_buf_free(&t);
    el_buf_free(&h);
    return st;
}

/* Why an action matches neither expire nor transition. */
static ecrlint_status explain_action(lc_ck *k, const json_t *act, const char *pointer)
{
    el_buf p, t, h;
    el_buf_init(&p);
    el_buf_init(&t);
    el_buf_init(&h);
    const json_t *ty = json_object_get(act, "type");
    const json_t *tsc = json_object_get(act, "targetStorageClass");
    const char *tys = json_is_string(ty) ? json_string_value(ty) : NULL;
    bool expire = tys && strcmp(tys, "expire") == 0;
    bool transition = tys && strcmp(tys, "transition") == 0;
    char problem[512];
    ecrlint_status st = ECRLINT_OK;
    bool said = true; /* one of the cases below reported */
    if (!ty) {
        el_var v[] = {{"problem", "has no type; set \"type\": \"expire\" or \"transition\""},
                      {NULL, NULL}};
        st = rep(k, "ECR8317", pointer, EL_LOCATE_VALUE, v);
    } else if (json_is_null(ty)) {
        st = rep_null(k, member_ptr(&p, pointer, "type"), null_fix(&t, LC_ACTION_TYPE));
    } else if (!expire && !transition) {
        snprintf(problem, sizeof problem, "is %s; set \"expire\" or \"transition\"%s",
                 value_text(&t, ty), did_you_mean(&h, tys, action_types));
        el_var v[] = {{"problem", problem}, {NULL, NULL}};
        st = rep(k, "ECR8317", member_ptr(&p, pointer, "type"), EL_LOCATE_VALUE, v);
    } else if (expire && tsc) {
        if (json_is_null(tsc)) {
            st = rep_null(k, member_ptr(&p, pointer, "targetStorageClass"),
                          "remove it (an expire action takes no targetStorageClass)");
        } else {
            el_var v[] = {{"problem", "goes only with type \"transition\"; "
                                      "remove it"},
                          {NULL, NULL}};
            st = rep(k, "ECR8317", member_ptr(&p, pointer, "targetStorageClass"), EL_LOCATE_KEY, v);
        }
    } else if (transition && !tsc) {
        el_var v[] = {
            {"problem", "is \"transition\", which needs \"targetStorageClass\": \"archive\""},
            {NULL, NULL}};
        st = rep(k, "ECR8317", member_ptr(&p, pointer, "type"), EL_LOCATE_VALUE, v);
    } else if (transition && json_is_null(tsc)) {
        st = rep_null(k, member_ptr(&p, pointer, "targetStorageClass"), "set \"archive\"");
    } else if (transition &&
               !(json_is_string(tsc) && strcmp(json_string_value(tsc), "archive") == 0)) {
        snprintf(problem, sizeof problem, "is %s; the only target is \"archive\"",
                 value_text(&t, tsc));
        el_var v[] = {{"problem", problem}, {NULL, NULL}};
        st = rep(k, "ECR8317", member_ptr(&p, pointer, "targetStorageClass"), EL_LOCATE_VALUE, v);
    } else {
        said = false;
    }
    /* members neither form has */
    const char *key;
    const json_t *val;
    bool other = false;
    EL_OBJECT_EACH(act, it, key, val)
    {
        (void)val;
        if (st || strcmp(key, "type") == 0 || strcmp(key, "targetStorageClass") == 0)
            continue;
        other = true;
        snprintf(problem, sizeof problem, "is not a member ECR knows%s",
                 did_you_mean(&h, key, (const char *const[]){"type", "targetStorageClass", NULL}));
        el_var v[] = {{"problem", problem}, {NULL, NULL}};
        st = rep(k, "ECR8317", member_ptr(&p, pointer, key), EL_LOCATE_KEY, v);
    }
    if (!st && !other && !said) {
        el_var v[] = {{"problem", "matches neither form of an action"}, {NULL, NULL}};
        st = rep(k, "ECR8317", pointer, EL_LOCATE_VALUE, v);
    }
    if (p.failed || t.failed || h.failed)
        st = ECRLINT_ERR_NOMEM;
    el_buf_free(&p);
    el_buf_free(&t);
    el_buf_free(&h);
    return st;
}

/* One failure of the schema, in plain words, under its rule. */
static ecrlint_status schema_finding(lc_ck *k, const lc_msg *m)
{
    el_buf p, t, h;
    el_buf_init(&p);
    el_buf_init(&t);
    el_buf_init(&h);
    lc_role role = m->schema->role;
    ecrlint_status st = ECRLINT_OK;
    char num[EL_INT_TEXT];
    switch (m->kw) {
    case LC_KW_TYPE:
    case LC_KW_ENUM:
        if (json_is_null(m->instance)) {
            st = rep_null(k, m->pointer, null_fix(&t, role));
        } else if (m->kw == LC_KW_TYPE) {
            const char *found = lc_type_name(m->instance);
            el_var v[] = {{"found", found}, {"expected", role_value(role)}, {NULL, NULL}};
            st = rep(k, "ECR8310", m->pointer, EL_LOCATE_VALUE, v);
        } else {
            el_var v[] = {
                {"value", value_text(&t, m->instance)},
                {"expected", role_value(role)},
                {"hint", did_you_mean(&h, json_string_value(m->instance), m->schema->enums)},
                {NULL, NULL}};
            st = rep(k, "ECR8314", m->pointer, EL_LOCATE_VALUE, v);
        }
        break;
    case LC_KW_MINIMUM: {
        el_var v[] = {{"value", value_text(&t, m->instance)},
                      {"limit", el_fmt_int(num, m->schema->minimum)},
                      {NULL, NULL}};
        st = rep(k, "ECR8315", m->pointer, EL_LOCATE_VALUE, v);
        break;
    }
    case LC_KW_REQUIRED: {
        /* the names, from the validator's list: ["a","b"] */
        el_buf_reset(&t);
        el_buf_puts(&t, "");
        for (const char *const *q = m->schema->required; *q; q++)
            if (!json_object_get(m->instance, *q))
                el_buf_printf(&t, "%s%s", t.len ? ", " : "", *q);
        el_var v[] = {{"missing", t.failed ? "" : t.data}, {NULL, NULL}};
        st = rep(k, "ECR8312", m->pointer, EL_LOCATE_VALUE, v);
        break;
    }
    case LC_KW_ADDITIONAL: {
        /* each member the schema does not allow, at its key */
        const char *names[16];
        size_t nn = 0;
        for (const lc_prop *q = m->schema->props; q && q->name && nn < 15; q++)
            names[nn++] = q->name;
        names[nn] = NULL;
        const char *key;
        const json_t *val;
        EL_OBJECT_EACH(m->instance, it, key, val)
        {
            (void)val;
            bool allowed = false;
            for (size_t i = 0; i < nn && !allowed; i++)
                allowed = strcmp(names[i], key) == 0;
            if (allowed || st)
                continue;
            el_buf_reset(&t);
            el_buf_json_string(&t, key, strlen(key));
            el_var v[] = {{"name", t.failed ? "" : t.data},
                          {"hint", did_you_mean(&h, key, names)},
                          {NULL, NULL}};
            st = rep(k, "ECR8313", member_ptr(&p, m->pointer, key), EL_LOCATE_KEY, v);
        }
        break;
    }
    case LC_KW_ONE_OF:
        st = role == LC_SELECTION ? explain_selection(k, m->instance, m->pointer)
                                  : explain_action(k, m->instance, m->pointer);
        break;
    case LC_KW_NOT:
        break; /* only inside a oneOf's forms, whose failure is explained above */
    }
    if (!st && (p.failed || t.failed || h.failed))
        st = ECRLINT_ERR_NOMEM;
    el_buf_free(&p);
    el_buf_free(&t);
    el_buf_free(&h);
    return st;
}

/* The schema: ECR's answer from the validator's walk, findings from a full one. Returns
 * whether the document passed. */
static ecrlint_status check_schema(lc_ck *k, const json_t *root, bool *passed)
{
    /* most policies pass: a walk that writes no message says so, in any order of members */
    if (lc_conforms(&lc_policy_schema, root)) {
        *passed = true;
        return ECRLINT_OK;
    }
    lc_report ecr = {.keep = LC_KEEP_MESSAGES};
    if (!lc_validate(&lc_policy_schema, root, "", false, &ecr)) {
        lc_report_free(&ecr);
        return ECRLINT_ERR_NOMEM;
    }
    *passed = ecr.errors == 0;
    if (*passed) {
        lc_report_free(&ecr);
        return ECRLINT_OK;
    }
    /* the messages, one a line, each ending with a newline */
    el_buf detail;
    el_buf_init(&detail);
    for (size_t i = 0; i < ecr.n; i++) {
        el_buf_puts(&detail, ecr.msgs[i].text);
        el_buf_putc(&detail, '\n');
    }
    lc_report_free(&ecr);
    lc_report all = {.keep = LC_KEEP_MESSAGES};
    ecrlint_status st = lc_validate(&lc_policy_schema, root, "", true, &all) && !detail.failed
                            ? ECRLINT_OK
                            : ECRLINT_ERR_NOMEM;
    k->detail = detail.data;
    for (size_t i = 0; i < all.n && st == ECRLINT_OK; i++)
        st = schema_finding(k, &all.msgs[i]);
    k->detail = NULL;
    lc_report_free(&all);
    el_buf_free(&detail);
    return st;
}

/* ---- the rules between rules ----------------------------------------------------------------- */

static const char *rule_ptr(el_buf *b, size_t index, const char *rest)
{
    el_buf_reset(b);
    el_buf_puts(b, "/rules/");
    el_buf_put_uint(b, index);
    el_buf_puts(b, rest);
    return b->failed ? "" : b->data;
}

static const char *class_name(el_lc_storage_class c)
{
    return c == EL_LC_ARCHIVE ? "archive" : "standard";
}

static size_t stars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '*';
    return n;
}

/* The checks of one rule, in the order ECR's answer takes them (inferred). */
static ecrlint_status check_rule(lc_ck *k, const el_lc_rule *r)
{
    el_buf p;
    el_buf_init(&p);
    ecrlint_status st = ECRLINT_OK;
    char num[EL_INT_TEXT];
    bool has_prefix = r->tag_prefixes != NULL, has_pattern = r->tag_patterns != NULL;
    const char *status = r->tag_status == EL_LC_TAGGED     ? "tagged"
                         : r->tag_status == EL_LC_UNTAGGED ? "untagged"
                                                           : "any";
    if (r->tag_status == EL_LC_TAGGED && r->ntag_prefixes == 0 && r->ntag_patterns == 0) {
        el_var v[] = {{"empty", has_prefix || has_pattern ? " (an empty list counts as none)" : ""},
                      {NULL, NULL}};
        st = rep(k, "ECR8101", rule_ptr(&p, r->index, "/selection/tagStatus"), EL_LOCATE_VALUE, v);
    }
    if (!st && has_prefix && has_pattern)
        st = rep(k, "ECR8102", rule_ptr(&p, r->index, "/selection/tagPatternList"), EL_LOCATE_KEY,
                 NULL);
    if (!st && r->tag_status != EL_LC_TAGGED && (has_prefix || has_pattern)) {
        const char *list = has_prefix ? "tagPrefixList" : "tagPatternList";
        el_buf_reset(&p);
        el_var v[] = {{"list", list}, {"status", status}, {NULL, NULL}};
        st = rep(k, "ECR8103",
                 rule_ptr(&p, r->index,
                          has_prefix ? "/selection/tagPrefixList" : "/selection/tagPatternList"),
                 EL_LOCATE_KEY, v);
    }
    for (size_t i = 0; !st && i < r->ntag_patterns; i++) {
        size_t n = stars(r->tag_patterns[i]);
        if (n <= 4)
            continue;
        rule_ptr(&p, r->index, "/selection/tagPatternList/");
        el_buf_put_uint(&p, i);
        el_var v[] = {{"count", el_fmt_int(num, (long long)n)}, {NULL, NULL}};
        st = p.failed ? ECRLINT_ERR_NOMEM : rep(k, "ECR8104", p.data, EL_LOCATE_VALUE, v);
    }
    bool since_transitioned = r->count_type == EL_LC_SINCE_IMAGE_TRANSITIONED;
    if (!st && (r->storage_class == EL_LC_ARCHIVE) != since_transitioned) {
        el_var v[] = {{"problem", since_transitioned
                                      ? "is sinceImageTransitioned, which counts days in the "
                                        "archive: it needs \"storageClass\": \"archive\""
                                      : "is \"archive\", which goes only with countType "
                                        "sinceImageTransitioned"},
                      {NULL, NULL}};
        st = rep(k, "ECR8108",
                 rule_ptr(&p, r->index,
                          since_transitioned ? "/selection/countType" : "/selection/storageClass"),
                 EL_LOCATE_VALUE, v);
    }
    if (!st && r->count_type == EL_LC_SINCE_IMAGE_PULLED && r->action != EL_LC_TRANSITION)
        st = rep(k, "ECR8109", rule_ptr(&p, r->index, "/action/type"), EL_LOCATE_VALUE, NULL);
    if (!st && since_transitioned && r->action != EL_LC_EXPIRE)
        st = rep(k, "ECR8110", rule_ptr(&p, r->index, "/action/type"), EL_LOCATE_VALUE, NULL);
    /* lints */
    if (!st && since_transitioned && r->count_number < 90) {
        el_var v[] = {{"days", el_fmt_int(num, r->count_number)}, {NULL, NULL}};
        st =
            rep(k, "ECR8201", rule_ptr(&p, r->index, "/selection/countNumber"), EL_LOCATE_VALUE, v);
    }
    if (!st && r->action == EL_LC_TRANSITION && r->count_type == EL_LC_IMAGE_COUNT_MORE_THAN)
        st = rep(k, "ECR8203", rule_ptr(&p, r->index, "/selection/countType"), EL_LOCATE_VALUE,
                 NULL);
    if (!st && p.failed)
        st = ECRLINT_ERR_NOMEM;
    el_buf_free(&p);
    return st;
}

/* Duplicate priorities, one untagged rule and the any rule last per storage class. */
static ecrlint_status check_between(lc_ck *k, const el_lc_policy *pol)
{
    el_buf p;
    el_buf_init(&p);
    ecrlint_status st = ECRLINT_OK;
    char num[EL_INT_TEXT], num2[EL_INT_TEXT];
    /* unique priorities: neighbours in priority order */
    for (size_t i = 1; !st && i < pol->nrules; i++) {
        const el_lc_rule *a = &pol->rules[pol->by_priority[i - 1]];
        const el_lc_rule *b = &pol->rules[pol->by_priority[i]];
        if (a->priority != b->priority)
            continue;
        /* the first rule with this priority, in document order */
        size_t first = i - 1;
        while (first > 0 && pol->rules[pol->by_priority[first - 1]].priority == b->priority)
            first--;
        el_var v[] = {
            {"priority", el_fmt_int(num, b->priority)},
            {"first", el_fmt_int(num2, (long long)pol->rules[pol->by_priority[first]].index)},
            {NULL, NULL}};
        st = rep(k, "ECR8105", rule_ptr(&p, b->index, "/rulePriority"), EL_LOCATE_VALUE, v);
    }
    /* per storage class: one untagged rule; the any rule has the highest priority number */
    for (int c = EL_LC_STANDARD; !st && c <= EL_LC_ARCHIVE; c++) {
        const el_lc_rule *untagged = NULL, *last = NULL;
        for (size_t i = 0; i < pol->nrules; i++) {
            const el_lc_rule *r = &pol->rules[pol->by_priority[i]];
            if ((int)r->storage_class == c)
                last = r; /* priority order: the last one has the highest number */
        }
        for (size_t i = 0; !st && i < pol->nrules; i++) {
            const el_lc_rule *r = &pol->rules[i];
            if ((int)r->storage_class != c || r->tag_status != EL_LC_UNTAGGED)
                continue;
            if (!untagged) {
                untagged = r;
                continue;
            }
            el_var v[] = {{"class", class_name(r->storage_class)},
                          {"first", el_fmt_int(num, (long long)untagged->index)},
                          {NULL, NULL}};
            st = rep(k, "ECR8106", rule_ptr(&p, r->index, "/selection/tagStatus"), EL_LOCATE_VALUE,
                     v);
        }
        for (size_t i = 0; !st && last && i < pol->nrules; i++) {
            const el_lc_rule *r = &pol->rules[i];
            if ((int)r->storage_class != c || r->tag_status != EL_LC_ANY || r == last ||
                r->priority >= last->priority)
                continue;
            char lp[EL_INT_TEXT];
            el_var v[] = {{"class", class_name(r->storage_class)},
                          {"priority", el_fmt_int(num, r->priority)},
                          {"last", el_fmt_int(num2, (long long)last->index)},
                          {"lastPriority", el_fmt_int(lp, last->priority)},
                          {NULL, NULL}};
            st = rep(k, "ECR8107", rule_ptr(&p, r->index, "/rulePriority"), EL_LOCATE_VALUE, v);
        }
    }
    if (!st && p.failed)
        st = ECRLINT_ERR_NOMEM;
    el_buf_free(&p);
    return st;
}

/* Rules of one storage class with the same tag list (the user guide: "the set of all rules
 * selecting a storage class must contain a unique set of prefixes"; its exact meaning is not
 * documented, so this is a warning). Sorted keys, so that 100,000 rules cost no more than a
 * sort. */
typedef struct list_key {
    char *text;
    size_t rule; /* index into the policy's rules */
} list_key;

static int cmp_list_key(const void *a, const void *b)
{
    const list_key *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static ecrlint_status check_same_lists(lc_ck *k, const el_lc_policy *pol)
{
    size_t n = 0;
    for (size_t i = 0; i < pol->nrules; i++)
        n += pol->rules[i].tag_status == EL_LC_TAGGED &&
             (pol->rules[i].ntag_prefixes || pol->rules[i].ntag_patterns);
    if (n < 2)
        return ECRLINT_OK;
    list_key *keys = el_calloc(n, sizeof *keys);
    if (!keys)
        return ECRLINT_ERR_NOMEM;
    ecrlint_status st = ECRLINT_OK;
    size_t m = 0;
    for (size_t i = 0; i < pol->nrules && !st; i++) {
        const el_lc_rule *r = &pol->rules[i];
        if (r->tag_status != EL_LC_TAGGED || !(r->ntag_prefixes || r->ntag_patterns))
            continue;
        bool prefix = r->ntag_prefixes > 0;
        size_t ne = prefix ? r->ntag_prefixes : r->ntag_patterns;
        const char **sorted = el_malloc(ne * sizeof *sorted);
        if (!sorted) {
            st = ECRLINT_ERR_NOMEM;
            break;
        }
        memcpy(sorted, prefix ? r->tag_prefixes : r->tag_patterns, ne * sizeof *sorted);
        el_sort(sorted, ne, sizeof *sorted, cmp_str);
        el_buf b;
        el_buf_init(&b);
        el_buf_printf(&b, "%s|%s", class_name(r->storage_class), prefix ? "prefix" : "pattern");
        for (size_t j = 0; j < ne; j++) {
            el_buf_putc(&b, '\x1f');
            el_buf_puts(&b, sorted[j]);
        }
        el_free(sorted);
        keys[m].text = el_buf_take(&b);
        keys[m].rule = i;
        if (!keys[m].text) {
            st = ECRLINT_ERR_NOMEM;
            break;
        }
        m++;
    }
    if (!st)
        el_sort(keys, m, sizeof *keys, cmp_list_key);
    el_buf p;
    el_buf_init(&p);
    char num[EL_INT_TEXT];
    for (size_t i = 1; i < m && !st; i++) {
        if (strcmp(keys[i].text, keys[i - 1].text) != 0)
            continue;
        size_t first = i - 1;
        while (first > 0 && strcmp(keys[first - 1].text, keys[i].text) == 0)
            first--;
        const el_lc_rule *r = &pol->rules[keys[i].rule];
        el_var v[] = {{"first", el_fmt_int(num, (long long)pol->rules[keys[first].rule].index)},
                      {"class", class_name(r->storage_class)},
                      {NULL, NULL}};
        st = rep(
            k, "ECR8202",
            rule_ptr(&p, r->index,
                     r->ntag_prefixes ? "/selection/tagPrefixList" : "/selection/tagPatternList"),
            EL_LOCATE_VALUE, v);
    }
    if (!st && p.failed)
        st = ECRLINT_ERR_NOMEM;
    el_buf_free(&p);
    for (size_t i = 0; i < m; i++)
        el_free(keys[i].text);
    el_free(keys);
    return st;
}

/* ---- the check --------------------------------------------------------------------------------
 */

bool el_lifecycle_sniff(const json_t *root)
{
    const json_t *rules = json_is_object(root) ? json_object_get(root, "rules") : NULL;
    if (!json_is_array(rules))
        return false;
    size_t i;
    const json_t *r;
    json_array_foreach(rules, i, r)
    {
        if (!json_is_object(r))
            continue;
        if (json_object_get(r, "rulePriority") ||
            (json_object_get(r, "selection") && json_object_get(r, "action")))
            return true;
    }
    return false;
}

ecrlint_status el_lifecycle_check(el_ctx *cx, const el_lifecycle_input *in)
{
    lc_ck k = {.cx = cx, .member = in->member ? in->member : "LifecyclePolicyText"};
    el_buf_init(&k.where);
    el_buf_init(&k.scratch);
    ecrlint_status st = ECRLINT_OK;
    char num[EL_INT_TEXT], lim[EL_INT_TEXT];

    /* The length, for a file; a request's member has the model's length checks. */
    if (!in->embedded) {
        size_t chars = el_utf8_length(in->bytes ? in->bytes : "", in->len);
        if (chars > EL_LC_TEXT_MAX || chars < EL_LC_TEXT_MIN) {
            el_var v[] = {{"length", el_fmt_int(num, (long long)chars)},
                          {"limit", el_fmt_int(lim, chars > EL_LC_TEXT_MAX ? EL_LC_TEXT_MAX
                                                                           : EL_LC_TEXT_MIN)},
                          {NULL, NULL}};
            st = rep(&k, chars > EL_LC_TEXT_MAX ? "ECR8303" : "ECR8304", "", EL_LOCATE_VALUE, v);
        }
    }
    /* Nesting deeper than ECR's JSON reader takes: it stops there as at a syntax error (when
     * one comes first, that is what it stops at), before any schema. The same for a file and
     * for a request member, whatever depth the text was parsed to here. A file that is not
     * JSON has its ECR0001 at the syntax error already: the text beyond is not scanned. */
    if (!st && (in->root || in->embedded)) {
        size_t stop = in->len;
        if (!in->root)
            stop = in->error && in->error->position > 0 && (size_t)in->error->position <= in->len
                       ? (size_t)in->error->position - 1
                       : 0;
        size_t at = el_json_depth_past(in->bytes ? in->bytes : "", stop, EL_LC_DEPTH_MAX);
        if (at < stop) {
            char why[96];
            snprintf(why, sizeof why, " (nested deeper than the %d levels ECR's JSON reader takes)",
                     EL_LC_DEPTH_MAX);
            el_var v[] = {
                {"member", k.member}, {"where", "the policy"}, {"why", why}, {NULL, NULL}};
            st = el_report_offset(cx, "ECR8301", at, v);
            goto out;
        }
    }
    if (!st && !in->root) {
        /* In a request member: at the character where the text stops being JSON. A file's
         * ECR0001 is there already (the input layer's); this finding gives ECR's answer. */
        char why[200] = "";
        if (in->error && in->error->text[0])
            snprintf(why, sizeof why, " (%s)", in->error->text);
        el_var v[] = {{"member", k.member}, {"where", "the policy"}, {"why", why}, {NULL, NULL}};
        /* jansson's position counts the bytes read, the offending one included */
        if (in->embedded && in->error && in->error->position > 0)
            st = el_report_offset(
                cx, "ECR8301",
                (size_t)in->error->position > in->len ? in->len : (size_t)in->error->position - 1,
                v);
        else
            st = rep(&k, "ECR8301", "", EL_LOCATE_VALUE, v + 2);
        goto out;
    }
    if (!st && !json_is_object(in->root)) {
        const char *type = el_json_type_name(in->root);
        el_var v[] = {{"type", type}, {NULL, NULL}};
        st = rep(&k, "ECR8302", "", EL_LOCATE_VALUE, v);
        goto out;
    }
    if (st)
        goto out;

    bool passed = false;
    st = check_schema(&k, in->root, &passed);
    if (st)
        goto out;
    const json_t *rules = json_object_get(in->root, "rules");
    /* members beside "rules": whether ECR's schema allows them is not known */
    const char *key;
    const json_t *val;
    EL_OBJECT_EACH(in->root, it, key, val)
    {
        (void)val;
        if (st || strcmp(key, "rules") == 0)
            continue;
        el_buf_reset(&k.scratch);
        el_buf_json_string(&k.scratch, key, strlen(key));
        el_var v[] = {{"name", k.scratch.failed ? "" : k.scratch.data}, {NULL, NULL}};
        st = rep(&k, "ECR8204", member_ptr(&k.scratch, "", key), EL_LOCATE_KEY, v);
    }
    if (st || !json_is_array(rules))
        goto out;
    if (json_array_size(rules) == 0) {
        st = rep(&k, "ECR8112", "/rules", EL_LOCATE_VALUE, NULL);
        goto out;
    }
    /* The rules between rules: ECR reaches them only when the schema passed (the exception is
     * then theirs), but every rule of the schema's form is checked, for the findings. */
    if (json_array_size(rules) > EL_LC_RULES_MAX) {
        el_var v[] = {{"count", el_fmt_int(num, (long long)json_array_size(rules))},
                      {"limit", el_fmt_int(lim, EL_LC_RULES_MAX)},
                      {NULL, NULL}};
        st = rep(&k, "ECR8111", "/rules", EL_LOCATE_VALUE, v);
    }
    el_lc_policy pol;
    if (!st)
        st = lc_policy_read(in->root, passed, &pol);
    if (st)
        goto out;
    for (size_t i = 0; i < pol.nrules && !st; i++)
        st = check_rule(&k, &pol.rules[i]);
    if (!st)
        st = check_between(&k, &pol);
    if (!st)
        st = check_same_lists(&k, &pol);
    el_lc_policy_free(&pol);
out:
    if (!st && (k.where.failed || k.scratch.failed))
        st = ECRLINT_ERR_NOMEM;
    el_buf_free(&k.where);
    el_buf_free(&k.scratch);
    if (st)
        cx->status = st;
    return st ? st : cx->status;
}

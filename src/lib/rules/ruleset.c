/* ruleset.c - builds a ruleset from rule pack documents (the reference for rules/README.md).
 *
 * Loading is strict: unknown keys, wrong types and dangling references are errors that name
 * the pack and the key path ("shapes.RepositoryName.checks[2].pattern"), so that a typo in a
 * pack fails loudly instead of silently disabling a check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"

typedef struct loader {
    const el_pack_doc *pack;
    ecrlint_error *err;
    el_ruleset *rs;
    char path[512];
    size_t cap_rules, cap_shapes, cap_ops, cap_te;
} loader;

#define FAIL(ld, ...)                                                                             \
    do {                                                                                          \
        char msg_[400];                                                                           \
        snprintf(msg_, sizeof msg_, __VA_ARGS__);                                                 \
        el_error_set((ld)->err, ECRLINT_ERR_RULES, (ld)->pack->source, 0, 0, "%s: %s",            \
                     (ld)->path[0] ? (ld)->path : "(top level)", msg_);                           \
        return false;                                                                             \
    } while (0)

#define NOMEM(ld)                                                                                 \
    do {                                                                                          \
        el_error_set((ld)->err, ECRLINT_ERR_NOMEM, (ld)->pack->source, 0, 0, "out of memory");    \
        return false;                                                                             \
    } while (0)

/* Path handling: push appends ".key" or "[i]" and returns the previous length to pop to. */
static size_t push_key(loader *ld, const char *key)
{
    size_t n = strlen(ld->path);
    snprintf(ld->path + n, sizeof ld->path - n, "%s%s", n ? "." : "", key);
    return n;
}

static size_t push_index(loader *ld, size_t i)
{
    size_t n = strlen(ld->path);
    snprintf(ld->path + n, sizeof ld->path - n, "[%zu]", i);
    return n;
}

static void pop(loader *ld, size_t n)
{
    ld->path[n] = '\0';
}

/* Fails on any key of `obj` not in the NULL-terminated `allowed` list. */
static bool only_keys(loader *ld, const json_t *obj, const char *const *allowed)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, key) == 0)
                ok = true;
        if (!ok) {
            size_t mark = push_key(ld, key);
            (void)mark;
            FAIL(ld, "unknown key");
        }
    }
    return true;
}

/* Reads an optional string member; *out stays NULL when absent. */
static bool get_string(loader *ld, const json_t *obj, const char *key, bool required, char **out)
{
    *out = NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required) {
            size_t m = push_key(ld, key);
            (void)m;
            FAIL(ld, "required string is missing");
        }
        return true;
    }
    if (!json_is_string(v)) {
        size_t m = push_key(ld, key);
        (void)m;
        FAIL(ld, "must be a string");
    }
    *out = el_strndup(json_string_value(v), json_string_length(v));
    if (!*out)
        NOMEM(ld);
    return true;
}

static bool get_string_list(loader *ld, const json_t *obj, const char *key, char ***out,
                            size_t *n)
{
    *out = NULL;
    *n = 0;
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return true;
    size_t mark = push_key(ld, key);
    if (!json_is_array(v))
        FAIL(ld, "must be an array of strings");
    size_t len = json_array_size(v);
    *out = el_calloc(len ? len : 1, sizeof **out);
    if (!*out)
        NOMEM(ld);
    for (size_t i = 0; i < len; i++) {
        const json_t *s = json_array_get(v, i);
        if (!json_is_string(s)) {
            push_index(ld, i);
            FAIL(ld, "must be a string");
        }
        (*out)[i] = el_strdup(json_string_value(s));
        if (!(*out)[i])
            NOMEM(ld);
        *n = i + 1;
    }
    pop(ld, mark);
    return true;
}

static void free_string_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        el_free(list[i]);
    el_free(list);
}

/* ---- rules ---------------------------------------------------------------------------------- */

static bool valid_rule_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 32)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

bool el_tpl_compile(const char *tpl, el_tpl *out)
{
    out->parts = NULL;
    out->n = 0;
    if (!tpl || !*tpl)
        return true;
    size_t cap = 1; /* parts: at most one per '{', and one more for each literal run */
    for (const char *q = strchr(tpl, '{'); q; q = strchr(q + 1, '{'))
        cap += 2;
    el_tpl_part *parts = el_malloc(cap * sizeof *parts);
    if (!parts)
        return false;
    size_t n = 0;
    const char *p = tpl;
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open + 1, '}') : NULL;
        if (!close) {
            parts[n++] = (el_tpl_part){p, strlen(p), false};
            break;
        }
        if (open > p)
            parts[n++] = (el_tpl_part){p, (size_t)(open - p), false};
        parts[n++] = (el_tpl_part){open, (size_t)(close - open + 1), true};
        p = close + 1;
    }
    out->parts = parts;
    out->n = n;
    return true;
}

void el_tpl_free(el_tpl *t)
{
    el_free((void *)t->parts);
    t->parts = NULL;
    t->n = 0;
}

static void rule_clear(el_rule *r)
{
    el_tpl_free(&r->message_tpl);
    el_tpl_free(&r->exception_tpl);
    el_tpl_free(&r->reason_tpl);
    ecrlint_rule_info *i = &r->info;
    char *strs[] = {(char *)i->id, (char *)i->scope, (char *)i->title, (char *)i->help,
                    (char *)i->source, (char *)i->confidence, (char *)i->exception,
                    (char *)i->exception_message, (char *)i->failure, (char *)i->failure_reason,
                    (char *)i->bad_example, (char *)i->good_example, (char *)i->pack, r->message,
                    (char *)i->example_options};
    for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
        el_free(strs[k]);
    free_string_list(r->vars, r->nvars);
    memset(r, 0, sizeof *r);
}

/* The keys of a rule's "examples" other than bad and good say how the examples are checked
 * (rules/README.md, "Examples"). They are checked for type here and kept, in pack order, as one
 * compact JSON object; *out stays NULL when there are none. */
static bool load_example_options(loader *ld, const json_t *exm, char **out)
{
    static const struct {
        const char *key;
        json_type type;
    } opts[] = {{"operation", JSON_STRING},  {"mediaType", JSON_STRING}, {"input", JSON_STRING},
                {"accept", JSON_ARRAY},      {"maxFileSize", JSON_INTEGER},
                {"maxDepth", JSON_INTEGER},  {"pack", JSON_OBJECT},      {"also", JSON_ARRAY}};
    *out = NULL;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)exm, key, v) {
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
            if (strcmp(key, opts[k].key) != 0)
                continue;
            size_t m = push_key(ld, key);
            (void)m;
            if (json_typeof(v) != opts[k].type ||
                (json_is_integer(v) && json_integer_value(v) <= 0))
                FAIL(ld, "must be %s", opts[k].type == JSON_STRING    ? "a string"
                                       : opts[k].type == JSON_OBJECT ? "an object (a rule pack)"
                                       : opts[k].type == JSON_ARRAY  ? "an array of strings"
                                                                     : "a positive integer");
            for (size_t i = 0; json_is_array(v) && i < json_array_size(v); i++)
                if (!json_is_string(json_array_get(v, i)))
                    FAIL(ld, "must be an array of strings");
            if (strcmp(key, "input") == 0 && strcmp(json_string_value(v), "json") != 0 &&
                strcmp(json_string_value(v), "http") != 0 && strcmp(json_string_value(v), "path") != 0)
                FAIL(ld, "must be \"json\", \"http\" or \"path\"");
            pop(ld, m);
        }
    }
    json_t *o = json_deep_copy(exm);
    if (!o)
        NOMEM(ld);
    json_object_del(o, "bad");
    json_object_del(o, "good");
    char *text = json_object_size(o) ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    bool ok = !json_object_size(o) || (text && (*out = el_strdup(text)) != NULL);
    el_json_free(text);
    json_decref(o);
    if (!ok)
        NOMEM(ld);
    return true;
}

/* A placeholder names a template variable when its name is letters, digits and '_', not
 * starting with a digit: "{member}". Others ("{12}" in a quoted pattern, "{}") are text. */
static bool var_name(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

static bool declared_var(const el_rule *r, const char *name, size_t n)
{
    for (size_t k = 0; k < r->nvars; k++)
        if (strncmp(r->vars[k], name, n) == 0 && r->vars[k][n] == '\0')
            return true;
    return false;
}

/* Whether a template of r uses {name}. */
static bool uses_var(const el_rule *r, const char *name)
{
    const el_tpl *tpls[] = {&r->message_tpl, &r->exception_tpl, &r->reason_tpl};
    size_t n = strlen(name);
    for (size_t t = 0; t < 3; t++)
        for (size_t i = 0; i < tpls[t]->n; i++) {
            const el_tpl_part *p = &tpls[t]->parts[i];
            if (p->var && p->len == n + 2 && memcmp(p->text + 1, name, n) == 0)
                return true;
        }
    return false;
}

/* The rule's "vars" are exactly the variables its templates use: each a variable name, once. */
static bool check_vars(loader *ld, const el_rule *r)
{
    const el_tpl *tpls[] = {&r->message_tpl, &r->exception_tpl, &r->reason_tpl};
    static const char *const keys[] = {"message", "exception.message", "failure.reason"};
    for (size_t t = 0; t < 3; t++)
        for (size_t i = 0; i < tpls[t]->n; i++) {
            const el_tpl_part *p = &tpls[t]->parts[i];
            if (!p->var || !var_name(p->text + 1, p->len - 2) ||
                declared_var(r, p->text + 1, p->len - 2))
                continue;
            size_t m = push_key(ld, keys[t]);
            (void)m;
            FAIL(ld, "uses %.*s, which \"vars\" does not declare", (int)p->len, p->text);
        }
    for (size_t k = 0; k < r->nvars; k++) {
        const char *v = r->vars[k];
        bool again = declared_var(&(el_rule){.vars = r->vars, .nvars = k}, v, strlen(v));
        if (var_name(v, strlen(v)) && !again && uses_var(r, v))
            continue;
        size_t m = push_key(ld, "vars");
        push_index(ld, k);
        (void)m;
        if (!var_name(v, strlen(v)))
            FAIL(ld, "'%s' is not a variable name (letters, digits and '_')", v);
        if (again)
            FAIL(ld, "'%s' is declared twice", v);
        FAIL(ld, "'%s' is used by no template", v);
    }
    return true;
}

static bool load_rule(loader *ld, const json_t *obj, el_rule *r)
{
    static const char *const keys[] = {"id", "scope", "severity", "title", "help", "source",
                                       "confidence", "message", "exception", "failure",
                                       "examples", "afterValidation", "breaksSpec", "vars",
                                       NULL};
    memset(r, 0, sizeof *r);
    if (!json_is_object(obj))
        FAIL(ld, "a rule must be an object");
    if (!only_keys(ld, obj, keys))
        return false;
    char *id, *sev, *conf;
    if (!get_string(ld, obj, "id", true, &id))
        return false;
    r->info.id = id;
    if (!valid_rule_id(id)) {
        size_t m = push_key(ld, "id");
        (void)m;
        FAIL(ld, "'%s' is not a valid rule id (letters, digits, '-' and '_', at most 32)", id);
    }
    if (!get_string(ld, obj, "severity", true, &sev))
        return false;
    int s = ecrlint_severity_parse(sev);
    el_free(sev);
    if (s < 0) {
        size_t m = push_key(ld, "severity");
        (void)m;
        FAIL(ld, "must be \"error\", \"warning\" or \"info\"");
    }
    r->info.severity = (ecrlint_severity)s;
    char *tmp;
#define STR(key, field, req) STR_IN(obj, key, field, req)
#define STR_IN(o, key, field, req)                                                                \
    do {                                                                                          \
        if (!get_string(ld, o, key, req, &tmp))                                                   \
            return false;                                                                         \
        field = tmp;                                                                              \
    } while (0)
    STR("scope", r->info.scope, false);
    STR("title", r->info.title, true);
    STR("help", r->info.help, false);
    STR("source", r->info.source, true);
    STR("message", r->message, false);
    if (!get_string(ld, obj, "confidence", false, &conf))
        return false;
    if (conf && strcmp(conf, "high") != 0 && strcmp(conf, "medium") != 0 &&
        strcmp(conf, "low") != 0) {
        el_free(conf);
        size_t m = push_key(ld, "confidence");
        (void)m;
        FAIL(ld, "must be \"high\", \"medium\" or \"low\"");
    }
    r->info.confidence = conf ? conf : el_strdup("high");
    if (!r->info.confidence)
        NOMEM(ld);

    const json_t *ex = json_object_get(obj, "exception");
    if (ex) {
        static const char *const exkeys[] = {"code", "message", NULL};
        size_t m = push_key(ld, "exception");
        if (!json_is_object(ex))
            FAIL(ld, "must be an object with \"code\" and \"message\"");
        if (!only_keys(ld, ex, exkeys))
            return false;
        STR_IN(ex, "code", r->info.exception, true);
        STR_IN(ex, "message", r->info.exception_message, true);
        pop(ld, m);
    }
    const json_t *fa = json_object_get(obj, "failure");
    if (fa) {
        static const char *const fakeys[] = {"code", "reason", NULL};
        size_t m = push_key(ld, "failure");
        if (!json_is_object(fa))
            FAIL(ld, "must be an object with \"code\" and \"reason\"");
        if (!only_keys(ld, fa, fakeys))
            return false;
        STR_IN(fa, "code", r->info.failure, true);
        STR_IN(fa, "reason", r->info.failure_reason, true);
        pop(ld, m);
    }
    if (ex && fa)
        FAIL(ld, "a rule predicts an exception or a failure, not both");
    const json_t *av = json_object_get(obj, "afterValidation");
    if (av) {
        if (!json_is_boolean(av) || !ex) {
            size_t m = push_key(ld, "afterValidation");
            (void)m;
            FAIL(ld, "must be true or false, on a rule with an exception");
        }
        r->after_validation = json_is_true(av);
    }
    const json_t *exm = json_object_get(obj, "examples");
    if (exm) {
        static const char *const exmkeys[] = {"bad",         "good",     "operation", "mediaType",
                                              "input",       "accept",   "maxFileSize",
                                              "maxDepth",    "pack",     "also",      NULL};
        size_t m = push_key(ld, "examples");
        if (!json_is_object(exm))
            FAIL(ld, "must be an object with \"bad\" and \"good\"");
        if (!only_keys(ld, exm, exmkeys))
            return false;
        STR_IN(exm, "bad", r->info.bad_example, false);
        STR_IN(exm, "good", r->info.good_example, false);
        if (!load_example_options(ld, exm, &tmp))
            return false;
        r->info.example_options = tmp;
        pop(ld, m);
    }
#undef STR
#undef STR_IN
    const json_t *bs = json_object_get(obj, "breaksSpec");
    if (bs) {
        if (!json_is_boolean(bs)) {
            size_t m = push_key(ld, "breaksSpec");
            (void)m;
            FAIL(ld, "must be true or false");
        }
        r->breaks_spec = json_is_true(bs);
    }
    if (!get_string_list(ld, obj, "vars", &r->vars, &r->nvars))
        return false;
    r->info.pack = el_strdup(ld->pack->name);
    if (!r->info.pack || !el_tpl_compile(r->message, &r->message_tpl) ||
        !el_tpl_compile(r->info.exception_message, &r->exception_tpl) ||
        !el_tpl_compile(r->info.failure_reason, &r->reason_tpl))
        NOMEM(ld);
    return check_vars(ld, r);
}

/* ---- shapes --------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    el_type type;
} type_names[] = {{"any", EL_T_ANY},         {"structure", EL_T_STRUCTURE},
                  {"list", EL_T_LIST},       {"map", EL_T_MAP},
                  {"string", EL_T_STRING},   {"integer", EL_T_INTEGER},
                  {"double", EL_T_DOUBLE},   {"boolean", EL_T_BOOLEAN},
                  {"timestamp", EL_T_TIMESTAMP}};

const char *el_type_name(el_type t)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (type_names[i].type == t)
            return type_names[i].name;
    return "any";
}

static bool parse_type(const char *s, el_type *out)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(type_names[i].name, s) == 0) {
            *out = type_names[i].type;
            return true;
        }
    return false;
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
    free_string_list(c->values, c->nvalues);
    el_free(c->values_text);
    el_free(c->media_type_member);
    el_free(c->digest_member);
}

static void shape_free(el_shape *s)
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
        free_string_list(s->groups[i].members, s->groups[i].nmembers);
        el_free(s->groups[i].with);
        el_free(s->groups[i].rule_id);
        el_free(s->groups[i].member_idx);
    }
    el_free(s->groups);
    el_free(s->item_name);
    el_free(s);
}

static const struct {
    const char *key;
    el_check_kind kind;
    el_type applies; /* EL_T_ANY: numbers (integer, double, timestamp) */
} check_keys[] = {
    {"minLength", EL_CK_MIN_LENGTH, EL_T_STRING}, {"maxLength", EL_CK_MAX_LENGTH, EL_T_STRING},
    {"pattern", EL_CK_PATTERN, EL_T_STRING},      {"enum", EL_CK_ENUM, EL_T_STRING},
    {"min", EL_CK_MIN, EL_T_ANY},                 {"max", EL_CK_MAX, EL_T_ANY},
    {"minItems", EL_CK_MIN_ITEMS, EL_T_LIST},     {"maxItems", EL_CK_MAX_ITEMS, EL_T_LIST},
    {"uniqueItems", EL_CK_UNIQUE_ITEMS, EL_T_LIST}, {"manifest", EL_CK_MANIFEST, EL_T_STRING},
};

static bool load_check(loader *ld, const json_t *obj, el_type type, el_check *c,
                       bool compile_patterns)
{
    memset(c, 0, sizeof *c);
    if (!json_is_object(obj))
        FAIL(ld, "a check must be an object");
    int found = -1;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (strcmp(key, "rule") == 0 || strcmp(key, "ifValid") == 0 ||
            strcmp(key, "covers") == 0)
            continue;
        int k = -1;
        for (size_t i = 0; i < sizeof check_keys / sizeof check_keys[0]; i++)
            if (strcmp(check_keys[i].key, key) == 0)
                k = (int)i;
        size_t m = push_key(ld, key);
        if (k < 0)
            FAIL(ld, "unknown key (a check has one of minLength, maxLength, pattern, enum, min, "
                     "max, minItems, maxItems, uniqueItems, manifest, plus rule, ifValid and covers)");
        if (found >= 0)
            FAIL(ld, "a check has one constraint; '%s' is already given", check_keys[found].key);
        bool numeric = type == EL_T_INTEGER || type == EL_T_DOUBLE || type == EL_T_TIMESTAMP;
        if (check_keys[k].applies == EL_T_ANY ? !numeric : check_keys[k].applies != type)
            FAIL(ld, "'%s' does not apply to a %s", key, el_type_name(type));
        pop(ld, m);
        found = k;
    }
    if (found < 0)
        FAIL(ld, "a check needs a constraint");
    c->kind = check_keys[found].kind;
    const json_t *val = json_object_get(obj, check_keys[found].key);
    size_t m = push_key(ld, check_keys[found].key);
    switch (c->kind) {
    case EL_CK_PATTERN: {
        if (!json_is_string(val))
            FAIL(ld, "must be a string (a PCRE2 pattern)");
        c->regex = el_calloc(1, sizeof *c->regex);
        if (!c->regex)
            NOMEM(ld);
        pthread_mutex_init(&c->regex->lock, NULL);
        c->regex->source = el_strdup(json_string_value(val));
        if (!c->regex->source)
            NOMEM(ld);
        if (compile_patterns) {
            int e = el_regex_compile(c->regex);
            if (e) {
                PCRE2_UCHAR text[160];
                pcre2_get_error_message(e, text, sizeof text);
                FAIL(ld, "invalid pattern at offset %zu: %s", c->regex->error_offset,
                     (const char *)text);
            }
        }
        break;
    }
    case EL_CK_ENUM: {
        if (!json_is_array(val) || json_array_size(val) == 0)
            FAIL(ld, "must be a non-empty array of strings");
        el_buf text;
        el_buf_init(&text);
        el_buf_putc(&text, '[');
        c->nvalues = 0;
        c->values = el_calloc(json_array_size(val), sizeof *c->values);
        if (!c->values) {
            el_buf_free(&text);
            NOMEM(ld);
        }
        for (size_t i = 0; i < json_array_size(val); i++) {
            const json_t *s = json_array_get(val, i);
            if (!json_is_string(s)) {
                el_buf_free(&text);
                push_index(ld, i);
                FAIL(ld, "must be a string");
            }
            c->values[i] = el_strdup(json_string_value(s));
            c->nvalues = i + 1;
            if (i)
                el_buf_puts(&text, ", ");
            el_buf_puts(&text, json_string_value(s));
            if (!c->values[i]) {
                el_buf_free(&text);
                NOMEM(ld);
            }
            c->value_lengths |= (uint64_t)1 << (strlen(c->values[i]) % 64);
        }
        el_buf_putc(&text, ']');
        c->values_text = el_buf_take(&text);
        if (!c->values_text)
            NOMEM(ld);
        break;
    }
    case EL_CK_UNIQUE_ITEMS:
        if (!json_is_true(val))
            FAIL(ld, "must be true");
        break;
    case EL_CK_MANIFEST:
        /* true, or {"mediaTypeMember": "...", "digestMember": "..."} naming siblings */
        if (json_is_object(val)) {
            static const char *const mkeys[] = {"mediaTypeMember", "digestMember", NULL};
            if (!only_keys(ld, val, mkeys) ||
                !get_string(ld, val, "mediaTypeMember", false, &c->media_type_member) ||
                !get_string(ld, val, "digestMember", false, &c->digest_member))
                return false;
        } else if (!json_is_true(val)) {
            FAIL(ld, "must be true or an object with mediaTypeMember and digestMember");
        }
        break;
    default:
        if (!json_is_integer(val))
            FAIL(ld, "must be an integer");
        c->number = json_integer_value(val);
        if ((c->kind == EL_CK_MIN_LENGTH || c->kind == EL_CK_MAX_LENGTH ||
             c->kind == EL_CK_MIN_ITEMS || c->kind == EL_CK_MAX_ITEMS) &&
            c->number < 0)
            FAIL(ld, "must not be negative");
        break;
    }
    pop(ld, m);
    const json_t *iv = json_object_get(obj, "ifValid");
    if (iv) {
        if (!json_is_boolean(iv)) {
            m = push_key(ld, "ifValid");
            FAIL(ld, "must be true or false");
        }
        c->if_valid = json_is_true(iv);
    }
    return get_string(ld, obj, "rule", true, &c->rule_id);
}

/* "covers": the rules of other pattern checks of the shape that this pattern implies. */
static bool load_covers(loader *ld, const json_t *obj, el_shape *s, size_t self)
{
    const json_t *cv = json_object_get(obj, "covers");
    if (!cv)
        return true;
    size_t m = push_key(ld, "covers");
    if (s->checks[self].kind != EL_CK_PATTERN)
        FAIL(ld, "only a pattern check covers others");
    if (s->nchecks > EL_COVER_MAX_CHECKS)
        FAIL(ld, "a shape with covering checks has at most %d checks", EL_COVER_MAX_CHECKS);
    if (!json_is_array(cv) || json_array_size(cv) == 0)
        FAIL(ld, "must be a non-empty array of rule IDs");
    for (size_t k = 0; k < json_array_size(cv); k++) {
        const json_t *id = json_array_get(cv, k);
        size_t mk = push_index(ld, k);
        if (!json_is_string(id))
            FAIL(ld, "must be a rule ID");
        size_t found = s->nchecks;
        for (size_t i = 0; i < s->nchecks && found == s->nchecks; i++)
            if (i != self && s->checks[i].kind == EL_CK_PATTERN &&
                strcmp(s->checks[i].rule_id, json_string_value(id)) == 0)
                found = i;
        if (found == s->nchecks)
            FAIL(ld, "'%s' is not the rule of another pattern check of this shape",
                 json_string_value(id));
        s->checks[self].covers |= (uint64_t)1 << found;
        pop(ld, mk);
    }
    pop(ld, m);
    return true;
}

static bool load_group(loader *ld, const json_t *obj, el_group_kind kind, el_group *g)
{
    static const char *const keys[] = {"members", "with", "rule", NULL};
    memset(g, 0, sizeof *g);
    g->kind = kind;
    if (!json_is_object(obj))
        FAIL(ld, "must be an object with \"members\" and \"rule\"");
    if (!only_keys(ld, obj, keys))
        return false;
    if (!get_string_list(ld, obj, "members", &g->members, &g->nmembers))
        return false;
    if (g->nmembers == 0)
        FAIL(ld, "\"members\" must list at least one member");
    if (!get_string(ld, obj, "with", kind == EL_GROUP_CONFLICT, &g->with))
        return false;
    return get_string(ld, obj, "rule", true, &g->rule_id);
}

static bool load_shape(loader *ld, const char *name, const json_t *obj, el_shape **out,
                       bool compile_patterns)
{
    static const char *const keys[] = {"type", "checks", "members", "member", "value",
                                       "anyOf", "conflicts", "allOf", "open", "doc", NULL};
    el_shape *s = el_calloc(1, sizeof *s);
    if (!s)
        NOMEM(ld);
    *out = s;
    s->name = el_strdup(name);
    if (!s->name)
        NOMEM(ld);
    if (!json_is_object(obj))
        FAIL(ld, "a shape must be an object");
    if (!only_keys(ld, obj, keys))
        return false;
    char *type;
    if (!get_string(ld, obj, "type", true, &type))
        return false;
    bool ok = parse_type(type, &s->type);
    el_free(type);
    if (!ok) {
        size_t m = push_key(ld, "type");
        (void)m;
        FAIL(ld, "unknown type (any, structure, list, map, string, integer, double, boolean, "
                 "timestamp)");
    }
    const json_t *checks = json_object_get(obj, "checks");
    if (checks) {
        size_t m = push_key(ld, "checks");
        if (!json_is_array(checks))
            FAIL(ld, "must be an array");
        s->checks = el_calloc(json_array_size(checks) + 1, sizeof *s->checks);
        if (!s->checks)
            NOMEM(ld);
        for (size_t i = 0; i < json_array_size(checks); i++) {
            size_t mi = push_index(ld, i);
            s->nchecks = i + 1;
            if (!load_check(ld, json_array_get(checks, i), s->type, &s->checks[i],
                            compile_patterns))
                return false;
            pop(ld, mi);
        }
        for (size_t i = 0; i < json_array_size(checks); i++) {
            size_t mi = push_index(ld, i);
            if (!load_covers(ld, json_array_get(checks, i), s, i))
                return false;
            pop(ld, mi);
        }
        pop(ld, m);
    }
    const json_t *members = json_object_get(obj, "members");
    if (members) {
        size_t m = push_key(ld, "members");
        if (s->type != EL_T_STRUCTURE)
            FAIL(ld, "only a structure has members");
        if (!json_is_array(members))
            FAIL(ld, "must be an array (model order matters)");
        s->members = el_calloc(json_array_size(members) + 1, sizeof *s->members);
        if (!s->members)
            NOMEM(ld);
        for (size_t i = 0; i < json_array_size(members); i++) {
            static const char *const mkeys[] = {"name", "shape", "required", "doc", NULL};
            const json_t *mo = json_array_get(members, i);
            size_t mi = push_index(ld, i);
            if (!json_is_object(mo))
                FAIL(ld, "a member must be an object");
            if (!only_keys(ld, mo, mkeys))
                return false;
            el_member *mem = &s->members[i];
            s->nmembers = i + 1;
            if (!get_string(ld, mo, "name", true, &mem->name) ||
                !get_string(ld, mo, "shape", true, &mem->shape_name) ||
                !get_string(ld, mo, "required", false, &mem->required_rule))
                return false;
            for (size_t j = 0; j < i; j++)
                if (strcmp(s->members[j].name, mem->name) == 0)
                    FAIL(ld, "member '%s' is listed twice", mem->name);
            pop(ld, mi);
        }
        pop(ld, m);
    }
    const char *item_key = s->type == EL_T_LIST ? "member" : s->type == EL_T_MAP ? "value" : NULL;
    if (item_key) {
        if (!get_string(ld, obj, item_key, true, &s->item_name))
            return false;
    } else if (json_object_get(obj, "member") || json_object_get(obj, "value")) {
        FAIL(ld, "\"member\" is for lists and \"value\" for maps");
    }
    static const struct {
        const char *key;
        el_group_kind kind;
    } groups[] = {{"anyOf", EL_GROUP_ANY_OF},
                  {"conflicts", EL_GROUP_CONFLICT},
                  {"allOf", EL_GROUP_ALL_OF}};
    size_t ngroups = 0;
    for (size_t g = 0; g < 3; g++) {
        const json_t *arr = json_object_get(obj, groups[g].key);
        if (arr)
            ngroups += json_is_array(arr) ? json_array_size(arr) : 0;
    }
    if (ngroups) {
        s->groups = el_calloc(ngroups, sizeof *s->groups);
        if (!s->groups)
            NOMEM(ld);
    }
    for (size_t g = 0; g < 3; g++) {
        const json_t *arr = json_object_get(obj, groups[g].key);
        if (!arr)
            continue;
        size_t m = push_key(ld, groups[g].key);
        if (s->type != EL_T_STRUCTURE)
            FAIL(ld, "only a structure has member groups");
        if (!json_is_array(arr))
            FAIL(ld, "must be an array");
        for (size_t i = 0; i < json_array_size(arr); i++) {
            size_t mi = push_index(ld, i);
            el_group *gr = &s->groups[s->ngroups++];
            if (!load_group(ld, json_array_get(arr, i), groups[g].kind, gr))
                return false;
            pop(ld, mi);
        }
        pop(ld, m);
    }
    const json_t *open = json_object_get(obj, "open");
    if (open) {
        if (!json_is_boolean(open)) {
            size_t m = push_key(ld, "open");
            (void)m;
            FAIL(ld, "must be true or false");
        }
        s->open = json_is_true(open);
    }
    return true;
}

/* ---- operations ----------------------------------------------------------------------------- */

static void op_clear(el_operation *op)
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
        free_string_list(op->detects[i].members, op->detects[i].nmembers);
        el_free(op->detects[i].ids);
    }
    el_free(op->detects);
    el_free(op->member_ids);
    free_string_list(op->name_hints, op->nname_hints);
    memset(op, 0, sizeof *op);
}

static bool load_operation(loader *ld, const json_t *obj, el_operation *op)
{
    static const char *const keys[] = {"name", "kind", "target", "input", "failures",
                                       "detect", "names", "doc", NULL};
    memset(op, 0, sizeof *op);
    if (!json_is_object(obj))
        FAIL(ld, "an operation must be an object");
    if (!only_keys(ld, obj, keys))
        return false;
    char *kind;
    if (!get_string(ld, obj, "name", true, &op->name) ||
        !get_string(ld, obj, "kind", true, &kind))
        return false;
    if (strcmp(kind, "request") == 0)
        op->kind = ECRLINT_KIND_REQUEST;
    else if (strcmp(kind, "response") == 0)
        op->kind = ECRLINT_KIND_RESPONSE;
    else {
        el_free(kind);
        size_t m = push_key(ld, "kind");
        (void)m;
        FAIL(ld, "must be \"request\" or \"response\"");
    }
    el_free(kind);
    if (!get_string(ld, obj, "target", false, &op->target) ||
        !get_string(ld, obj, "input", true, &op->input_name))
        return false;
    const json_t *fa = json_object_get(obj, "failures");
    if (fa) {
        static const char *const fkeys[] = {"list", "remap", NULL};
        size_t m = push_key(ld, "failures");
        if (!json_is_object(fa))
            FAIL(ld, "must be an object with \"list\" and \"remap\"");
        if (!only_keys(ld, fa, fkeys) || !get_string(ld, fa, "list", true, &op->failure_list))
            return false;
        const json_t *rm = json_object_get(fa, "remap");
        if (rm) {
            size_t mr = push_key(ld, "remap");
            if (!json_is_object(rm))
                FAIL(ld, "must be an object mapping rule ids to rule ids");
            op->remaps = el_calloc(json_object_size(rm) + 1, sizeof *op->remaps);
            if (!op->remaps)
                NOMEM(ld);
            const char *key;
            const json_t *v;
            json_object_foreach((json_t *)rm, key, v) {
                if (!json_is_string(v)) {
                    push_key(ld, key);
                    FAIL(ld, "must be a rule id");
                }
                el_remap *r = &op->remaps[op->nremaps++];
                r->from = el_strdup(key);
                r->to = el_strdup(json_string_value(v));
                if (!r->from || !r->to)
                    NOMEM(ld);
            }
            pop(ld, mr);
        }
        pop(ld, m);
    }
    if (!get_string_list(ld, obj, "names", &op->name_hints, &op->nname_hints))
        return false;
    const json_t *de = json_object_get(obj, "detect");
    if (de) {
        size_t m = push_key(ld, "detect");
        if (!json_is_array(de))
            FAIL(ld, "must be an array of {\"any\"|\"all\": [members], \"priority\": n}");
        op->detects = el_calloc(json_array_size(de) + 1, sizeof *op->detects);
        if (!op->detects)
            NOMEM(ld);
        for (size_t i = 0; i < json_array_size(de); i++) {
            static const char *const dkeys[] = {"any", "all", "priority", NULL};
            const json_t *d = json_array_get(de, i);
            size_t mi = push_index(ld, i);
            if (!json_is_object(d))
                FAIL(ld, "must be an object");
            if (!only_keys(ld, d, dkeys))
                return false;
            el_detect *dt = &op->detects[op->ndetects++];
            dt->all = json_object_get(d, "all") != NULL;
            if (dt->all == (json_object_get(d, "any") != NULL))
                FAIL(ld, "give exactly one of \"any\" and \"all\"");
            if (!get_string_list(ld, d, dt->all ? "all" : "any", &dt->members, &dt->nmembers))
                return false;
            const json_t *pr = json_object_get(d, "priority");
            if (pr) {
                if (!json_is_integer(pr)) {
                    push_key(ld, "priority");
                    FAIL(ld, "must be an integer");
                }
                dt->priority = (int)json_integer_value(pr);
            }
            pop(ld, mi);
        }
        pop(ld, m);
    }
    return true;
}

/* ---- the pack ------------------------------------------------------------------------------- */

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    void *p = el_realloc(*arr, c * elem);
    if (!p)
        return false;
    *arr = p;
    *cap = c;
    return true;
}

static bool load_pack(loader *ld, bool compile_patterns)
{
    static const char *const keys[] = {"format", "name", "version", "doc", "rules", "shapes",
                                       "operations", "typeErrors", NULL};
    const json_t *doc = ld->pack->doc;
    ld->path[0] = '\0';
    el_ruleset *rs = ld->rs;
    if (!json_is_object(doc))
        FAIL(ld, "a rule pack is a JSON object");
    if (!only_keys(ld, doc, keys))
        return false;
    const json_t *fmt = json_object_get(doc, "format");
    if (!json_is_integer(fmt) || json_integer_value(fmt) != 1) {
        push_key(ld, "format");
        FAIL(ld, "must be 1 (the only pack format this ecrlint reads)");
    }
    char *version = NULL;
    if (!get_string(ld, doc, "version", false, &version))
        return false;
    if (version) {
        el_free(rs->version);
        rs->version = version;
    }
    const json_t *rules = json_object_get(doc, "rules");
    if (rules) {
        size_t m = push_key(ld, "rules");
        if (!json_is_array(rules))
            FAIL(ld, "must be an array");
        for (size_t i = 0; i < json_array_size(rules); i++) {
            size_t mi = push_index(ld, i);
            if (!grow((void **)&rs->rules, &ld->cap_rules, rs->nrules + 1, sizeof *rs->rules))
                NOMEM(ld);
            el_rule *r = &rs->rules[rs->nrules++];
            if (!load_rule(ld, json_array_get(rules, i), r))
                return false;
            pop(ld, mi);
        }
        pop(ld, m);
    }
    const json_t *shapes = json_object_get(doc, "shapes");
    if (shapes) {
        size_t m = push_key(ld, "shapes");
        if (!json_is_object(shapes))
            FAIL(ld, "must be an object mapping shape names to shapes");
        const char *name;
        const json_t *v;
        json_object_foreach((json_t *)shapes, name, v) {
            size_t mi = push_key(ld, name);
            if (!grow((void **)&rs->shapes, &ld->cap_shapes, rs->nshapes + 1, sizeof *rs->shapes))
                NOMEM(ld);
            el_shape **slot = &rs->shapes[rs->nshapes++];
            *slot = NULL;
            if (!load_shape(ld, name, v, slot, compile_patterns))
                return false;
            pop(ld, mi);
        }
        pop(ld, m);
    }
    const json_t *ops = json_object_get(doc, "operations");
    if (ops) {
        size_t m = push_key(ld, "operations");
        if (!json_is_array(ops))
            FAIL(ld, "must be an array");
        for (size_t i = 0; i < json_array_size(ops); i++) {
            size_t mi = push_index(ld, i);
            if (!grow((void **)&rs->ops, &ld->cap_ops, rs->nops + 1, sizeof *rs->ops))
                NOMEM(ld);
            el_operation *op = &rs->ops[rs->nops++];
            if (!load_operation(ld, json_array_get(ops, i), op))
                return false;
            pop(ld, mi);
        }
        pop(ld, m);
    }
    const json_t *tes = json_object_get(doc, "typeErrors");
    if (tes) {
        size_t m = push_key(ld, "typeErrors");
        if (!json_is_array(tes))
            FAIL(ld, "must be an array");
        for (size_t i = 0; i < json_array_size(tes); i++) {
            static const char *const tkeys[] = {"expected", "actual", "message", NULL};
            const json_t *te = json_array_get(tes, i);
            size_t mi = push_index(ld, i);
            if (!json_is_object(te))
                FAIL(ld, "must be an object");
            if (!only_keys(ld, te, tkeys))
                return false;
            if (!grow((void **)&rs->type_errors, &ld->cap_te, rs->ntype_errors + 1,
                      sizeof *rs->type_errors))
                NOMEM(ld);
            el_type_error *t = &rs->type_errors[rs->ntype_errors++];
            memset(t, 0, sizeof *t);
            char *expected;
            if (!get_string(ld, te, "expected", true, &expected))
                return false;
            bool ok = parse_type(expected, &t->expected);
            el_free(expected);
            if (!ok) {
                push_key(ld, "expected");
                FAIL(ld, "unknown type");
            }
            if (!get_string(ld, te, "actual", true, &t->actual) ||
                !get_string(ld, te, "message", true, &t->message))
                return false;
            pop(ld, mi);
        }
        pop(ld, m);
    }
    return true;
}

/* ---- merging and resolution ----------------------------------------------------------------- */

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

static bool dedupe_rules(el_ruleset *rs)
{
    if (rs->nrules == 0)
        return true;
    seq_rule *tmp = el_malloc(rs->nrules * sizeof *tmp);
    if (!tmp)
        return false;
    for (size_t i = 0; i < rs->nrules; i++) {
        tmp[i].r = rs->rules[i];
        tmp[i].seq = i;
    }
    qsort(tmp, rs->nrules, sizeof *tmp, cmp_seq_rule);
    size_t out = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        if (i + 1 < rs->nrules && strcmp(tmp[i].r.info.id, tmp[i + 1].r.info.id) == 0) {
            rule_clear(&tmp[i].r); /* replaced by a later pack */
            continue;
        }
        rs->rules[out++] = tmp[i].r;
    }
    rs->nrules = out;
    el_free(tmp);
    return true;
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
            shape_free(rs->shapes[i]);
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
            op_clear(&rs->ops[i]);
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

static bool resolve_rule(loader *ld, const char *id)
{
    if (id && !el_ruleset_find(ld->rs, id))
        FAIL(ld, "rule '%s' is not declared in any pack", id);
    return true;
}

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

static bool resolve(loader *ld)
{
    el_ruleset *rs = ld->rs;
    static char merged_name[] = "(merged packs)", merged_source[] = "rule packs";
    static const el_pack_doc merged = {merged_name, merged_source, NULL};
    ld->pack = &merged;
    for (size_t i = 0; i < rs->nshapes; i++) {
        el_shape *s = rs->shapes[i];
        snprintf(ld->path, sizeof ld->path, "shapes.%s", s->name);
        if (s->item_name) {
            s->item = (el_shape *)el_ruleset_shape(rs, s->item_name);
            if (!s->item)
                FAIL(ld, "shape '%s' is not defined in any pack", s->item_name);
        }
        for (size_t j = 0; j < s->nmembers; j++) {
            snprintf(ld->path, sizeof ld->path, "shapes.%s.members[%zu]", s->name, j);
            s->members[j].shape = (el_shape *)el_ruleset_shape(rs, s->members[j].shape_name);
            if (!s->members[j].shape)
                FAIL(ld, "shape '%s' is not defined in any pack", s->members[j].shape_name);
            if (!resolve_rule(ld, s->members[j].required_rule))
                return false;
        }
        for (size_t j = 0; j < s->nchecks; j++) {
            snprintf(ld->path, sizeof ld->path, "shapes.%s.checks[%zu]", s->name, j);
            if (!resolve_rule(ld, s->checks[j].rule_id))
                return false;
        }
        for (size_t j = 0; j < s->ngroups; j++) {
            el_group *g = &s->groups[j];
            snprintf(ld->path, sizeof ld->path, "shapes.%s.groups[%zu]", s->name, j);
            if (!resolve_rule(ld, g->rule_id))
                return false;
            g->member_idx = el_calloc(g->nmembers + 1, sizeof *g->member_idx);
            if (!g->member_idx)
                NOMEM(ld);
            for (size_t k = 0; k < g->nmembers; k++)
                g->member_idx[k] = member_at(s, g->members[k]);
            g->with_idx = member_at(s, g->with);
        }
        choose_key_pos(s);
    }
    for (size_t i = 0; i < rs->nops; i++) {
        el_operation *op = &rs->ops[i];
        snprintf(ld->path, sizeof ld->path, "operations.%s", op->name);
        op->input = (el_shape *)el_ruleset_shape(rs, op->input_name);
        if (!op->input)
            FAIL(ld, "input shape '%s' is not defined in any pack", op->input_name);
        if (op->input->type != EL_T_STRUCTURE)
            FAIL(ld, "input shape '%s' must be a structure", op->input_name);
        for (size_t j = 0; j < op->nremaps; j++) {
            if (!resolve_rule(ld, op->remaps[j].from) || !resolve_rule(ld, op->remaps[j].to))
                return false;
        }
    }
    return true;
}

/* ---- the name index ------------------------------------------------------------------------- */

/* FNV-1a: names are short, and only spread matters. */
uint32_t el_name_hash(const char *name)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

long el_name_lookup(const el_name_index *ix, const char *name)
{
    if (!ix->nslots)
        return -1;
    size_t mask = ix->nslots - 1;
    for (size_t i = el_name_hash(name) & mask;; i = (i + 1) & mask) {
        unsigned v = ix->slots[i];
        if (!v)
            return -1;
        if (strcmp(ix->names[v - 1], name) == 0)
            return (long)v - 1;
    }
}

/* Puts number k (names[k]) into a table of nslots slots. */
static void slot_put(unsigned *slots, size_t nslots, char *const *names, unsigned k)
{
    size_t mask = nslots - 1;
    size_t i = el_name_hash(names[k]) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = k + 1;
}

/* The number of `name`, given one if it has none yet; false when memory ran out. */
static bool name_number(el_name_index *ix, size_t *cap, char *name, unsigned *out)
{
    long k = el_name_lookup(ix, name);
    if (k >= 0) {
        *out = (unsigned)k;
        return true;
    }
    if (ix->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        char **p = el_realloc(ix->names, ncap * sizeof *p);
        if (!p)
            return false;
        ix->names = p;
        *cap = ncap;
    }
    if (2 * (ix->n + 1) >= ix->nslots) { /* at most half full: rehash into twice the room */
        size_t nslots = ix->nslots ? ix->nslots * 2 : 32;
        unsigned *slots = el_calloc(nslots, sizeof *slots);
        if (!slots)
            return false;
        for (unsigned i = 0; i < ix->n; i++)
            slot_put(slots, nslots, ix->names, i);
        el_free(ix->slots);
        ix->slots = slots;
        ix->nslots = nslots;
    }
    ix->names[ix->n] = name;
    slot_put(ix->slots, ix->nslots, ix->names, (unsigned)ix->n);
    *out = (unsigned)ix->n++;
    return true;
}

static bool number_names(el_ruleset *rs)
{
    size_t cap = 0;
    for (size_t i = 0; i < rs->nops; i++) {
        el_operation *op = &rs->ops[i];
        const el_shape *in = op->input;
        op->member_ids = el_calloc(in->nmembers + 1, sizeof *op->member_ids);
        if (!op->member_ids)
            return false;
        for (size_t j = 0; j < in->nmembers; j++)
            if (!name_number(&rs->top, &cap, in->members[j].name, &op->member_ids[j]))
                return false;
        for (size_t j = 0; j < op->ndetects; j++) {
            el_detect *d = &op->detects[j];
            d->ids = el_calloc(d->nmembers + 1, sizeof *d->ids);
            if (!d->ids)
                return false;
            d->narrow = true;
            d->mask = 0;
            for (size_t k = 0; k < d->nmembers; k++) {
                if (!name_number(&rs->top, &cap, d->members[k], &d->ids[k]))
                    return false;
                if (d->ids[k] < 64)
                    d->mask |= (uint64_t)1 << d->ids[k];
                else
                    d->narrow = false;
            }
        }
    }
    return true;
}

void el_ruleset_free(el_ruleset *rs)
{
    if (!rs || rs->is_static)
        return;
    for (size_t i = 0; i < rs->nrules; i++)
        rule_clear(&rs->rules[i]);
    el_free(rs->rules);
    for (size_t i = 0; i < rs->nshapes; i++)
        shape_free(rs->shapes[i]);
    el_free(rs->shapes);
    for (size_t i = 0; i < rs->nops; i++)
        op_clear(&rs->ops[i]);
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

el_ruleset *el_ruleset_build(const el_pack_doc *packs, size_t n, bool compile_patterns,
                             ecrlint_error *err)
{
    el_ruleset *rs = el_calloc(1, sizeof *rs);
    if (!rs) {
        el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    loader ld = {.err = err, .rs = rs};
    for (size_t i = 0; i < n; i++) {
        ld.pack = &packs[i];
        if (!load_pack(&ld, compile_patterns))
            goto fail;
    }
    if (!dedupe_rules(rs)) {
        el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    dedupe_shapes(rs);
    dedupe_ops(rs);
    if (!resolve(&ld))
        goto fail;
    if (!number_names(rs)) {
        el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    if (!rs->version) {
        rs->version = el_strdup("unversioned");
        if (!rs->version) {
            el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
            goto fail;
        }
    }
    return rs;
fail:
    el_ruleset_free(rs);
    return NULL;
}

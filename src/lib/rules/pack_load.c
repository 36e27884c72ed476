/* pack_load.c - reads one rule pack document (the reference for rules/README.md).
 *
 * Each JSON object of a pack is read by one json_unpack_ex(..., JSON_STRICT, ...) whose format
 * lists the object's keys and their types. An unknown key, a missing required key or a value
 * of the wrong type is then an error naming the pack and the key path
 * ("shapes.RepositoryName.checks[2].pattern: Expected string, got integer"), so that a typo in
 * a pack fails loudly instead of silently disabling a check. What a format cannot say (allowed
 * values, one constraint per check, the variables templates use) is checked after it. Names of
 * rules and shapes are resolved once every pack is read (ruleset_build.c). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/el_pack.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"

typedef struct loader {
    const el_pack_doc *pack;
    ecrlint_error *err;
    el_ruleset *rs;
    el_pack_room *room;
    bool compile_patterns;
    char path[512]; /* the key path of the value being read: "rules[3].exception" */
} loader;

/* ---- key paths and errors ------------------------------------------------------------------- */

/* push_key appends ".key" and push_index "[i]" to the path; both return the length to pop to. */
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

/* An error of the pack at the current key path; returns ECRLINT_ERR_RULES. */
static ecrlint_status fail(loader *ld, const char *fmt, ...) EL_PRINTF(2, 3);
static ecrlint_status fail(loader *ld, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return el_error_set(ld->err, ECRLINT_ERR_RULES, ld->pack->source, 0, 0, "%s: %s",
                        ld->path[0] ? ld->path : "(top level)", msg);
}

static ecrlint_status nomem(loader *ld)
{
    return el_error_set(ld->err, ECRLINT_ERR_NOMEM, ld->pack->source, 0, 0, "out of memory");
}

/* ---- unpacking one object ------------------------------------------------------------------- */

/* unpack's formats are flat objects: "{s:s, s?b, s?I, s?o}", each key followed by one value
 * token of s (const char **), b or i (int *), I (json_int_t *) or o (json_t **). This walks
 * `ap` as the format does up to fmt[at] and returns the key that token belongs to (NULL for
 * the object itself), with its value token in *token; or, when `find` is not NULL, whether
 * the format has the key `find`. `list`, when not NULL, receives the keys, comma-separated. */
static const char *format_key(const char *fmt, size_t at, va_list ap, char *token, const char *find,
                              bool *found, el_buf *list)
{
    const char *key = NULL;
    bool want_key = false;
    for (size_t i = 0; fmt[i] && i <= at; i++) {
        char c = fmt[i];
        if (c == '{' || c == ',') {
            want_key = true;
        } else if (c == ' ' || c == ':' || c == '?' || c == '}') {
            continue;
        } else if (want_key) {
            key = va_arg(ap, const char *);
            want_key = false;
            if (find && strcmp(key, find) == 0)
                *found = true;
            if (list) {
                el_buf_puts(list, list->len ? ", " : "");
                el_buf_puts(list, key);
            }
        } else {
            *token = c;
            if (c == 's')
                (void)va_arg(ap, const char **);
            else if (c == 'b' || c == 'i')
                (void)va_arg(ap, int *);
            else if (c == 'I')
                (void)va_arg(ap, json_int_t *);
            else
                (void)va_arg(ap, json_t **);
        }
    }
    return key;
}

static const char *token_type(char token)
{
    switch (token) {
    case 's':
        return "string";
    case 'b':
        return "boolean";
    case 'i':
    case 'I':
        return "integer";
    default:
        return "value";
    }
}

/* The first key of obj that the format does not list, or NULL. */
static const char *unknown_key(const json_t *obj, const char *fmt, va_list ap)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        bool known = false;
        char token;
        va_list w;
        va_copy(w, ap);
        format_key(fmt, strlen(fmt), w, &token, key, &known, NULL);
        va_end(w);
        if (!known)
            return key;
    }
    return NULL;
}

/* json_unpack_ex(obj, ..., JSON_STRICT, fmt, ...) for the object at the current key path. On
 * failure the error names the key: "rules[0].title: Expected string, got integer",
 * "rules[0].source: required string is missing", "rules[0].titel: unknown key (known: id,
 * ...)". An unknown key is reported before what else is wrong: it is most often a typo, and
 * the cause of a key missing. */
static ecrlint_status unpack(loader *ld, const json_t *obj, const char *fmt, ...)
{
    json_error_t jerr;
    va_list ap, walk;
    va_start(ap, fmt);
    va_copy(walk, ap);
    int rc = json_vunpack_ex((json_t *)obj, &jerr, JSON_STRICT, fmt, ap);
    va_end(ap);
    ecrlint_status st = ECRLINT_OK;
    char token = 0;
    const char *unknown = rc && json_is_object(obj) ? unknown_key(obj, fmt, walk) : NULL;
    if (rc == 0) {
        st = ECRLINT_OK;
    } else if (json_error_code(&jerr) == json_error_out_of_memory) {
        st = nomem(ld);
    } else if (unknown) {
        el_buf keys;
        el_buf_init(&keys);
        va_list w;
        va_copy(w, walk);
        format_key(fmt, strlen(fmt), w, &token, NULL, NULL, &keys);
        va_end(w);
        push_key(ld, unknown);
        st = keys.failed ? nomem(ld)
                         : fail(ld, "unknown key (known: %s)", keys.data ? keys.data : "none");
        el_buf_free(&keys);
    } else {
        /* jansson's position is 1-based, at the format token that failed */
        size_t at = jerr.position > 0 ? (size_t)jerr.position - 1 : 0;
        const char *key = format_key(fmt, at, walk, &token, NULL, NULL, NULL);
        if (key)
            push_key(ld, key);
        if (json_error_code(&jerr) == json_error_item_not_found)
            st = fail(ld, "required %s is missing", token_type(token));
        else
            st = fail(ld, "%s", jerr.text);
    }
    va_end(walk);
    return st;
}

/* ---- values --------------------------------------------------------------------------------- */

/* *out = a copy of s (NULL for NULL). */
static ecrlint_status dup(loader *ld, const char *s, char **out)
{
    *out = NULL;
    if (s && !(*out = el_strdup(s)))
        return nomem(ld);
    return ECRLINT_OK;
}

/* The same, for the const strings of ecrlint_rule_info. */
static ecrlint_status dup_const(loader *ld, const char *s, const char **out)
{
    char *d;
    ecrlint_status st = dup(ld, s, &d);
    *out = d;
    return st;
}

/* An array of strings at `key` (NULL: at the current path); v may be NULL: no strings. */
static ecrlint_status string_list(loader *ld, const char *key, const json_t *v, char ***out,
                                  size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!v)
        return ECRLINT_OK;
    size_t mark = key ? push_key(ld, key) : strlen(ld->path);
    if (!json_is_array(v))
        return fail(ld, "must be an array of strings");
    size_t len = json_array_size(v);
    *out = el_calloc(len ? len : 1, sizeof **out);
    if (!*out)
        return nomem(ld);
    for (size_t i = 0; i < len; i++) {
        const json_t *s = json_array_get(v, i);
        if (!json_is_string(s)) {
            push_index(ld, i);
            return fail(ld, "must be a string");
        }
        if (!((*out)[i] = el_strdup(json_string_value(s))))
            return nomem(ld);
        *n = i + 1;
    }
    pop(ld, mark);
    return ECRLINT_OK;
}

/* Room for `need` elements in an array of the ruleset, which grows while packs load. */
static ecrlint_status grow(loader *ld, void *items_ptr, size_t *cap, size_t need, size_t elem)
{
    return el_grow(items_ptr, cap, need, elem, 16) ? ECRLINT_OK : nomem(ld);
}

static const struct {
    const char *name;
    el_type type;
} type_names[] = {{"any", EL_T_ANY},
                  {"structure", EL_T_STRUCTURE},
                  {"list", EL_T_LIST},
                  {"map", EL_T_MAP},
                  {"string", EL_T_STRING},
                  {"integer", EL_T_INTEGER},
                  {"double", EL_T_DOUBLE},
                  {"boolean", EL_T_BOOLEAN},
                  {"timestamp", EL_T_TIMESTAMP},
                  {"long", EL_T_LONG},
                  {"blob", EL_T_BLOB}};

const char *el_type_name(el_type t)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (type_names[i].type == t)
            return type_names[i].name;
    return "any";
}

/* The type named s at `key`. */
static ecrlint_status parse_type(loader *ld, const char *key, const char *s, el_type *out)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(type_names[i].name, s) == 0) {
            *out = type_names[i].type;
            return ECRLINT_OK;
        }
    push_key(ld, key);
    return fail(ld, "unknown type (any, structure, list, map, string, integer, long, double, "
                    "boolean, timestamp)");
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

/* The rule's "vars" are exactly the variables its templates use: each a variable name, once. */
static ecrlint_status check_vars(loader *ld, const el_rule *r)
{
    const el_tpl *tpls[] = {&r->message_tpl, &r->exception_tpl, &r->reason_tpl, &r->item_tpl};
    static const char *const keys[] = {"message", "exception.message", "failure.reason",
                                       "exception.itemMessage"};
    for (size_t t = 0; t < 4; t++)
        for (size_t i = 0; i < tpls[t]->n; i++) {
            const el_tpl_part *p = &tpls[t]->parts[i];
            if (!p->var || !el_tpl_var_name(p->text + 1, p->len - 2))
                continue;
            bool declared = false;
            for (size_t k = 0; k < r->nvars && !declared; k++)
                declared = strlen(r->vars[k]) == p->len - 2 &&
                           memcmp(r->vars[k], p->text + 1, p->len - 2) == 0;
            if (declared)
                continue;
            push_key(ld, keys[t]);
            return fail(ld, "uses %.*s, which \"vars\" does not declare", (int)p->len, p->text);
        }
    for (size_t k = 0; k < r->nvars; k++) {
        const char *v = r->vars[k];
        bool again = false;
        for (size_t j = 0; j < k && !again; j++)
            again = strcmp(r->vars[j], v) == 0;
        bool used = false;
        for (size_t t = 0; t < 4 && !used; t++)
            used = el_tpl_uses(tpls[t], v);
        if (el_tpl_var_name(v, strlen(v)) && !again && used)
            continue;
        push_key(ld, "vars");
        push_index(ld, k);
        if (!el_tpl_var_name(v, strlen(v)))
            return fail(ld, "'%s' is not a variable name (letters, digits and '_')", v);
        if (again)
            return fail(ld, "'%s' is declared twice", v);
        return fail(ld, "'%s' is used by no template", v);
    }
    return ECRLINT_OK;
}

/* "exception": {"code", "message", "itemMessage"?} or "failure": {"code", "reason"}; item is
 * NULL for a failure. */
static ecrlint_status load_outcome(loader *ld, const char *key, const json_t *obj,
                                   const char *text_key, const char **code, const char **text,
                                   char **item)
{
    const char *c, *t, *it = NULL;
    size_t mark = push_key(ld, key);
    ecrlint_status st =
        item ? unpack(ld, obj, "{s:s, s:s, s?s}", "code", &c, text_key, &t, "itemMessage", &it)
             : unpack(ld, obj, "{s:s, s:s}", "code", &c, text_key, &t);
    if (st)
        return st;
    if (item) {
        st = dup(ld, it, item);
        if (st)
            return st;
    }
    st = dup_const(ld, c, code);
    if (st)
        return st;
    st = dup_const(ld, t, text);
    if (st)
        return st;
    pop(ld, mark);
    return ECRLINT_OK;
}

/* The keys of a rule's "examples" other than bad and good say how the examples are checked
 * (rules/README.md, "Examples"). They are kept, in pack order, as one compact JSON object in
 * info.example_options; NULL when there are none. */
static ecrlint_status load_examples(loader *ld, const json_t *exm, el_rule *r)
{
    const char *bad = NULL, *good = NULL, *operation = NULL, *media_type = NULL, *input = NULL;
    json_t *accept = NULL, *pack = NULL, *also = NULL, *args = NULL;
    json_int_t max_file_size = 1, max_depth = 1, pad_to = 1;
    size_t mark = push_key(ld, "examples");
    const char *untestable = NULL;
    ecrlint_status st = unpack(
        ld, exm, "{s?s, s?s, s?s, s?s, s?s, s?o, s?I, s?I, s?I, s?o, s?o, s?s, s?o}", "bad", &bad,
        "good", &good, "operation", &operation, "mediaType", &media_type, "input", &input, "accept",
        &accept, "maxFileSize", &max_file_size, "maxDepth", &max_depth, "padTo", &pad_to, "pack",
        &pack, "also", &also, "untestable", &untestable, "args", &args);
    if (st)
        return st;
    const char *lists[] = {"accept", "also", "args"};
    json_t *list_values[] = {accept, also, args};
    for (size_t i = 0; i < 3; i++) {
        char **list;
        size_t n;
        st = string_list(ld, lists[i], list_values[i], &list, &n);
        el_string_list_free(list, n);
        if (st)
            return st;
    }
    if (max_file_size <= 0 || max_depth <= 0 || pad_to <= 0) {
        push_key(ld, max_file_size <= 0 ? "maxFileSize" : max_depth <= 0 ? "maxDepth" : "padTo");
        return fail(ld, "must be a positive integer");
    }
    if (pack && !json_is_object(pack)) {
        push_key(ld, "pack");
        return fail(ld, "must be an object (a rule pack)");
    }
    if (input && strcmp(input, "json") != 0 && strcmp(input, "http") != 0 &&
        strcmp(input, "path") != 0) {
        push_key(ld, "input");
        return fail(ld, "must be \"json\", \"http\" or \"path\"");
    }
    st = dup_const(ld, bad, &r->info.bad_example);
    if (st)
        return st;
    st = dup_const(ld, good, &r->info.good_example);
    if (st)
        return st;
    if (json_object_size(exm) > (size_t)(bad != NULL) + (good != NULL)) {
        json_t *o = json_object(); /* the same values, shared, without bad and good */
        bool ok = o != NULL;
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)exm, key, v)
        {
            if (ok && strcmp(key, "bad") != 0 && strcmp(key, "good") != 0)
                ok = json_object_set(o, key, v) == 0;
        }
        char *text = ok ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(o);
        st = text ? dup_const(ld, text, &r->info.example_options) : nomem(ld);
        el_json_free(text);
        if (st)
            return st;
    }
    pop(ld, mark);
    return ECRLINT_OK;
}

static ecrlint_status load_rule(loader *ld, const json_t *obj, el_rule *r)
{
    const char *id, *severity, *title, *source, *scope = NULL, *help = NULL, *conf = NULL;
    const char *message = NULL;
    json_t *exception = NULL, *failure = NULL, *examples = NULL, *vars = NULL;
    int after_validation = 0, breaks_spec = 0, client_refuses = 0;
    memset(r, 0, sizeof *r);
    ecrlint_status st = unpack(
        ld, obj, "{s:s, s:s, s:s, s:s, s?s, s?s, s?s, s?s, s?o, s?o, s?o, s?b, s?b, s?o, s?b}",
        "id", &id, "severity", &severity, "title", &title, "source", &source, "scope", &scope,
        "help", &help, "confidence", &conf, "message", &message, "exception", &exception, "failure",
        &failure, "examples", &examples, "afterValidation", &after_validation, "breaksSpec",
        &breaks_spec, "vars", &vars, "clientRefuses", &client_refuses);
    if (st)
        return st;
    if (!valid_rule_id(id)) {
        push_key(ld, "id");
        return fail(ld, "'%s' is not a valid rule id (letters, digits, '-' and '_', at most 32)",
                    id);
    }
    int sev = ecrlint_severity_parse(severity);
    if (sev < 0) {
        push_key(ld, "severity");
        return fail(ld, "must be \"error\", \"warning\" or \"info\"");
    }
    if (conf && strcmp(conf, "high") != 0 && strcmp(conf, "medium") != 0 &&
        strcmp(conf, "low") != 0) {
        push_key(ld, "confidence");
        return fail(ld, "must be \"high\", \"medium\" or \"low\"");
    }
    if (exception && failure)
        return fail(ld, "a rule predicts an exception or a failure, not both");
    if (after_validation && !exception) {
        push_key(ld, "afterValidation");
        return fail(ld, "true only on a rule with an exception");
    }
    r->info.severity = (ecrlint_severity)sev;
    r->after_validation = after_validation;
    r->breaks_spec = breaks_spec;
    r->client_refuses = client_refuses;
    const struct {
        const char *from;
        const char **to;
    } copies[] = {{id, &r->info.id},
                  {scope, &r->info.scope},
                  {title, &r->info.title},
                  {help, &r->info.help},
                  {source, &r->info.source},
                  {conf ? conf : "high", &r->info.confidence},
                  {ld->pack->name, &r->info.pack}};
    for (size_t i = 0; i < sizeof copies / sizeof copies[0]; i++) {
        st = dup_const(ld, copies[i].from, copies[i].to);
        if (st)
            return st;
    }
    st = dup(ld, message, &r->message);
    if (st)
        return st;
    if (exception) {
        st = load_outcome(ld, "exception", exception, "message", &r->info.exception,
                          &r->info.exception_message, &r->item_message);
        if (st)
            return st;
    }
    if (failure) {
        st = load_outcome(ld, "failure", failure, "reason", &r->info.failure,
                          &r->info.failure_reason, NULL);
        if (st)
            return st;
    }
    if (examples) {
        st = load_examples(ld, examples, r);
        if (st)
            return st;
    }
    st = string_list(ld, "vars", vars, &r->vars, &r->nvars);
    if (st)
        return st;
    const char *texts[] = {r->message, r->info.exception_message, r->info.failure_reason,
                           r->item_message};
    el_tpl *tpls[] = {&r->message_tpl, &r->exception_tpl, &r->reason_tpl, &r->item_tpl};
    for (size_t i = 0; i < 4; i++)
        if (el_tpl_compile(texts[i], tpls[i]))
            return nomem(ld);
    return check_vars(ld, r);
}

/* ---- shapes --------------------------------------------------------------------------------- */

static const struct {
    const char *key;
    el_check_kind kind;
    el_type applies; /* EL_T_ANY: numbers (integer, double, timestamp) */
} check_keys[] = {
    {"minLength", EL_CK_MIN_LENGTH, EL_T_STRING},
    {"maxLength", EL_CK_MAX_LENGTH, EL_T_STRING},
    {"pattern", EL_CK_PATTERN, EL_T_STRING},
    {"enum", EL_CK_ENUM, EL_T_STRING},
    {"min", EL_CK_MIN, EL_T_ANY},
    {"max", EL_CK_MAX, EL_T_ANY},
    {"minItems", EL_CK_MIN_ITEMS, EL_T_LIST},
    {"maxItems", EL_CK_MAX_ITEMS, EL_T_LIST},
    {"uniqueItems", EL_CK_UNIQUE_ITEMS, EL_T_LIST},
    {"manifest", EL_CK_DOCUMENT, EL_T_STRING},
    {"document", EL_CK_DOCUMENT, EL_T_STRING},
};

static ecrlint_status load_pattern(loader *ld, const char *source, el_check *c)
{
    c->regex = el_calloc(1, sizeof *c->regex);
    if (!c->regex)
        return nomem(ld);
    pthread_mutex_init(&c->regex->lock, NULL);
    if (!(c->regex->source = el_strdup(source)))
        return nomem(ld);
    ecrlint_status st = ld->compile_patterns ? el_regex_compile(c->regex) : ECRLINT_OK;
    if (st == ECRLINT_ERR_NOMEM)
        return nomem(ld);
    if (st) {
        PCRE2_UCHAR text[160];
        pcre2_get_error_message(c->regex->error, text, sizeof text);
        return fail(ld, "invalid pattern at offset %zu: %s", c->regex->error_offset,
                    (const char *)text);
    }
    return ECRLINT_OK;
}

static ecrlint_status load_enum(loader *ld, const json_t *val, el_check *c)
{
    if (!json_is_array(val) || json_array_size(val) == 0)
        return fail(ld, "must be a non-empty array of strings");
    ecrlint_status st = string_list(ld, NULL, val, &c->values, &c->nvalues);
    if (st)
        return st;
    el_buf text;
    el_buf_init(&text);
    el_buf_putc(&text, '[');
    for (size_t i = 0; i < c->nvalues; i++) {
        el_buf_puts(&text, i ? ", " : "");
        el_buf_puts(&text, c->values[i]);
        c->value_lengths |= (uint64_t)1 << (strlen(c->values[i]) % 64);
    }
    el_buf_putc(&text, ']');
    if (!(c->values_text = el_buf_take(&text)))
        return nomem(ld);
    return ECRLINT_OK;
}

/* "manifest": true, or {"mediaTypeMember": "...", "digestMember": "..."} naming sibling
 * members; "document": the name of a kind of document ("lifecyclePolicy"), or {"name": ...,
 * "mediaTypeMember": ..., "digestMember": ...}. Which names exist is the driver's business
 * (input/kinds.c): a name without a checker there is not checked. */
static ecrlint_status load_document(loader *ld, const json_t *val, bool manifest, el_check *c)
{
    const char *name = manifest ? "manifest" : NULL;
    const char *media_type = NULL, *digest = NULL;
    ecrlint_status st = ECRLINT_OK;
    if (manifest && json_is_true(val)) {
        /* the manifest with no siblings */
    } else if (!manifest && json_is_string(val)) {
        name = json_string_value(val);
    } else if (json_is_object(val)) {
        st = manifest ? unpack(ld, val, "{s?s, s?s}", "mediaTypeMember", &media_type,
                               "digestMember", &digest)
                      : unpack(ld, val, "{s:s, s?s, s?s}", "name", &name, "mediaTypeMember",
                               &media_type, "digestMember", &digest);
    } else {
        return fail(ld, manifest ? "must be true or an object with mediaTypeMember and "
                                   "digestMember"
                                 : "must be a document name or an object with name, "
                                   "mediaTypeMember and digestMember");
    }
    if (!st && !name[0])
        return fail(ld, "the document name must not be empty");
    if (!st)
        st = dup(ld, name, &c->document);
    if (!st)
        st = dup(ld, media_type, &c->media_type_member);
    if (!st)
        st = dup(ld, digest, &c->digest_member);
    return st;
}

static ecrlint_status load_check(loader *ld, const json_t *obj, el_type type, el_check *c)
{
    const char *rule;
    json_t *v[sizeof check_keys / sizeof check_keys[0]] = {NULL}, *covers = NULL;
    int if_valid = 0;
    memset(c, 0, sizeof *c);
    ecrlint_status st = unpack(
        ld, obj, "{s:s, s?b, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o}", "rule",
        &rule, "ifValid", &if_valid, "covers", &covers, "minLength", &v[0], "maxLength", &v[1],
        "pattern", &v[2], "enum", &v[3], "min", &v[4], "max", &v[5], "minItems", &v[6], "maxItems",
        &v[7], "uniqueItems", &v[8], "manifest", &v[9], "document", &v[10]);
    if (st)
        return st;
    size_t k = sizeof check_keys / sizeof check_keys[0];
    for (size_t i = 0; i < sizeof check_keys / sizeof check_keys[0]; i++) {
        if (!v[i])
            continue;
        size_t mark = push_key(ld, check_keys[i].key);
        if (k < sizeof check_keys / sizeof check_keys[0])
            return fail(ld, "a check has one constraint; '%s' is already given", check_keys[k].key);
        bool numeric = type == EL_T_INTEGER || type == EL_T_LONG || type == EL_T_DOUBLE ||
                       type == EL_T_TIMESTAMP;
        bool blob_length = type == EL_T_BLOB && (check_keys[i].kind == EL_CK_MIN_LENGTH ||
                                                 check_keys[i].kind == EL_CK_MAX_LENGTH);
        if (check_keys[i].applies == EL_T_ANY ? !numeric
                                              : check_keys[i].applies != type && !blob_length)
            return fail(ld, "'%s' does not apply to a %s", check_keys[i].key, el_type_name(type));
        pop(ld, mark);
        k = i;
    }
    if (k == sizeof check_keys / sizeof check_keys[0])
        return fail(ld, "a check needs a constraint (one of minLength, maxLength, pattern, enum, "
                        "min, max, minItems, maxItems, uniqueItems, manifest, document)");
    c->kind = check_keys[k].kind;
    c->if_valid = if_valid;
    st = dup(ld, rule, &c->rule_id);
    if (st)
        return st;
    const json_t *val = v[k];
    size_t mark = push_key(ld, check_keys[k].key);
    switch (c->kind) {
    case EL_CK_PATTERN:
        if (!json_is_string(val))
            return fail(ld, "must be a string (a PCRE2 pattern)");
        st = load_pattern(ld, json_string_value(val), c);
        break;
    case EL_CK_ENUM:
        st = load_enum(ld, val, c);
        break;
    case EL_CK_UNIQUE_ITEMS:
        if (!json_is_true(val))
            return fail(ld, "must be true");
        break;
    case EL_CK_DOCUMENT:
        st = load_document(ld, val, strcmp(check_keys[k].key, "manifest") == 0, c);
        break;
    default:
        if (!json_is_integer(val))
            return fail(ld, "must be an integer");
        c->number = json_integer_value(val);
        if ((c->kind == EL_CK_MIN_LENGTH || c->kind == EL_CK_MAX_LENGTH ||
             c->kind == EL_CK_MIN_ITEMS || c->kind == EL_CK_MAX_ITEMS) &&
            c->number < 0)
            return fail(ld, "must not be negative");
        break;
    }
    if (!st)
        pop(ld, mark);
    return st;
}

/* "covers": the rules of other pattern checks of the shape that this pattern implies. */
static ecrlint_status load_covers(loader *ld, const json_t *cv, el_shape *s, size_t self)
{
    size_t m = push_key(ld, "covers");
    if (s->checks[self].kind != EL_CK_PATTERN)
        return fail(ld, "only a pattern check covers others");
    if (s->nchecks > EL_COVER_MAX_CHECKS)
        return fail(ld, "a shape with covering checks has at most %d checks", EL_COVER_MAX_CHECKS);
    if (!json_is_array(cv) || json_array_size(cv) == 0)
        return fail(ld, "must be a non-empty array of rule IDs");
    for (size_t k = 0; k < json_array_size(cv); k++) {
        const json_t *id = json_array_get(cv, k);
        size_t mk = push_index(ld, k);
        if (!json_is_string(id))
            return fail(ld, "must be a rule ID");
        size_t found = s->nchecks;
        for (size_t i = 0; i < s->nchecks && found == s->nchecks; i++)
            if (i != self && s->checks[i].kind == EL_CK_PATTERN &&
                strcmp(s->checks[i].rule_id, json_string_value(id)) == 0)
                found = i;
        if (found == s->nchecks)
            return fail(ld, "'%s' is not the rule of another pattern check of this shape",
                        json_string_value(id));
        s->checks[self].covers |= (uint64_t)1 << found;
        pop(ld, mk);
    }
    pop(ld, m);
    return ECRLINT_OK;
}

static ecrlint_status load_checks(loader *ld, const json_t *checks, el_shape *s)
{
    size_t m = push_key(ld, "checks");
    if (!json_is_array(checks))
        return fail(ld, "must be an array");
    s->checks = el_calloc(json_array_size(checks) + 1, sizeof *s->checks);
    if (!s->checks)
        return nomem(ld);
    ecrlint_status st;
    for (size_t i = 0; i < json_array_size(checks); i++) {
        size_t mi = push_index(ld, i);
        s->nchecks = i + 1;
        st = load_check(ld, json_array_get(checks, i), s->type, &s->checks[i]);
        if (st)
            return st;
        pop(ld, mi);
    }
    /* after all checks: a claim names the rules of later checks too */
    for (size_t i = 0; i < json_array_size(checks); i++) {
        const json_t *cv = json_object_get(json_array_get(checks, i), "covers");
        size_t mi = push_index(ld, i);
        if (cv) {
            st = load_covers(ld, cv, s, i);
            if (st)
                return st;
        }
        pop(ld, mi);
    }
    pop(ld, m);
    return ECRLINT_OK;
}

static ecrlint_status load_members(loader *ld, const json_t *members, el_shape *s)
{
    size_t m = push_key(ld, "members");
    if (s->type != EL_T_STRUCTURE)
        return fail(ld, "only a structure has members");
    if (!json_is_array(members))
        return fail(ld, "must be an array (model order matters)");
    s->members = el_calloc(json_array_size(members) + 1, sizeof *s->members);
    if (!s->members)
        return nomem(ld);
    ecrlint_status st;
    for (size_t i = 0; i < json_array_size(members); i++) {
        const char *name, *shape, *required = NULL, *doc = NULL;
        size_t mi = push_index(ld, i);
        st = unpack(ld, json_array_get(members, i), "{s:s, s:s, s?s, s?s}", "name", &name, "shape",
                    &shape, "required", &required, "doc", &doc);
        if (st)
            return st;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->members[j].name, name) == 0)
                return fail(ld, "member '%s' is listed twice", name);
        el_member *mem = &s->members[i];
        s->nmembers = i + 1;
        const char *from[] = {name, shape, required};
        char **to[] = {&mem->name, &mem->shape_name, &mem->required_rule};
        for (size_t k = 0; k < 3; k++) {
            st = dup(ld, from[k], to[k]);
            if (st)
                return st;
        }
        pop(ld, mi);
    }
    pop(ld, m);
    return ECRLINT_OK;
}

/* A group's "when": {"member": NAME, "in": [VALUES]} or {"member": NAME, "notIn": [VALUES]}. */
static ecrlint_status load_when(loader *ld, const json_t *obj, el_group *g)
{
    const char *member;
    json_t *in = NULL, *not_in = NULL;
    size_t mark = push_key(ld, "when");
    ecrlint_status st =
        unpack(ld, obj, "{s:s, s?o, s?o}", "member", &member, "in", &in, "notIn", &not_in);
    if (st)
        return st;
    if (!in == !not_in)
        return fail(ld, "give one of \"in\" and \"notIn\"");
    g->when_not = not_in != NULL;
    st = dup(ld, member, &g->when_member);
    if (st)
        return st;
    st = string_list(ld, in ? "in" : "notIn", in ? in : not_in, &g->when_values, &g->nwhen_values);
    if (st)
        return st;
    pop(ld, mark);
    return ECRLINT_OK;
}

static ecrlint_status load_group(loader *ld, const json_t *obj, el_group_kind kind, el_group *g)
{
    const char *with = NULL, *rule;
    json_t *members, *when = NULL;
    memset(g, 0, sizeof *g);
    g->kind = kind;
    ecrlint_status st =
        unpack(ld, obj, kind == EL_GROUP_CONFLICT ? "{s:o, s:s, s:s, s?o}" : "{s:o, s?s, s:s, s?o}",
               "members", &members, "with", &with, "rule", &rule, "when", &when);
    if (st)
        return st;
    if (when) {
        st = load_when(ld, when, g);
        if (st)
            return st;
    }
    st = string_list(ld, "members", members, &g->members, &g->nmembers);
    if (st)
        return st;
    if (g->nmembers == 0)
        return fail(ld, "\"members\" must list at least one member");
    st = dup(ld, with, &g->with);
    if (st)
        return st;
    return dup(ld, rule, &g->rule_id);
}

/* "anyOf", "conflicts" and "allOf": arrays of member groups. */
static ecrlint_status load_groups(loader *ld, el_shape *s, json_t *const arrs[3])
{
    static const struct {
        const char *key;
        el_group_kind kind;
    } groups[] = {
        {"anyOf", EL_GROUP_ANY_OF}, {"conflicts", EL_GROUP_CONFLICT}, {"allOf", EL_GROUP_ALL_OF}};
    size_t n = 0;
    for (size_t g = 0; g < 3; g++)
        n += json_is_array(arrs[g]) ? json_array_size(arrs[g]) : 0;
    if (n && !(s->groups = el_calloc(n, sizeof *s->groups)))
        return nomem(ld);
    for (size_t g = 0; g < 3; g++) {
        if (!arrs[g])
            continue;
        size_t m = push_key(ld, groups[g].key);
        if (s->type != EL_T_STRUCTURE)
            return fail(ld, "only a structure has member groups");
        if (!json_is_array(arrs[g]))
            return fail(ld, "must be an array");
        for (size_t i = 0; i < json_array_size(arrs[g]); i++) {
            size_t mi = push_index(ld, i);
            ecrlint_status st = load_group(ld, json_array_get(arrs[g], i), groups[g].kind,
                                           &s->groups[s->ngroups++]);
            if (st)
                return st;
            pop(ld, mi);
        }
        pop(ld, m);
    }
    return ECRLINT_OK;
}

static ecrlint_status load_shape(loader *ld, const char *name, const json_t *obj, el_shape **out)
{
    const char *type, *member = NULL, *value = NULL, *doc = NULL, *conf = NULL;
    json_t *checks = NULL, *members = NULL, *groups[3] = {NULL};
    int open = 0, amend = 0, capitalize = 0;
    el_shape *s = el_calloc(1, sizeof *s);
    if (!s)
        return nomem(ld);
    *out = s;
    if (!(s->name = el_strdup(name)))
        return nomem(ld);
    ecrlint_status st =
        unpack(ld, obj, "{s:s, s?o, s?o, s?s, s?s, s?o, s?o, s?o, s?b, s?s, s?b, s?b, s?s}", "type",
               &type, "checks", &checks, "members", &members, "member", &member, "value", &value,
               "anyOf", &groups[0], "conflicts", &groups[1], "allOf", &groups[2], "open", &open,
               "doc", &doc, "amend", &amend, "capitalize", &capitalize, "confidence", &conf);
    if (st)
        return st;
    st = parse_type(ld, "type", type, &s->type);
    if (st)
        return st;
    s->open = open;
    s->amend = amend;
    s->capitalize = capitalize;
    if (amend && (s->type != EL_T_STRUCTURE || checks || members || open || capitalize || conf))
        return fail(ld, "an \"amend\" shape is a structure that only adds member groups");
    if (conf) {
        if (strcmp(conf, "medium") != 0 && strcmp(conf, "low") != 0) {
            push_key(ld, "confidence");
            return fail(ld, "must be \"medium\" or \"low\" (a shape only lowers its rules')");
        }
        if (!checks) {
            push_key(ld, "confidence");
            return fail(ld, "only on a shape with checks");
        }
        if (!(s->confidence = el_strdup(conf)))
            return nomem(ld);
    }
    if (checks) {
        st = load_checks(ld, checks, s);
        if (st)
            return st;
    }
    if (members) {
        st = load_members(ld, members, s);
        if (st)
            return st;
    }
    const char *item_key = s->type == EL_T_LIST ? "member" : s->type == EL_T_MAP ? "value" : NULL;
    const char *item = s->type == EL_T_LIST ? member : s->type == EL_T_MAP ? value : NULL;
    if (item_key && !item) {
        push_key(ld, item_key);
        return fail(ld, "required string is missing");
    }
    if (!item_key && (member || value))
        return fail(ld, "\"member\" is for lists and \"value\" for maps");
    st = dup(ld, item, &s->item_name);
    if (st)
        return st;
    return load_groups(ld, s, groups);
}

/* ---- operations ----------------------------------------------------------------------------- */

/* "failures": {"list": member, "remap": {from: to, ...}} */
static ecrlint_status load_failures(loader *ld, const json_t *obj, el_operation *op)
{
    const char *list;
    json_t *remap = NULL;
    size_t m = push_key(ld, "failures");
    ecrlint_status st = unpack(ld, obj, "{s:s, s?o}", "list", &list, "remap", &remap);
    if (st)
        return st;
    st = dup(ld, list, &op->failure_list);
    if (st)
        return st;
    if (remap) {
        push_key(ld, "remap");
        if (!json_is_object(remap))
            return fail(ld, "must be an object mapping rule ids to rule ids");
        op->remaps = el_calloc(json_object_size(remap) + 1, sizeof *op->remaps);
        if (!op->remaps)
            return nomem(ld);
        const char *key;
        const json_t *v;
        json_object_foreach(remap, key, v)
        {
            if (!json_is_string(v)) {
                push_key(ld, key);
                return fail(ld, "must be a rule id");
            }
            el_remap *r = &op->remaps[op->nremaps++];
            st = dup(ld, key, &r->from);
            if (st)
                return st;
            st = dup(ld, json_string_value(v), &r->to);
            if (st)
                return st;
        }
    }
    pop(ld, m);
    return ECRLINT_OK;
}

/* "detect": [{"any"|"all": [members], "priority": n}, ...] */
static ecrlint_status load_detects(loader *ld, const json_t *de, el_operation *op)
{
    size_t m = push_key(ld, "detect");
    if (!json_is_array(de))
        return fail(ld, "must be an array of {\"any\"|\"all\": [members], \"priority\": n}");
    op->detects = el_calloc(json_array_size(de) + 1, sizeof *op->detects);
    if (!op->detects)
        return nomem(ld);
    for (size_t i = 0; i < json_array_size(de); i++) {
        json_t *any = NULL, *all = NULL;
        int priority = 0;
        size_t mi = push_index(ld, i);
        ecrlint_status st = unpack(ld, json_array_get(de, i), "{s?o, s?o, s?i}", "any", &any, "all",
                                   &all, "priority", &priority);
        if (st)
            return st;
        if (!any == !all)
            return fail(ld, "give exactly one of \"any\" and \"all\"");
        el_detect *dt = &op->detects[op->ndetects++];
        dt->all = all != NULL;
        dt->priority = priority;
        st = string_list(ld, all ? "all" : "any", all ? all : any, &dt->members, &dt->nmembers);
        if (st)
            return st;
        pop(ld, mi);
    }
    pop(ld, m);
    return ECRLINT_OK;
}

static ecrlint_status load_operation(loader *ld, const json_t *obj, el_operation *op)
{
    const char *name, *kind, *target = NULL, *input, *doc = NULL;
    json_t *failures = NULL, *detect = NULL, *names = NULL;
    memset(op, 0, sizeof *op);
    ecrlint_status st = unpack(ld, obj, "{s:s, s:s, s?s, s:s, s?o, s?o, s?o, s?s}", "name", &name,
                               "kind", &kind, "target", &target, "input", &input, "failures",
                               &failures, "detect", &detect, "names", &names, "doc", &doc);
    if (st)
        return st;
    if (strcmp(kind, "request") == 0) {
        op->kind = ECRLINT_KIND_REQUEST;
    } else if (strcmp(kind, "response") == 0) {
        op->kind = ECRLINT_KIND_RESPONSE;
    } else {
        push_key(ld, "kind");
        return fail(ld, "must be \"request\" or \"response\"");
    }
    const char *from[] = {name, target, input};
    char **to[] = {&op->name, &op->target, &op->input_name};
    for (size_t k = 0; k < 3; k++) {
        st = dup(ld, from[k], to[k]);
        if (st)
            return st;
    }
    if (failures) {
        st = load_failures(ld, failures, op);
        if (st)
            return st;
    }
    st = string_list(ld, "names", names, &op->name_hints, &op->nname_hints);
    if (st)
        return st;
    return detect ? load_detects(ld, detect, op) : ECRLINT_OK;
}

/* ---- the pack ------------------------------------------------------------------------------- */

static ecrlint_status load_type_error(loader *ld, const json_t *obj, el_type_error *t)
{
    const char *expected, *actual, *message;
    memset(t, 0, sizeof *t);
    ecrlint_status st = unpack(ld, obj, "{s:s, s:s, s:s}", "expected", &expected, "actual", &actual,
                               "message", &message);
    if (!st)
        st = parse_type(ld, "expected", expected, &t->expected);
    if (!st)
        st = dup(ld, actual, &t->actual);
    if (!st)
        st = dup(ld, message, &t->message);
    return st;
}

static ecrlint_status load_rules(loader *ld, const json_t *rules)
{
    el_ruleset *rs = ld->rs;
    size_t m = push_key(ld, "rules");
    if (!json_is_array(rules))
        return fail(ld, "must be an array");
    for (size_t i = 0; i < json_array_size(rules); i++) {
        size_t mi = push_index(ld, i);
        ecrlint_status st =
            grow(ld, &rs->rules, &ld->room->rules, rs->nrules + 1, sizeof *rs->rules);
        if (st)
            return st;
        st = load_rule(ld, json_array_get(rules, i), &rs->rules[rs->nrules++]);
        if (st)
            return st;
        pop(ld, mi);
    }
    pop(ld, m);
    return ECRLINT_OK;
}

static ecrlint_status load_shapes(loader *ld, const json_t *shapes)
{
    el_ruleset *rs = ld->rs;
    size_t m = push_key(ld, "shapes");
    if (!json_is_object(shapes))
        return fail(ld, "must be an object mapping shape names to shapes");
    const char *name;
    const json_t *v;
    json_object_foreach((json_t *)shapes, name, v)
    {
        size_t mi = push_key(ld, name);
        ecrlint_status st =
            grow(ld, &rs->shapes, &ld->room->shapes, rs->nshapes + 1, sizeof *rs->shapes);
        if (st)
            return st;
        el_shape **slot = &rs->shapes[rs->nshapes++];
        *slot = NULL;
        st = load_shape(ld, name, v, slot);
        if (st)
            return st;
        pop(ld, mi);
    }
    pop(ld, m);
    return ECRLINT_OK;
}

static ecrlint_status load_operations(loader *ld, const json_t *ops)
{
    el_ruleset *rs = ld->rs;
    size_t m = push_key(ld, "operations");
    if (!json_is_array(ops))
        return fail(ld, "must be an array");
    for (size_t i = 0; i < json_array_size(ops); i++) {
        size_t mi = push_index(ld, i);
        ecrlint_status st = grow(ld, &rs->ops, &ld->room->ops, rs->nops + 1, sizeof *rs->ops);
        if (st)
            return st;
        st = load_operation(ld, json_array_get(ops, i), &rs->ops[rs->nops++]);
        if (st)
            return st;
        pop(ld, mi);
    }
    pop(ld, m);
    return ECRLINT_OK;
}

static ecrlint_status load_type_errors(loader *ld, const json_t *tes)
{
    el_ruleset *rs = ld->rs;
    size_t m = push_key(ld, "typeErrors");
    if (!json_is_array(tes))
        return fail(ld, "must be an array");
    for (size_t i = 0; i < json_array_size(tes); i++) {
        size_t mi = push_index(ld, i);
        ecrlint_status st = grow(ld, &rs->type_errors, &ld->room->type_errors, rs->ntype_errors + 1,
                                 sizeof *rs->type_errors);
        if (st)
            return st;
        st = load_type_error(ld, json_array_get(tes, i), &rs->type_errors[rs->ntype_errors++]);
        if (st)
            return st;
        pop(ld, mi);
    }
    pop(ld, m);
    return ECRLINT_OK;
}

ecrlint_status el_pack_load(el_ruleset *rs, el_pack_room *room, const el_pack_doc *pack,
                            bool compile_patterns, ecrlint_error *err)
{
    loader ld = {
        .pack = pack, .err = err, .rs = rs, .room = room, .compile_patterns = compile_patterns};
    json_int_t format;
    const char *name, *version = NULL, *doc = NULL;
    json_t *rules = NULL, *shapes = NULL, *ops = NULL, *type_errors = NULL;
    ecrlint_status st =
        unpack(&ld, pack->doc, "{s:I, s:s, s?s, s?s, s?o, s?o, s?o, s?o}", "format", &format,
               "name", &name, "version", &version, "doc", &doc, "rules", &rules, "shapes", &shapes,
               "operations", &ops, "typeErrors", &type_errors);
    if (st)
        return st;
    if (format != 1) {
        push_key(&ld, "format");
        return fail(&ld, "must be 1 (the only pack format this ecrlint reads)");
    }
    if (version) {
        char *v;
        st = dup(&ld, version, &v);
        if (st)
            return st;
        el_free(rs->version);
        rs->version = v;
    }
    /* each part in turn; a part the pack does not have loads nothing */
    st = rules ? load_rules(&ld, rules) : ECRLINT_OK;
    if (st)
        return st;
    st = shapes ? load_shapes(&ld, shapes) : ECRLINT_OK;
    if (st)
        return st;
    st = ops ? load_operations(&ld, ops) : ECRLINT_OK;
    if (st)
        return st;
    return type_errors ? load_type_errors(&ld, type_errors) : ECRLINT_OK;
}

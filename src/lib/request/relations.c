/* relations.c - the checks of a request that relate members the rule engine cannot relate:
 * a member's value against a table chosen by another member's value, counts across the
 * items of nested lists, numbers that must agree with a blob's size.
 *
 * What the checks compare with stays data: the values and limits come from shapes of the rule
 * packs, named below (a pack changes them, ecrlint explain shows the rules), and each finding
 * is reported with the rule ID the shape's check names. Only the relation itself is code. */
#include <stdio.h>
#include <string.h>

#include "check/el_ctx.h"
#include "request/el_request.h"
#include "rules/el_rules.h"
#include "util/el_buf.h"
#include "util/el_text.h"

/* The string member `name` of obj, or NULL (absent, null or not a string). */
static const char *str_member(const json_t *obj, const char *name)
{
    const json_t *v = json_object_get(obj, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The first check of kind `kind` in the shape named `shape`, or NULL. */
static const el_check *shape_check(const el_ctx *cx, const char *shape, el_check_kind kind)
{
    const el_shape *s = el_ruleset_shape(cx->rs, shape);
    for (size_t i = 0; s && i < s->nchecks; i++)
        if (s->checks[i].kind == kind)
            return &s->checks[i];
    return NULL;
}

/* Does `value` pass the check (a pattern or an enum)? A pattern that cannot be matched (it does
 * not compile, or hits PCRE2's limits) says nothing: *decided is false then. */
static ecrlint_status passes(el_ctx *cx, const el_check *c, const char *value, size_t len, bool *ok,
                             bool *decided)
{
    *ok = true;
    *decided = true;
    if (c->kind == EL_CK_ENUM) {
        *ok = false;
        for (size_t i = 0; i < c->nvalues && !*ok; i++)
            *ok = strlen(c->values[i]) == len && memcmp(c->values[i], value, len) == 0;
        return ECRLINT_OK;
    }
    el_match m = el_regex_match(c->regex, value, len, cx->match.md, cx->match.mctx);
    if (m == EL_MATCH_NOMEM)
        return ECRLINT_ERR_NOMEM;
    *decided = m == EL_MATCH_YES || m == EL_MATCH_NO;
    *ok = m != EL_MATCH_NO;
    return ECRLINT_OK;
}

/* A user's value as a message quotes it: at most 120 code points, "..." after a longer one. */
#define MAX_VALUE_TEXT 120
static const char *cut(el_buf *b, const char *s)
{
    size_t n = 0, i = 0;
    for (; s[i] && n <= MAX_VALUE_TEXT; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++n > MAX_VALUE_TEXT)
            break;
    if (!s[i])
        return s;
    el_buf_printf(b, "%.*s...", (int)i, s);
    return b->failed ? NULL : b->data;
}

/* CreatePullThroughCacheRule: upstreamRegistryUrl is the URL of the upstream registry that
 * upstreamRegistry names. The shape "ptc:UpstreamRegistryUrl:<upstreamRegistry>" holds the
 * pattern of each kind, "ptc:UpstreamRegistryUrl" that of any supported registry (for a request
 * without upstreamRegistry); a kind with no shape (not in the model's enum, which the model's
 * check reports) is not judged. */
static ecrlint_status ptc_url(el_ctx *cx, const json_t *root)
{
    const json_t *url = json_object_get(root, "upstreamRegistryUrl");
    if (!json_is_string(url))
        return ECRLINT_OK;
    const char *kind = str_member(root, "upstreamRegistry");
    char name[96], when[96];
    snprintf(name, sizeof name, "ptc:UpstreamRegistryUrl%s%s", kind ? ":" : "", kind ? kind : "");
    const el_check *c = shape_check(cx, name, EL_CK_PATTERN);
    if (!c)
        return ECRLINT_OK;
    bool ok, decided;
    ecrlint_status st =
        passes(cx, c, json_string_value(url), json_string_length(url), &ok, &decided);
    if (st || ok || !decided)
        return st;
    snprintf(when, sizeof when, "%s%s",
             kind ? "upstreamRegistry " : "any supported upstream registry", kind ? kind : "");
    el_buf b;
    el_buf_init(&b);
    const char *text = cut(&b, json_string_value(url));
    el_var vars[] = {{"value", text}, {"when", when}, {"pattern", c->regex->source}, {NULL, NULL}};
    st = text ? el_report(cx, c->rule_id, "/upstreamRegistryUrl", EL_LOCATE_VALUE, vars)
              : ECRLINT_ERR_NOMEM;
    el_buf_free(&b);
    return st;
}

/* The operations whose members relate in ways the shapes cannot say. */
ecrlint_status el_check_relations(el_ctx *cx, const el_operation *op, const json_t *root)
{
    if (!json_is_object(root) || !op->name)
        return ECRLINT_OK;
    if (strcmp(op->name, "CreatePullThroughCacheRule") == 0)
        return ptc_url(cx, root);
    return ECRLINT_OK;
}

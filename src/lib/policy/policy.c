/* policy.c - repository, registry and IAM policies that grant ecr: actions (el_policy.h).
 *
 * One pass over the document: the top level, then each statement's elements in a fixed order
 * (Sid, Effect, Principal, Action, Resource, Condition), then the security lints of the
 * statement. Nothing recurses into user data beyond the grammar's fixed depth (a Condition's
 * operator, key and values), so a deep or large document costs its size, no more. */
#include <ctype.h>
#include <string.h>

#include "check/el_ctx.h"
#include "policy/el_policy.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_json.h"
#include "util/el_text.h"

/* The data of rules/policy.json the checks read: enum shapes, by name. */
#define SHAPE_ACTIONS "policy:EcrAction"
#define SHAPE_V1 "policy:RegistryPolicyV1Action"
#define SHAPE_PUSH "policy:PushAction"
#define SHAPE_OPERATORS "policy:ConditionOperator"

/* ECR's limit on a policy text, in characters (the model's RepositoryPolicyText and
 * RegistryPolicyText); a request's member is held to it by the model's own rule. */
#define POLICY_TEXT_MAX 10240

#define QUOTE_MAX 64 /* code points of a user's value quoted in a message */

typedef struct pol {
    el_ctx *cx;
    const el_policy_doc *doc;
    const char *policy; /* {policy}: "repository", "registry", "IAM" */
    el_buf ptr;         /* the pointer of the current finding */
    size_t base;        /* ptr's length at the current statement */
    el_buf where;       /* {where}: the statement in plain words */
    el_buf a, b;        /* the texts of one finding */
    const el_check *actions, *v1, *push, *operators;
    size_t *action_len; /* the length of each of actions->values */
    size_t action_len_mem[96];
} pol;

/* ---- small helpers --------------------------------------------------------------------------- */

static bool ieq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return false;
    return true;
}

/* Case-insensitive glob over whole strings: '*' any run, '?' one character (IAM's action
 * wildcards). Linear backtracking on the last '*': O(len(p) * len(s)) at worst. */
static bool glob_ci(const char *p, size_t pn, const char *s, size_t sn)
{
    size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
    while (si < sn) {
        if (pi < pn && (p[pi] == '?' || (p[pi] != '*' && tolower((unsigned char)p[pi]) ==
                                                             tolower((unsigned char)s[si])))) {
            pi++;
            si++;
        } else if (pi < pn && p[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (star != (size_t)-1) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < pn && p[pi] == '*')
        pi++;
    return pi == pn;
}

/* Appends s[0..len) cut at QUOTE_MAX code points, in double quotes. */
static void put_quoted(el_buf *b, const char *s, size_t len)
{
    size_t i = 0, cps = 0;
    while (i < len && cps < QUOTE_MAX) {
        size_t k = el_utf8_sequence((const unsigned char *)s + i, len - i);
        i += k ? k : 1;
        cps++;
    }
    el_buf_putc(b, '"');
    for (size_t k = 0; k < i; k++)
        el_buf_putc(b, s[k] ? s[k] : ' ');
    el_buf_puts(b, i < len ? "...\"" : "\"");
}

/* A value as a message shows it: a string quoted, anything else by its JSON type. */
static void put_value(el_buf *b, const json_t *v)
{
    if (json_is_string(v)) {
        put_quoted(b, json_string_value(v), json_string_length(v));
    } else {
        const char *t = el_json_type_name(v);
        el_buf_puts(b, strchr("aeiou", t[0]) ? "an " : "a ");
        el_buf_puts(b, t);
    }
}

static const el_check *enum_check(const el_ruleset *rs, const char *shape)
{
    const el_shape *s = el_ruleset_shape(rs, shape);
    for (size_t i = 0; s && i < s->nchecks; i++)
        if (s->checks[i].kind == EL_CK_ENUM)
            return &s->checks[i];
    return NULL;
}

/* Is name[0..len) one of c's values, ignoring case (IAM action names and operators)? */
static bool in_enum_ci(const el_check *c, const char *name, size_t len)
{
    for (size_t i = 0; c && i < c->nvalues; i++)
        if (ieq(c->values[i], strlen(c->values[i]), name, len))
            return true;
    return false;
}

/* The closest of c's values to name (edit distance at most 2, or equal ignoring case), or
 * NULL. */
static const char *closest(const el_check *c, const char *name, const char *prefix)
{
    const char *best = NULL;
    size_t best_d = 3, plen = strlen(prefix);
    for (size_t i = 0; c && i < c->nvalues; i++) {
        const char *v = c->values[i] + plen;
        if (strncmp(c->values[i], prefix, plen) != 0)
            continue;
        size_t d = ieq(v, strlen(v), name, strlen(name)) ? 0 : el_edit_distance(name, v, 3);
        if (d < best_d) {
            best = c->values[i];
            best_d = d;
        }
    }
    return best;
}

/* ---- reporting ------------------------------------------------------------------------------- */

/* The pointer of the current statement's element `name` (NULL: the statement itself), or of
 * item i of it (i < 0: none). */
static const char *at(pol *p, const char *name, long i)
{
    el_buf *b = &p->ptr;
    b->len = p->base;
    if (b->data)
        b->data[b->len] = '\0';
    else
        el_buf_puts(b, "");
    if (name)
        el_pointer_append(b, name);
    if (i >= 0) {
        el_buf_putc(b, '/');
        el_buf_put_uint(b, (unsigned long long)i);
    }
    return b->data ? b->data : "";
}

/* Reports rule at pointer with {policy}, {member}, {where} and up to three more variables. */
static ecrlint_status say(pol *p, const char *rule, const char *pointer, el_locate_what what,
                          const char *n1, const char *v1, const char *n2, const char *v2)
{
    if (p->ptr.failed || p->where.failed || p->a.failed || p->b.failed)
        return p->cx->status = ECRLINT_ERR_NOMEM;
    el_var vars[] = {{"policy", p->policy},
                     {"member", p->doc->member},
                     {"where", p->where.data ? p->where.data : ""},
                     {n1 ? n1 : "", v1},
                     {n2 ? n2 : "", v2},
                     {NULL, NULL}};
    if (!n1)
        vars[3].name = NULL;
    else if (!n2)
        vars[4].name = NULL;
    return el_report(p->cx, rule, pointer, what, vars);
}

/* ---- actions --------------------------------------------------------------------------------- */

/* Does the action pattern a[0..n) (a whole "service:name" or "*") cover ECR's action `ecr`
 * ("ecr:PutImage")? */
static bool covers(const char *a, size_t n, const char *ecr)
{
    return glob_ci(a, n, ecr, strlen(ecr));
}

/* Does pattern a cover any of c's values (all of them when `all`)? */
static bool covers_enum(const el_check *c, const char *a, size_t n, bool all)
{
    if (!c)
        return false;
    for (size_t i = 0; i < c->nvalues; i++)
        if (covers(a, n, c->values[i]) != all)
            return !all;
    return all;
}

static bool is_action_char(char c)
{
    return isalnum((unsigned char)c) || c == '*' || c == '?';
}

/* One entry of Action or NotAction: its form, and an ECR action's name. */
static ecrlint_status check_action(pol *p, const char *field, long i, const json_t *v,
                                   bool *ecr_seen)
{
    if (!json_is_string(v)) {
        el_buf_reset(&p->a);
        el_buf_puts(&p->a, "is ");
        put_value(&p->a, v);
        el_buf_puts(&p->a, ", not a string");
        return say(p, "ECR9505", at(p, field, i), EL_LOCATE_VALUE, "field", field, "detail",
                   p->a.data);
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 1 && s[0] == '*') {
        *ecr_seen = true;
        return ECRLINT_OK;
    }
    const char *colon = memchr(s, ':', n);
    bool ok = colon && colon > s && (size_t)(colon - s) + 1 < n;
    for (const char *c = s; ok && c < colon; c++)
        ok = isalnum((unsigned char)*c) || *c == '-';
    for (const char *c = colon ? colon + 1 : s; ok && c < s + n; c++)
        ok = is_action_char(*c);
    if (!ok) {
        el_buf_reset(&p->a);
        put_quoted(&p->a, s, n);
        return say(p, "ECR9513", at(p, field, i), EL_LOCATE_VALUE, "field", field, "value",
                   p->a.data);
    }
    size_t svc = (size_t)(colon - s);
    if (!ieq(s, svc, "ecr", 3)) {
        if (p->doc->kind == EL_POLICY_IDENTITY)
            return ECRLINT_OK; /* an IAM policy grants what it likes */
        el_buf_reset(&p->a);
        put_quoted(&p->a, s, n);
        return say(p, "ECR9515", at(p, field, i), EL_LOCATE_VALUE, "field", field, "value",
                   p->a.data);
    }
    *ecr_seen = true;
    if (!p->actions)
        return ECRLINT_OK;
    const char *name = colon + 1;
    size_t nlen = n - svc - 1;
    bool wild = memchr(name, '*', nlen) || memchr(name, '?', nlen);
    bool known = false;
    if (!wild) {
        for (size_t k = 0; k < p->actions->nvalues && !known; k++)
            known = p->action_len[k] == n && ieq(p->actions->values[k], n, s, n);
    } else {
        known = covers_enum(p->actions, s, n, false);
    }
    if (known)
        return ECRLINT_OK;
    el_buf_reset(&p->a);
    put_quoted(&p->a, s, n);
    el_buf_reset(&p->b);
    if (wild) {
        el_buf_puts(&p->b, "; the wildcard matches no ECR action");
    } else {
        el_buf tmp;
        el_buf_init(&tmp);
        el_buf_append(&tmp, name, nlen);
        const char *best = tmp.data ? closest(p->actions, tmp.data, "ecr:") : NULL;
        if (tmp.failed)
            p->b.failed = true;
        el_buf_free(&tmp);
        if (best)
            el_buf_printf(&p->b, "; did you mean '%s'?", best);
        else
            el_buf_puts(&p->b, "; it is not an ECR action");
    }
    return say(p, p->actions->rule_id, at(p, field, i), EL_LOCATE_VALUE, "value", p->a.data, "hint",
               p->b.data);
}

/* Action or NotAction: a string or a list of strings. */
static ecrlint_status check_actions(pol *p, const char *field, const json_t *v, bool *ecr_seen)
{
    ecrlint_status st = ECRLINT_OK;
    if (json_is_array(v)) {
        if (json_array_size(v) == 0) {
            el_buf_reset(&p->a);
            el_buf_puts(&p->a, "is an empty list");
            return say(p, "ECR9505", at(p, field, -1), EL_LOCATE_VALUE, "field", field, "detail",
                       p->a.data);
        }
        for (size_t i = 0; i < json_array_size(v) && !st; i++)
            st = check_action(p, field, (long)i, json_array_get(v, i), ecr_seen);
        return st;
    }
    return check_action(p, field, -1, v, ecr_seen);
}

/* Calls fn on each string of v (a string or a list), with its index (-1 for a lone string). */
#define EACH_STRING(v, i, s, body)                                                                 \
    do {                                                                                           \
        size_t n_ = json_is_array(v) ? json_array_size(v) : 1;                                     \
        for (size_t k_ = 0; k_ < n_; k_++) {                                                       \
            const json_t *e_ = json_is_array(v) ? json_array_get(v, k_) : (v);                     \
            long i = json_is_array(v) ? (long)k_ : -1;                                             \
            if (!json_is_string(e_))                                                               \
                continue;                                                                          \
            const json_t *s = e_;                                                                  \
            (void)i;                                                                               \
            body                                                                                   \
        }                                                                                          \
    } while (0)

/* ---- principals ------------------------------------------------------------------------------ */

static bool principal_account(const char *s, size_t n, char out[13]);

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static bool all_digits(const char *s, size_t n)
{
    if (n != 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* The account an AWS principal names as a whole: "123456789012" or
 * arn:PARTITION:iam::ACCOUNT:root, into out (13 bytes); false for anything else (a user or a
 * role is one principal, not the account). */
static bool whole_account(const char *s, size_t n, char out[13])
{
    return principal_account(s, n, out) && (all_digits(s, n) || ends_with(s, n, ":root"));
}

/* The account of an AWS principal: "123456789012" or arn:PARTITION:iam::ACCOUNT:..., into
 * out (13 bytes); false when it names none. */
static bool principal_account(const char *s, size_t n, char out[13])
{
    if (all_digits(s, n)) {
        memcpy(out, s, 12);
        out[12] = '\0';
        return true;
    }
    /* arn : partition : service : region : account : resource */
    const char *f[6];
    size_t flen[6], nf = 0;
    const char *start = s;
    for (const char *c = s; c <= s + n && nf < 6; c++)
        if (c == s + n || *c == ':') {
            f[nf] = start;
            flen[nf++] = (size_t)(c - start);
            start = c + 1;
        }
    if (nf < 6 || !ieq(f[0], flen[0], "arn", 3) || !all_digits(f[4], flen[4]))
        return false;
    memcpy(out, f[4], 12);
    out[12] = '\0';
    return true;
}

/* One AWS principal: "*", an account, or an IAM ARN without wildcards. */
static bool aws_principal_ok(const char *s, size_t n)
{
    char acct[13];
    if (n == 1 && s[0] == '*')
        return true;
    if (memchr(s, '*', n) || memchr(s, '?', n))
        return false; /* IAM takes no wildcard in a principal's ARN, only "*" alone */
    if (all_digits(s, n))
        return true;
    if (!principal_account(s, n, acct))
        return false;
    /* arn:PARTITION:iam::ACCOUNT:root|user/...|role/...|... or sts::ACCOUNT:assumed-role/... */
    const char *svc = memchr(s, ':', n);
    svc = svc ? memchr(svc + 1, ':', n - (size_t)(svc + 1 - s)) : NULL;
    if (!svc)
        return false;
    svc++;
    return strncmp(svc, "iam::", 5) == 0 || strncmp(svc, "sts::", 5) == 0;
}

typedef struct who {
    bool everyone;     /* "*" or {"AWS": "*"} */
    const json_t *aws; /* the AWS principals (a string or a list), or NULL */
} who;

static ecrlint_status bad_principal(pol *p, const char *field, const char *key, long i,
                                    const char *detail)
{
    const char *ptr = at(p, field, -1);
    if (key) {
        el_buf_reset(&p->b);
        el_buf_puts(&p->b, ptr);
        el_pointer_append(&p->b, key);
        if (i >= 0) {
            el_buf_putc(&p->b, '/');
            el_buf_put_uint(&p->b, (unsigned long long)i);
        }
        ptr = p->b.data ? p->b.data : "";
    }
    return say(p, "ECR9511", ptr, EL_LOCATE_VALUE, "field", field, "detail", detail);
}

static ecrlint_status check_principal(pol *p, const char *field, const json_t *v, who *w)
{
    memset(w, 0, sizeof *w);
    if (json_is_string(v)) {
        if (json_string_length(v) == 1 && json_string_value(v)[0] == '*') {
            w->everyone = true;
            return ECRLINT_OK;
        }
        el_buf_reset(&p->a);
        el_buf_puts(&p->a, "is ");
        put_value(&p->a, v);
        el_buf_puts(&p->a, ": only \"*\" may stand alone; name principals as {\"AWS\": ...} or "
                           "{\"Service\": ...}");
        return bad_principal(p, field, NULL, -1, p->a.data);
    }
    if (!json_is_object(v)) {
        el_buf_reset(&p->a);
        el_buf_puts(&p->a, "is ");
        put_value(&p->a, v);
        el_buf_puts(&p->a, ", not \"*\" or an object");
        return bad_principal(p, field, NULL, -1, p->a.data);
    }
    if (json_object_size(v) == 0)
        return bad_principal(p, field, NULL, -1, "is an empty object: it names no principal");
    const char *key;
    const json_t *val;
    EL_OBJECT_EACH(v, it, key, val)
    {
        bool aws = strcmp(key, "AWS") == 0;
        if (!aws && strcmp(key, "Service") != 0 && strcmp(key, "Federated") != 0 &&
            strcmp(key, "CanonicalUser") != 0) {
            el_buf_reset(&p->a);
            el_buf_puts(&p->a, "has ");
            put_quoted(&p->a, key, strlen(key));
            el_buf_puts(&p->a, ": a principal is \"AWS\", \"Service\", \"Federated\" or "
                               "\"CanonicalUser\" (the case matters)");
            ecrlint_status st = bad_principal(p, field, key, -1, p->a.data);
            if (st)
                return st;
            continue;
        }
        bool list = json_is_array(val);
        if ((!list && !json_is_string(val)) || (list && json_array_size(val) == 0)) {
            el_buf_reset(&p->a);
            el_buf_printf(&p->a, "%s is ", key);
            put_value(&p->a, val);
            el_buf_puts(&p->a, list ? " (empty)" : "");
            el_buf_puts(&p->a, ": it must be a string or a list of strings");
            ecrlint_status st = bad_principal(p, field, key, -1, p->a.data);
            if (st)
                return st;
            continue;
        }
        if (aws)
            w->aws = val;
        size_t n = list ? json_array_size(val) : 1;
        for (size_t k = 0; k < n; k++) {
            const json_t *e = list ? json_array_get(val, k) : val;
            long idx = list ? (long)k : -1;
            bool ok = json_is_string(e) && json_string_length(e) > 0;
            if (ok && aws) {
                const char *s = json_string_value(e);
                size_t sl = json_string_length(e);
                if (sl == 1 && s[0] == '*')
                    w->everyone = true;
                ok = aws_principal_ok(s, sl);
            }
            if (ok)
                continue;
            el_buf_reset(&p->a);
            el_buf_printf(&p->a, "%s has ", key);
            put_value(&p->a, e);
            el_buf_puts(&p->a, aws ? ": an AWS principal is \"*\", a 12-digit account ID or an "
                                     "IAM ARN (arn:aws:iam::123456789012:root, "
                                     "...:role/name) without wildcards"
                                   : ": it must be a non-empty string");
            ecrlint_status st = bad_principal(p, field, key, idx, p->a.data);
            if (st)
                return st;
        }
    }
    return ECRLINT_OK;
}

/* ---- conditions ------------------------------------------------------------------------------ */

static ecrlint_status check_condition(pol *p, const json_t *v)
{
    if (!json_is_object(v)) {
        el_buf_reset(&p->a);
        el_buf_puts(&p->a, "is ");
        put_value(&p->a, v);
        el_buf_puts(&p->a, ", not an object of {\"Operator\": {\"key\": value}}");
        return say(p, "ECR9519", at(p, "Condition", -1), EL_LOCATE_VALUE, "detail", p->a.data, NULL,
                   NULL);
    }
    const char *op;
    const json_t *block;
    EL_OBJECT_EACH(v, it, op, block)
    {
        size_t n = strlen(op);
        const char *base = op;
        if (strncmp(base, "ForAllValues:", 13) == 0 || strncmp(base, "ForAnyValue:", 12) == 0) {
            base = strchr(base, ':') + 1;
            n = strlen(base);
        }
        if (ends_with(base, n, "IfExists") && !(n == 12 && strncmp(base, "NullIfExists", 12) == 0))
            n -= 8;
        bool known = false;
        for (size_t i = 0; p->operators && i < p->operators->nvalues && !known; i++)
            known = strlen(p->operators->values[i]) == n &&
                    strncmp(p->operators->values[i], base, n) == 0;
        const char *ptr = at(p, "Condition", -1);
        el_buf_reset(&p->b);
        el_buf_puts(&p->b, ptr);
        el_pointer_append(&p->b, op);
        if (p->operators && !known) {
            el_buf_reset(&p->a);
            el_buf_puts(&p->a, "operator ");
            put_quoted(&p->a, op, strlen(op));
            el_buf_puts(&p->a, " is not an IAM condition operator");
            const char *best = closest(p->operators, op, "");
            if (best)
                el_buf_printf(&p->a, "; did you mean '%s'?", best);
            ecrlint_status st = say(p, "ECR9519", p->b.data ? p->b.data : "", EL_LOCATE_KEY,
                                    "detail", p->a.data, NULL, NULL);
            if (st)
                return st;
            continue;
        }
        const char *problem = NULL;
        if (!json_is_object(block) || json_object_size(block) == 0) {
            problem = "must be a non-empty object of condition keys";
        } else {
            const char *key;
            const json_t *val;
            EL_OBJECT_EACH(block, it2, key, val)
            {
                (void)key;
                bool scalar = json_is_string(val) || json_is_number(val) || json_is_boolean(val);
                bool list = json_is_array(val) && json_array_size(val) > 0;
                for (size_t i = 0; list && i < json_array_size(val); i++) {
                    const json_t *e = json_array_get(val, i);
                    list = json_is_string(e) || json_is_number(e) || json_is_boolean(e);
                }
                if (!scalar && !list) {
                    problem = "has a key whose value is not a string, number, boolean or a "
                              "non-empty list of them";
                    break;
                }
            }
        }
        if (problem) {
            el_buf_reset(&p->a);
            el_buf_puts(&p->a, "operator ");
            put_quoted(&p->a, op, strlen(op));
            el_buf_putc(&p->a, ' ');
            el_buf_puts(&p->a, problem);
            ecrlint_status st = say(p, "ECR9519", p->b.data ? p->b.data : "", EL_LOCATE_VALUE,
                                    "detail", p->a.data, NULL, NULL);
            if (st)
                return st;
        }
    }
    return ECRLINT_OK;
}

/* ---- resources ------------------------------------------------------------------------------- */

/* arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME, or "*" */
static bool registry_resource_ok(const char *s, size_t n)
{
    if (n == 1 && s[0] == '*')
        return true;
    const char *f = s;
    size_t field = 0;
    for (const char *c = s; c < s + n && field < 5; c++)
        if (*c == ':') {
            size_t len = (size_t)(c - f);
            if ((field == 0 && !ieq(f, len, "arn", 3)) || (field == 1 && len == 0) ||
                (field == 2 && !ieq(f, len, "ecr", 3)))
                return false;
            field++;
            f = c + 1;
        }
    return field == 5 && (size_t)(s + n - f) > 11 && strncmp(f, "repository/", 11) == 0;
}

static ecrlint_status check_resources(pol *p, const char *field, const json_t *v)
{
    if (!json_is_string(v) && !(json_is_array(v) && json_array_size(v) > 0)) {
        el_buf_reset(&p->a);
        el_buf_puts(&p->a, "is ");
        put_value(&p->a, v);
        el_buf_puts(&p->a, json_is_array(v) ? " (empty)" : "");
        el_buf_puts(&p->a, ", not a string or a list of strings");
        return say(p, "ECR9505", at(p, field, -1), EL_LOCATE_VALUE, "field", field, "detail",
                   p->a.data);
    }
    for (size_t i = 0; json_is_array(v) && i < json_array_size(v); i++)
        if (!json_is_string(json_array_get(v, i))) {
            el_buf_reset(&p->a);
            el_buf_puts(&p->a, "has ");
            put_value(&p->a, json_array_get(v, i));
            el_buf_puts(&p->a, ", not a string");
            return say(p, "ECR9505", at(p, field, (long)i), EL_LOCATE_VALUE, "field", field,
                       "detail", p->a.data);
        }
    if (p->doc->kind == EL_POLICY_REPOSITORY)
        return say(p, "ECR9516", at(p, field, -1), EL_LOCATE_KEY, "field", field, NULL, NULL);
    if (p->doc->kind != EL_POLICY_REGISTRY)
        return ECRLINT_OK;
    ecrlint_status st = ECRLINT_OK;
    EACH_STRING(v, i, s, {
        if (st == ECRLINT_OK &&
            !registry_resource_ok(json_string_value(s), json_string_length(s))) {
            el_buf_reset(&p->a);
            put_quoted(&p->a, json_string_value(s), json_string_length(s));
            st = say(p, "ECR9518", at(p, field, i), EL_LOCATE_VALUE, "field", field, "value",
                     p->a.data);
        }
    });
    return st;
}

/* ---- statements ------------------------------------------------------------------------------ */

static const char *const statement_elements[] = {"Sid",          "Effect",      "Principal",
                                                 "NotPrincipal", "Action",      "NotAction",
                                                 "Resource",     "NotResource", "Condition"};
#define NELEMENTS (sizeof statement_elements / sizeof statement_elements[0])

static const char *element_like(const char *key)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < NELEMENTS; i++) {
        const char *e = statement_elements[i];
        size_t d = ieq(e, strlen(e), key, strlen(key)) ? 0 : el_edit_distance(key, e, 3);
        if (d < best_d) {
            best = e;
            best_d = d;
        }
    }
    return best;
}

/* Does the statement's Action (or, with NotAction, what it leaves) grant any action of c? */
static bool grants_any(const json_t *action, const json_t *notaction, const el_check *c)
{
    for (size_t k = 0; c && k < c->nvalues; k++) {
        const char *name = c->values[k];
        bool hit = false;
        if (action) {
            EACH_STRING(action, i, s, {
                if (!hit && covers(json_string_value(s), json_string_length(s), name))
                    hit = true;
            });
        } else if (notaction) {
            hit = true;
            EACH_STRING(notaction, i, s, {
                if (hit && covers(json_string_value(s), json_string_length(s), name))
                    hit = false;
            });
        }
        if (hit)
            return true;
    }
    return false;
}

/* Action names every ECR action: "*" or "ecr:*". */
static bool grants_all_ecr(const json_t *action)
{
    bool all = false;
    if (action)
        EACH_STRING(action, i, s, {
            const char *t = json_string_value(s);
            size_t n = json_string_length(s);
            if ((n == 1 && t[0] == '*') || ieq(t, n, "ecr:*", 5))
                all = true;
        });
    return all;
}

/* The registry's V1 scope: an action outside it (or NotAction) would be refused there. */
static ecrlint_status check_scope(pol *p, const char *field, const json_t *v)
{
    if (!p->v1 || !p->actions)
        return ECRLINT_OK;
    ecrlint_status st = ECRLINT_OK;
    EACH_STRING(v, i, s, {
        const char *t = json_string_value(s);
        size_t n = json_string_length(s);
        if (st || (n == 1 && t[0] == '*') || ieq(t, n, "ecr:*", 5))
            continue;
        bool outside = strcmp(field, "NotAction") == 0;
        for (size_t k = 0; !outside && k < p->actions->nvalues; k++)
            outside = covers(t, n, p->actions->values[k]) &&
                      !in_enum_ci(p->v1, p->actions->values[k], p->action_len[k]);
        if (outside) {
            el_buf_reset(&p->a);
            put_quoted(&p->a, t, n);
            if (strcmp(field, "NotAction") == 0)
                el_buf_puts(&p->a, " (NotAction grants every other action)");
            st = say(p, "ECR9521", at(p, field, i), EL_LOCATE_VALUE, "field", field, "value",
                     p->a.data);
        }
    });
    return st;
}

static ecrlint_status check_statement(pol *p, const json_t *s, long index)
{
    ecrlint_status st;
    /* {where}: Statement[1] (Sid "AllowPull") */
    el_buf_reset(&p->where);
    el_buf_puts(&p->where, "Statement");
    if (index >= 0)
        el_buf_printf(&p->where, "[%ld]", index);
    const json_t *sid = json_object_get(s, "Sid");
    if (json_is_string(sid) && json_string_length(sid)) {
        el_buf_puts(&p->where, " (Sid ");
        put_quoted(&p->where, json_string_value(sid), json_string_length(sid));
        el_buf_putc(&p->where, ')');
    }

    const char *key;
    const json_t *val;
    EL_OBJECT_EACH(s, it, key, val)
    {
        (void)val;
        bool known = false;
        for (size_t i = 0; i < NELEMENTS && !known; i++)
            known = strcmp(key, statement_elements[i]) == 0;
        if (known)
            continue;
        const char *like = element_like(key);
        el_buf_reset(&p->a);
        put_quoted(&p->a, key, strlen(key));
        el_buf_reset(&p->b);
        if (like)
            el_buf_printf(&p->b, "; did you mean '%s'?", like);
        if ((st = say(p, "ECR9508", at(p, key, -1), EL_LOCATE_KEY, "element", p->a.data, "hint",
                      p->b.data ? p->b.data : "")))
            return st;
    }

    if (sid && !json_is_string(sid)) {
        el_buf_reset(&p->a);
        el_buf_puts(&p->a, "is ");
        put_value(&p->a, sid);
        el_buf_puts(&p->a, ", not a string");
        if ((st = say(p, "ECR9505", at(p, "Sid", -1), EL_LOCATE_VALUE, "field", "Sid", "detail",
                      p->a.data)))
            return st;
    }

    const json_t *effect = json_object_get(s, "Effect");
    bool allow = json_is_string(effect) && strcmp(json_string_value(effect), "Allow") == 0;
    if (!allow && !(json_is_string(effect) && strcmp(json_string_value(effect), "Deny") == 0)) {
        el_buf_reset(&p->a);
        if (!effect) {
            el_buf_puts(&p->a, "is missing");
        } else {
            el_buf_puts(&p->a, "is ");
            put_value(&p->a, effect);
            if (json_is_string(effect) &&
                (ieq(json_string_value(effect), json_string_length(effect), "Allow", 5) ||
                 ieq(json_string_value(effect), json_string_length(effect), "Deny", 4)))
                el_buf_puts(&p->a, " (the case matters)");
        }
        if ((st = say(p, "ECR9509", effect ? at(p, "Effect", -1) : at(p, NULL, -1),
                      effect ? EL_LOCATE_VALUE : EL_LOCATE_KEY, "detail", p->a.data, NULL, NULL)))
            return st;
    }

    const json_t *pr = json_object_get(s, "Principal");
    const json_t *npr = json_object_get(s, "NotPrincipal");
    who w = {false, NULL};
    if (p->doc->kind != EL_POLICY_IDENTITY) {
        if (!pr && !npr)
            st = say(p, "ECR9510", at(p, NULL, -1), EL_LOCATE_KEY, "detail",
                     "names no Principal (or NotPrincipal): a resource policy says whom it "
                     "applies to",
                     NULL, NULL);
        else if (pr && npr)
            st = say(p, "ECR9510", at(p, "NotPrincipal", -1), EL_LOCATE_KEY, "detail",
                     "has both Principal and NotPrincipal; keep one", NULL, NULL);
        else
            st = check_principal(p, pr ? "Principal" : "NotPrincipal", pr ? pr : npr, &w);
        if (st)
            return st;
    }

    const json_t *act = json_object_get(s, "Action");
    const json_t *nact = json_object_get(s, "NotAction");
    bool ecr_seen = false;
    if (!act && !nact)
        st = say(p, "ECR9512", at(p, NULL, -1), EL_LOCATE_KEY, "detail",
                 "has no Action (or NotAction)", NULL, NULL);
    else if (act && nact)
        st = say(p, "ECR9512", at(p, "NotAction", -1), EL_LOCATE_KEY, "detail",
                 "has both Action and NotAction; keep one", NULL, NULL);
    else
        st = check_actions(p, act ? "Action" : "NotAction", act ? act : nact, &ecr_seen);
    if (st)
        return st;
    if (p->doc->kind == EL_POLICY_REGISTRY && (act || nact) &&
        (st = check_scope(p, act ? "Action" : "NotAction", act ? act : nact)))
        return st;

    const json_t *res = json_object_get(s, "Resource");
    const json_t *nres = json_object_get(s, "NotResource");
    if (res || nres) {
        if ((st = check_resources(p, res ? "Resource" : "NotResource", res ? res : nres)))
            return st;
    } else if (p->doc->kind == EL_POLICY_REGISTRY) {
        if ((st = say(p, "ECR9517", at(p, NULL, -1), EL_LOCATE_KEY, NULL, NULL, NULL, NULL)))
            return st;
    }

    const json_t *cond = json_object_get(s, "Condition");
    if (cond && (st = check_condition(p, cond)))
        return st;

    /* Security lints: what an Allow statement opens, and to whom. */
    if (!allow || !pr || p->doc->kind == EL_POLICY_IDENTITY)
        return ECRLINT_OK;
    bool conditioned = json_is_object(cond) && json_object_size(cond) > 0;
    if (w.everyone && !conditioned) {
        bool push = grants_any(act, nact, p->push);
        if ((st = say(p, push ? "ECR9602" : "ECR9601", at(p, "Principal", -1), EL_LOCATE_VALUE,
                      NULL, NULL, NULL, NULL)))
            return st;
    }
    if (w.aws && grants_all_ecr(act)) {
        EACH_STRING(w.aws, i, e, {
            char acct[13];
            if (st == ECRLINT_OK &&
                whole_account(json_string_value(e), json_string_length(e), acct) &&
                !(p->doc->owner && strcmp(p->doc->owner, acct) == 0)) {
                el_buf_reset(&p->b);
                el_buf_puts(&p->b, at(p, "Principal", -1));
                el_buf_puts(&p->b, "/AWS");
                if (i >= 0) {
                    el_buf_putc(&p->b, '/');
                    el_buf_put_uint(&p->b, (unsigned long long)i);
                }
                st = say(p, "ECR9603", p->b.data ? p->b.data : "", EL_LOCATE_VALUE, "account", acct,
                         NULL, NULL);
            }
        });
    }
    return st;
}

/* ---- the document ---------------------------------------------------------------------------- */

static ecrlint_status check_top(pol *p, const json_t *root)
{
    ecrlint_status st;
    const char *key;
    const json_t *val;
    EL_OBJECT_EACH(root, it, key, val)
    {
        (void)val;
        if (strcmp(key, "Version") == 0 || strcmp(key, "Id") == 0 || strcmp(key, "Statement") == 0)
            continue;
        el_buf_reset(&p->a);
        put_quoted(&p->a, key, strlen(key));
        el_buf_reset(&p->b);
        if (ieq(key, strlen(key), "Version", 7) || ieq(key, strlen(key), "Statement", 9) ||
            ieq(key, strlen(key), "Id", 2) || el_edit_distance(key, "Statement", 2) <= 2)
            el_buf_printf(&p->b, "; did you mean '%s'?",
                          ieq(key, strlen(key), "Version", 7) ? "Version"
                          : ieq(key, strlen(key), "Id", 2)    ? "Id"
                                                              : "Statement");
        if ((st = say(p, "ECR9503", at(p, key, -1), EL_LOCATE_KEY, "element", p->a.data, "hint",
                      p->b.data ? p->b.data : "")))
            return st;
    }
    const json_t *version = json_object_get(root, "Version");
    if (version &&
        !(json_is_string(version) && (strcmp(json_string_value(version), "2012-10-17") == 0 ||
                                      strcmp(json_string_value(version), "2008-10-17") == 0))) {
        el_buf_reset(&p->a);
        put_value(&p->a, version);
        if ((st = say(p, "ECR9504", at(p, "Version", -1), EL_LOCATE_VALUE, "value", p->a.data, NULL,
                      NULL)))
            return st;
    }
    const json_t *id = json_object_get(root, "Id");
    if (id && !json_is_string(id)) {
        el_buf_reset(&p->a);
        el_buf_puts(&p->a, "is ");
        put_value(&p->a, id);
        el_buf_puts(&p->a, ", not a string");
        if ((st = say(p, "ECR9505", at(p, "Id", -1), EL_LOCATE_VALUE, "field", "Id", "detail",
                      p->a.data)))
            return st;
    }
    const json_t *stmts = json_object_get(root, "Statement");
    if (!stmts)
        return say(p, "ECR9506", "", EL_LOCATE_VALUE, NULL, NULL, NULL, NULL);
    el_buf_reset(&p->where);
    el_buf_puts(&p->where, "Statement");
    if (json_is_object(stmts)) {
        el_buf_reset(&p->ptr);
        el_buf_puts(&p->ptr, "/Statement");
        p->base = p->ptr.len;
        return check_statement(p, stmts, -1);
    }
    if (!json_is_array(stmts) || json_array_size(stmts) == 0) {
        el_buf_reset(&p->a);
        put_value(&p->a, stmts);
        if (json_is_array(stmts))
            el_buf_puts(&p->a, " that is empty");
        return say(p, "ECR9507", "/Statement", EL_LOCATE_VALUE, "detail", p->a.data, NULL, NULL);
    }
    for (size_t i = 0; i < json_array_size(stmts); i++) {
        const json_t *s = json_array_get(stmts, i);
        el_buf_reset(&p->ptr);
        el_buf_printf(&p->ptr, "/Statement/%zu", i);
        p->base = p->ptr.len;
        if (json_is_object(s)) {
            st = check_statement(p, s, (long)i);
        } else {
            el_buf_reset(&p->where);
            el_buf_printf(&p->where, "Statement[%zu]", i);
            el_buf_reset(&p->a);
            put_value(&p->a, s);
            st = say(p, "ECR9507", p->ptr.data ? p->ptr.data : "", EL_LOCATE_VALUE, "detail",
                     p->a.data, NULL, NULL);
        }
        if (st)
            return st;
    }
    return ECRLINT_OK;
}

static const char *policy_word(el_policy_kind k)
{
    return k == EL_POLICY_REPOSITORY ? "repository" : k == EL_POLICY_REGISTRY ? "registry" : "IAM";
}

void el_policy_answer_member(const char *member, char *out, size_t outsize)
{
    if (!outsize)
        return;
    size_t n = strlen(member);
    if (n >= outsize)
        n = outsize - 1;
    memcpy(out, member, n);
    out[n] = '\0';
    if (n)
        out[0] = (char)toupper((unsigned char)out[0]);
}

ecrlint_status el_policy_check(el_ctx *cx, const el_policy_doc *doc, const char *bytes, size_t len,
                               const json_t *root, const json_error_t *error)
{
    pol p = {.cx = cx, .doc = doc, .policy = policy_word(doc->kind)};
    el_buf_init(&p.ptr);
    el_buf_init(&p.where);
    el_buf_init(&p.a);
    el_buf_init(&p.b);
    el_buf_puts(&p.where, "the policy");
    bool embedded = el_ctx_embed_pointer(cx) != NULL;
    ecrlint_status st = ECRLINT_OK;

    /* A request's member is held to the limit by the model's rule (ECR7002). */
    size_t chars = !embedded && bytes ? el_utf8_length(bytes, len) : 0;
    if (chars > POLICY_TEXT_MAX && doc->kind != EL_POLICY_IDENTITY) {
        char nbuf[EL_INT_TEXT];
        st = say(&p, "ECR9522", "", EL_LOCATE_VALUE, "length", el_fmt_int(nbuf, (long long)chars),
                 NULL, NULL);
    }
    if (st == ECRLINT_OK && !json_is_object(root)) {
        /* A standalone file that is not JSON had its parse error reported by the input. */
        if (root) {
            el_buf_reset(&p.a);
            put_value(&p.a, root);
            st = say(&p, "ECR9502", "", EL_LOCATE_VALUE, "detail", p.a.data, NULL, NULL);
        } else if (embedded) {
            el_var v[] = {{"policy", p.policy},
                          {"member", doc->member},
                          {"detail", error && error->text[0] ? error->text : "not valid JSON"},
                          {NULL, NULL}};
            st = el_report_offset(cx, "ECR9501", error ? (size_t)error->position : 0, v);
        }
    } else if (st == ECRLINT_OK) {
        p.actions = enum_check(cx->rs, SHAPE_ACTIONS);
        p.v1 = enum_check(cx->rs, SHAPE_V1);
        p.push = enum_check(cx->rs, SHAPE_PUSH);
        p.operators = enum_check(cx->rs, SHAPE_OPERATORS);
        size_t na = p.actions ? p.actions->nvalues : 0;
        p.action_len = p.action_len_mem;
        if (na > sizeof p.action_len_mem / sizeof p.action_len_mem[0]) {
            p.action_len = el_malloc(na * sizeof *p.action_len);
            if (!p.action_len)
                st = ECRLINT_ERR_NOMEM;
        }
        for (size_t i = 0; st == ECRLINT_OK && i < na; i++)
            p.action_len[i] = strlen(p.actions->values[i]);
        if (st == ECRLINT_OK)
            st = check_top(&p, root);
        if (p.action_len != p.action_len_mem)
            el_free(p.action_len);
    }
    if (st == ECRLINT_OK && (p.ptr.failed || p.where.failed || p.a.failed || p.b.failed))
        st = ECRLINT_ERR_NOMEM;
    el_buf_free(&p.ptr);
    el_buf_free(&p.where);
    el_buf_free(&p.a);
    el_buf_free(&p.b);
    return st ? st : cx->status;
}

/* ---- recognition ----------------------------------------------------------------------------- */

static bool name_is(const char *name, const char *want)
{
    for (; *name && *want; name++, want++) {
        char c = *name == '_' ? '-' : (char)tolower((unsigned char)*name);
        if (c != *want)
            return false;
    }
    return !*name && !*want;
}

bool el_policy_kind_by_name(const char *name, el_policy_kind *kind)
{
    static const struct {
        const char *name;
        el_policy_kind kind;
    } names[] = {{"repository-policy", EL_POLICY_REPOSITORY},
                 {"registry-policy", EL_POLICY_REGISTRY},
                 {"iam-policy", EL_POLICY_IDENTITY}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (name_is(name, names[i].name)) {
            *kind = names[i].kind;
            return true;
        }
    return false;
}

const char *el_policy_kind_name(el_policy_kind kind)
{
    return kind == EL_POLICY_REPOSITORY ? "repository-policy"
           : kind == EL_POLICY_REGISTRY ? "registry-policy"
                                        : "iam-policy";
}

bool el_policy_sniff(const json_t *root, el_policy_kind *kind)
{
    const json_t *stmts = json_object_get(root, "Statement");
    if (!json_is_object(stmts) && !json_is_array(stmts))
        return false;
    bool ecr = false, principal = false, registry = false;
    size_t n = json_is_array(stmts) ? json_array_size(stmts) : 1;
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_is_array(stmts) ? json_array_get(stmts, i) : stmts;
        if (!json_is_object(s))
            continue;
        if (json_object_get(s, "Principal") || json_object_get(s, "NotPrincipal"))
            principal = true;
        const json_t *a = json_object_get(s, "Action");
        if (!a)
            a = json_object_get(s, "NotAction");
        if (a)
            EACH_STRING(a, k, e, {
                const char *t = json_string_value(e);
                size_t len = json_string_length(e);
                if (len > 4 && ieq(t, 4, "ecr:", 4)) {
                    ecr = true;
                    if (ieq(t, len, "ecr:ReplicateImage", 18) ||
                        ieq(t, len, "ecr:BatchImportUpstreamImage", 28))
                        registry = true;
                }
            });
        const json_t *r = json_object_get(s, "Resource");
        if (r)
            EACH_STRING(r, k, e, {
                const char *t = json_string_value(e);
                size_t len = json_string_length(e);
                if (len > 4 && !(len == 1 && t[0] == '*') && strstr(t, ":ecr:") &&
                    ieq(t, 4, "arn:", 4))
                    registry = true;
            });
    }
    if (!ecr)
        return false;
    *kind = !principal ? EL_POLICY_IDENTITY : registry ? EL_POLICY_REGISTRY : EL_POLICY_REPOSITORY;
    return true;
}

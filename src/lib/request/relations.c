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
/* The largest unique-destination limit counted (a pack's maxItems above it is not checked). */
#define MAX_UNIQUE 256
/* Distinct scan frequencies remembered for the repeated-frequency lint. */
#define FEW_FREQUENCIES 8
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

/* PutReplicationConfiguration: the destinations of all rules, each (region, registryId) pair
 * counted once, against the limit of the shape "replication:UniqueDestinations". Counting stops
 * past the limit, so a huge configuration costs at most limit comparisons per destination. */
static ecrlint_status replication_destinations(el_ctx *cx, const json_t *root)
{
    const el_check *c = shape_check(cx, "replication:UniqueDestinations", EL_CK_MAX_ITEMS);
    const json_t *rules =
        json_object_get(json_object_get(root, "replicationConfiguration"), "rules");
    if (!c || c->number < 0 || c->number >= MAX_UNIQUE || !json_is_array(rules))
        return ECRLINT_OK;
    const json_t *seen[MAX_UNIQUE + 1];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(rules) && (long long)n <= c->number; i++) {
        const json_t *dests = json_object_get(json_array_get(rules, i), "destinations");
        for (size_t k = 0; k < json_array_size(dests) && (long long)n <= c->number; k++) {
            const json_t *d = json_array_get(dests, k);
            const char *region = str_member(d, "region"), *reg = str_member(d, "registryId");
            if (!region || !reg)
                continue;
            bool again = false;
            for (size_t j = 0; j < n && !again; j++)
                again = strcmp(str_member(seen[j], "region"), region) == 0 &&
                        strcmp(str_member(seen[j], "registryId"), reg) == 0;
            if (!again)
                seen[n++] = d;
        }
    }
    if ((long long)n <= c->number)
        return ECRLINT_OK;
    char lbuf[EL_INT_TEXT];
    el_var vars[] = {{"limit", el_fmt_int(lbuf, c->number)}, {NULL, NULL}};
    return el_report(cx, c->rule_id, "/replicationConfiguration/rules", EL_LOCATE_VALUE, vars);
}

/* PutRegistryScanningConfiguration: each rule's scanFrequency is one that the registry's
 * scanType supports, the values of the shape "scanning:ScanFrequency:<scanType>" (BASIC when
 * scanType is not set, as ECR's default). */
static ecrlint_status scanning_frequencies(el_ctx *cx, const json_t *root)
{
    const char *type = str_member(root, "scanType");
    if (!type)
        type = "BASIC";
    char name[96];
    snprintf(name, sizeof name, "scanning:ScanFrequency:%s", type);
    const el_check *c = shape_check(cx, name, EL_CK_ENUM);
    const json_t *rules = json_object_get(root, "rules");
    if (!json_is_array(rules))
        return ECRLINT_OK;
    /* the first rule of each frequency, for the repeated ones (a few values: the model's) */
    struct {
        const char *value;
        size_t index;
    } firsts[FEW_FREQUENCIES];
    size_t nfirsts = 0;
    for (size_t i = 0; i < json_array_size(rules); i++) {
        const json_t *f = json_object_get(json_array_get(rules, i), "scanFrequency");
        if (!json_is_string(f))
            continue;
        size_t k = 0;
        while (k < nfirsts && strcmp(firsts[k].value, json_string_value(f)) != 0)
            k++;
        if (k < nfirsts) {
            char ibuf[EL_INT_TEXT], fbuf[EL_INT_TEXT], pointer[64];
            snprintf(pointer, sizeof pointer, "/rules/%zu/scanFrequency", i);
            el_var vars[] = {{"index", el_fmt_uint(ibuf, i)},
                             {"first", el_fmt_uint(fbuf, firsts[k].index)},
                             {NULL, NULL}};
            ecrlint_status st = el_report(cx, "ECR9723", pointer, EL_LOCATE_VALUE, vars);
            if (st)
                return st;
        } else if (nfirsts < FEW_FREQUENCIES) {
            firsts[nfirsts].value = json_string_value(f);
            firsts[nfirsts++].index = i;
        }
        bool ok = true, decided;
        ecrlint_status st =
            c ? passes(cx, c, json_string_value(f), json_string_length(f), &ok, &decided)
              : ECRLINT_OK;
        if (st)
            return st;
        if (ok)
            continue;
        char pointer[64], path[64];
        snprintf(pointer, sizeof pointer, "/rules/%zu/scanFrequency", i);
        snprintf(path, sizeof path, "rules.%zu.member.scanFrequency", i + 1);
        el_buf b;
        el_buf_init(&b);
        const char *text = cut(&b, json_string_value(f));
        el_var vars[] = {{"value", text},
                         {"when", type},
                         {"enum", c->values_text},
                         {"path", path},
                         {NULL, NULL}};
        st = text ? el_report(cx, c->rule_id, pointer, EL_LOCATE_VALUE, vars) : ECRLINT_ERR_NOMEM;
        el_buf_free(&b);
        if (st)
            return st;
    }
    return ECRLINT_OK;
}

/* Create/UpdateRepositoryCreationTemplate. A template for pull through cache that makes tags
 * immutable (the values of the shape "templates:ImmutableForCache") keeps the cache from
 * updating a tag; a new template that tags repositories or names a KMS key needs a custom role
 * (customRoleArn) to do so, which an update may leave set from before. */
static ecrlint_status templates(el_ctx *cx, const json_t *root, bool create)
{
    ecrlint_status st = ECRLINT_OK;
    const el_check *c = shape_check(cx, "templates:ImmutableForCache", EL_CK_ENUM);
    const json_t *mut = json_object_get(root, "imageTagMutability");
    const json_t *applied = json_object_get(root, "appliedFor");
    bool cache = false;
    for (size_t i = 0; i < json_array_size(applied) && !cache; i++) {
        const json_t *a = json_array_get(applied, i);
        cache = json_is_string(a) && strcmp(json_string_value(a), "PULL_THROUGH_CACHE") == 0;
    }
    if (c && cache && json_is_string(mut)) {
        bool ok, decided;
        st = passes(cx, c, json_string_value(mut), json_string_length(mut), &ok, &decided);
        if (st == ECRLINT_OK && ok) {
            el_var vars[] = {{"value", json_string_value(mut)}, {NULL, NULL}};
            st = el_report(cx, c->rule_id, "/imageTagMutability", EL_LOCATE_VALUE, vars);
        }
    }
    if (st || !create || json_is_string(json_object_get(root, "customRoleArn")))
        return st;
    const json_t *tags = json_object_get(root, "resourceTags");
    const json_t *key = json_object_get(json_object_get(root, "encryptionConfiguration"), "kmsKey");
    bool tagged = json_array_size(tags) > 0, keyed = json_is_string(key) && json_string_length(key);
    if (!tagged && !keyed)
        return ECRLINT_OK;
    el_var vars[] = {{"what", tagged && keyed ? "resource tags and a KMS key"
                              : tagged        ? "resource tags"
                                              : "a KMS key"},
                     {NULL, NULL}};
    return el_report(cx, "ECR9734", tagged ? "/resourceTags" : "/encryptionConfiguration/kmsKey",
                     EL_LOCATE_VALUE, vars);
}

/* UploadLayerPart (ECR and ECR Public): the part's first byte is not after its last, and the
 * part holds partLastByte - partFirstByte + 1 bytes. */
static ecrlint_status upload_part(el_ctx *cx, const json_t *root)
{
    const json_t *first = json_object_get(root, "partFirstByte");
    const json_t *last = json_object_get(root, "partLastByte");
    if (!json_is_integer(first) || !json_is_integer(last))
        return ECRLINT_OK;
    json_int_t a = json_integer_value(first), b = json_integer_value(last);
    char abuf[EL_INT_TEXT], bbuf[EL_INT_TEXT], nbuf[EL_INT_TEXT], sbuf[EL_INT_TEXT];
    if (a > b) {
        el_var vars[] = {{"first", el_fmt_int(abuf, (long long)a)},
                         {"last", el_fmt_int(bbuf, (long long)b)},
                         {NULL, NULL}};
        return el_report(cx, "ECR9741", "/partLastByte", EL_LOCATE_VALUE, vars);
    }
    const json_t *blob = json_object_get(root, "layerPartBlob");
    size_t bytes;
    if (a < 0 || !json_is_string(blob) ||
        !el_base64_length(json_string_value(blob), json_string_length(blob), &bytes))
        return ECRLINT_OK;
    unsigned long long span = (unsigned long long)(b - a) + 1;
    if (span == (unsigned long long)bytes)
        return ECRLINT_OK;
    el_var vars[] = {{"first", el_fmt_int(abuf, (long long)a)},
                     {"last", el_fmt_int(bbuf, (long long)b)},
                     {"span", el_fmt_uint(sbuf, span)},
                     {"length", el_fmt_uint(nbuf, (unsigned long long)bytes)},
                     {NULL, NULL}};
    return el_report(cx, "ECR9742", "/layerPartBlob", EL_LOCATE_VALUE, vars);
}

/* The operations whose members relate in ways the shapes cannot say. */
ecrlint_status el_check_relations(el_ctx *cx, const el_operation *op, const json_t *root)
{
    if (!json_is_object(root) || !op->name)
        return ECRLINT_OK;
    const char *name = op->name;
    if (strcmp(name, "CreatePullThroughCacheRule") == 0)
        return ptc_url(cx, root);
    if (strcmp(name, "PutReplicationConfiguration") == 0)
        return replication_destinations(cx, root);
    if (strcmp(name, "PutRegistryScanningConfiguration") == 0)
        return scanning_frequencies(cx, root);
    if (strcmp(name, "CreateRepositoryCreationTemplate") == 0)
        return templates(cx, root, true);
    if (strcmp(name, "UpdateRepositoryCreationTemplate") == 0)
        return templates(cx, root, false);
    if (strcmp(name, "UploadLayerPart") == 0 || strcmp(name, "ecr-public:UploadLayerPart") == 0)
        return upload_part(cx, root);
    return ECRLINT_OK;
}

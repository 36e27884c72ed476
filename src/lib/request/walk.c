/* walk.c - checks a JSON body against an operation's shapes.
 *
 * Two passes, because that is how the AWS JSON protocol answers: the body is deserialized
 * first, and a JSON type that does not fit the model ends the request with a
 * SerializationException before any constraint is looked at (pass 1, in document order).
 * Pass 2 then checks constraints member by member in the model's order, so the first
 * violation it reports is the InvalidParameterException ECR would answer with; every other
 * violation is still listed as a finding. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/el_ctx.h"
#include "request/el_request.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_digest.h"
#include "util/el_json.h"
#include "util/el_locate.h"
#include "util/el_text.h"

#define MAX_VALUE_TEXT 120 /* code points of a user value quoted in a message */

/* Where the walk is: a stack of segments, turned into text only when a finding needs it (most
 * values have none). */
typedef enum seg_kind {
    SEG_MEMBER, /* a structure member: "/name" in the pointer, ".name" in Coral's path */
    SEG_KEY,    /* a map key, an unknown member, a list index given as text: pointer only */
    SEG_ITEM,   /* a list item: "/i" in the pointer, ".<i+1>.member" in Coral's path */
    SEG_INDEX   /* a list item, pointer only (the type pass) */
} seg_kind;

typedef struct seg {
    seg_kind kind;
    const char *name; /* MEMBER and KEY; borrowed, valid while the segment is pushed */
    size_t index;     /* ITEM and INDEX */
    size_t ptr_end;   /* the pointer's length through this segment (below ptr_valid) */
} seg;

#define PATH_INLINE 32

typedef struct path_state {
    seg *segs;
    size_t n, cap;
    seg inline_segs[PATH_INLINE];
    bool failed;          /* a push ran out of memory */
    el_buf pointer;       /* RFC 6901 pointer of the current value, when asked for */
    size_t ptr_valid;     /* its text is that of segs[0 .. ptr_valid): a list's findings
                             share all but the last segment */
    el_buf coral;         /* Coral's path: imageIds.1.member.imageTag, when asked for */
    el_buf item;          /* the pointer of the current failure-list item */
    size_t item_depth;    /* its segments: segs[0 .. item_depth) */
    bool type_mismatch;   /* the constraint pass met a value of the wrong JSON type */
    const json_t *parent; /* the structure holding the current member */
    bool capital_last;    /* Coral's path names its last member capitalised (el_shape.capitalize) */
} path_state;

static void path_init(path_state *ps)
{
    ps->segs = ps->inline_segs;
    ps->n = 0;
    ps->cap = PATH_INLINE;
    ps->failed = false;
    el_buf_init(&ps->pointer);
    ps->ptr_valid = 0;
    el_buf_init(&ps->coral);
    el_buf_init(&ps->item);
    ps->item_depth = 0;
    ps->type_mismatch = false;
    ps->parent = NULL;
    ps->capital_last = false;
}

static void path_free(path_state *ps)
{
    if (ps->segs != ps->inline_segs)
        el_free(ps->segs);
    el_buf_free(&ps->pointer);
    el_buf_free(&ps->coral);
    el_buf_free(&ps->item);
}

/* Returns the depth to pop back to. */
static size_t seg_push(path_state *ps, seg_kind kind, const char *name, size_t index)
{
    size_t mark = ps->n;
    if (ps->n == ps->cap) {
        size_t cap = ps->cap * 2;
        seg *p = el_malloc(cap * sizeof *p);
        if (!p) {
            ps->failed = true;
            return mark;
        }
        memcpy(p, ps->segs, ps->n * sizeof *p);
        if (ps->segs != ps->inline_segs)
            el_free(ps->segs);
        ps->segs = p;
        ps->cap = cap;
    }
    ps->segs[ps->n++] = (seg){kind, name, index, 0};
    return mark;
}

static void seg_pop(path_state *ps, size_t mark)
{
    if (mark < ps->n)
        ps->n = mark;
    if (ps->ptr_valid > ps->n)
        ps->ptr_valid = ps->n;
}

static void seg_pointer_append(el_buf *b, const seg *g)
{
    if (g->kind == SEG_MEMBER || g->kind == SEG_KEY) {
        el_pointer_append(b, g->name);
    } else {
        el_buf_putc(b, '/');
        el_buf_put_uint(b, g->index);
    }
}

static void pointer_text_to(const path_state *ps, size_t depth, el_buf *b)
{
    el_buf_reset(b);
    el_buf_puts(b, "");
    for (size_t i = 0; i < depth && i < ps->n; i++)
        seg_pointer_append(b, &ps->segs[i]);
}

static inline bool type_fits(el_type t, const json_t *v)
{
    switch (t) {
    case EL_T_ANY:
        return true;
    case EL_T_STRUCTURE:
    case EL_T_MAP:
        return json_is_object(v);
    case EL_T_LIST:
        return json_is_array(v);
    case EL_T_STRING:
        return json_is_string(v);
    case EL_T_INTEGER:
        /* An integer member takes a JSON number without fraction or exponent in the model
         * type's range: 32 bits for "integer", 64 for "long" (Smithy's simple types). 1.0,
         * 1e2 and 2147483648 for an "integer" are refused while the body is read, as Smithy's
         * server deserializers do (rules/protocol.json, ECR0010's help). */
        return json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
               json_integer_value(v) <= INT32_MAX;
    case EL_T_LONG:
        return json_is_integer(v);
    case EL_T_DOUBLE:
        return json_is_number(v);
    case EL_T_BOOLEAN:
        return json_is_boolean(v);
    case EL_T_TIMESTAMP:
        return json_is_number(v) || json_is_string(v);
    case EL_T_BLOB:
        return json_is_string(v);
    }
    return false;
}

/* The protocol's message for a type mismatch, from the packs' typeErrors table. */
static const char *type_error_message(const el_ruleset *rs, el_type expected, const char *actual)
{
    const char *fallback = NULL;
    for (size_t i = 0; i < rs->ntype_errors; i++) {
        const el_type_error *te = &rs->type_errors[i];
        bool exp_ok = te->expected == expected || te->expected == EL_T_ANY;
        if (!exp_ok)
            continue;
        if (strcmp(te->actual, actual) == 0)
            return te->message;
        if (!fallback && strcmp(te->actual, "*") == 0)
            fallback = te->message;
    }
    return fallback ? fallback : "Unexpected JSON type";
}

/* A short, single-line rendering of a value for messages. */
static void value_text(el_buf *b, const json_t *v)
{
    el_buf_reset(b);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v), i = 0, cps = 0;
        /* eight ASCII bytes at a time (none zero, none with the high bit), a code point each */
        size_t ascii_max = len < MAX_VALUE_TEXT ? len : MAX_VALUE_TEXT;
        while (ascii_max - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ULL) ||
                ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
                break;
            i += 8;
        }
        cps = i;
        while (i < len && s[i] != 0 && (unsigned char)s[i] < 0x80 && cps < MAX_VALUE_TEXT) {
            /* ASCII: a byte a code point */
            i++;
            cps++;
        }
        while (i < len && cps < MAX_VALUE_TEXT) {
            size_t k = el_utf8_sequence((const unsigned char *)s + i, len - i);
            i += k ? k : 1;
            cps++;
        }
        el_buf_append(b, s, i);
        if (i < len)
            el_buf_puts(b, "...");
        return;
    }
    if (json_is_integer(v)) {
        el_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return;
    }
    if (json_is_real(v)) {
        el_buf_printf(b, "%.17g", json_real_value(v));
        return;
    }
    el_buf_puts(b, el_json_type_name(v));
}

/* The pointer of the failure-list item being checked (el_item.pointer). */
static const char *item_pointer(void *arg)
{
    path_state *ps = arg;
    pointer_text_to(ps, ps->item_depth, &ps->item);
    if (ps->item.failed)
        ps->failed = true;
    return ps->item.data ? ps->item.data : "";
}

/* The current pointer and Coral path as text; valid until the next call of the same one. */
static const char *ptr(path_state *ps)
{
    el_buf *b = &ps->pointer;
    size_t k = ps->ptr_valid;
    if (k == 0 || !b->data) {
        k = 0;
        el_buf_reset(b);
        el_buf_puts(b, "");
    } else {
        b->len = ps->segs[k - 1].ptr_end; /* the shared prefix, kept */
        b->data[b->len] = '\0';
    }
    for (; k < ps->n; k++) {
        seg_pointer_append(b, &ps->segs[k]);
        ps->segs[k].ptr_end = b->len;
    }
    ps->ptr_valid = ps->n;
    if (b->failed) {
        ps->failed = true;
        ps->ptr_valid = 0;
    }
    return b->data ? b->data : "";
}

static const char *coral(path_state *ps)
{
    el_buf *b = &ps->coral;
    el_buf_reset(b);
    el_buf_puts(b, "");
    size_t last = ps->n;
    for (size_t i = 0; ps->capital_last && i < ps->n; i++)
        if (ps->segs[i].kind == SEG_MEMBER)
            last = i;
    for (size_t i = 0; i < ps->n; i++) {
        const seg *g = &ps->segs[i];
        if (g->kind == SEG_MEMBER) {
            if (b->len)
                el_buf_putc(b, '.');
            size_t at = b->len;
            el_buf_puts(b, g->name);
            if (i == last && !b->failed && b->len > at)
                b->data[at] = (char)toupper((unsigned char)b->data[at]);
        } else if (g->kind == SEG_ITEM) {
            el_buf_putc(b, '.');
            el_buf_put_uint(b, g->index + 1);
            el_buf_append(b, ".member", 7);
        }
    }
    if (b->failed)
        ps->failed = true;
    return b->data ? b->data : "";
}

static const char *make_coral(void *ps)
{
    return coral(ps);
}

/* Coral's path of the list holding the current value (its last segment, the item, left out). */
static const char *make_list(void *arg)
{
    path_state *ps = arg;
    size_t n = ps->n;
    if (n && ps->segs[n - 1].kind == SEG_ITEM)
        ps->n--;
    const char *s = coral(ps);
    ps->n = n;
    return s;
}

/* The {value} of a failed check, made when its template asks. */
typedef struct value_arg {
    el_buf *vt;
    const json_t *v;
} value_arg;

static const char *make_value(void *arg)
{
    value_arg *a = arg;
    value_text(a->vt, a->v);
    return a->vt->data;
}

/* el_report with {path} (and the rest of `lazy`, if any) made only when a template asks. */
static ecrlint_status report_lazy(el_ctx *cx, const char *rule_id, path_state *ps,
                                  el_locate_what what, const el_var *vars, el_lazy_var *lazy)
{
    el_lazy_var path_only[] = {{"path", make_coral, ps}, {NULL, NULL, NULL}};
    cx->lazy = lazy ? lazy : path_only;
    ecrlint_status st = el_report(cx, rule_id, ptr(ps), what, vars);
    cx->lazy = NULL;
    return st;
}

static size_t push_member(path_state *ps, const char *name)
{
    return seg_push(ps, SEG_KEY, name, 0);
}

/* ---- pass 1: JSON types --------------------------------------------------------------------- */

/* A null item of a list: the model's lists are dense (none is marked sparse), and Smithy's
 * server deserializers refuse null in a dense list, where a member's null only means "not
 * set" (https://smithy.io/2.0/spec/type-refinement-traits.html#sparse-trait). */
static bool null_item(const json_t *v, bool in_list)
{
    return in_list && json_is_null(v);
}

static ecrlint_status type_pass_in(el_ctx *cx, const el_shape *shape, const json_t *v,
                                   path_state *ps, const char *member, size_t depth, bool in_list);

static ecrlint_status type_pass(el_ctx *cx, const el_shape *shape, const json_t *v, path_state *ps,
                                const char *member, size_t depth)
{
    return type_pass_in(cx, shape, v, ps, member, depth, false);
}

static ecrlint_status type_pass_in(el_ctx *cx, const el_shape *shape, const json_t *v,
                                   path_state *ps, const char *member, size_t depth, bool in_list)
{
    if (json_is_null(v) && !in_list)
        return ECRLINT_OK; /* null is "not set" in the AWS JSON protocol */
    if (null_item(v, in_list) || !type_fits(shape->type, v)) {
        const char *actual = el_json_type_name(v);
        const char *name = el_type_name(shape->type);
        char expected[32];
        snprintf(expected, sizeof expected, "%s %s", strchr("aeiou", name[0]) ? "an" : "a", name);
        el_var vars[] = {{"member", member},
                         {"expected", expected},
                         {"actual", actual},
                         {"detail", type_error_message(cx->rs, shape->type, actual)},
                         {NULL, NULL}};
        return el_report(cx, "ECR0010", ptr(ps), EL_LOCATE_VALUE, vars);
    }
    size_t bytes;
    if (shape->type == EL_T_BLOB &&
        !el_base64_length(json_string_value(v), json_string_length(v), &bytes)) {
        el_var vars[] = {{"member", member}, {NULL, NULL}};
        return el_report(cx, "ECR0011", ptr(ps), EL_LOCATE_VALUE, vars);
    }
    if (depth >= cx->max_depth)
        return ECRLINT_OK;
    ecrlint_status st = ECRLINT_OK;
    if (shape->type == EL_T_STRUCTURE) {
        /* Document order: that is the order a streaming deserializer meets the members in. */
        const char *key;
        const json_t *mv;
        json_object_foreach((json_t *)v, key, mv)
        {
            const el_shape *ms = NULL;
            for (size_t i = 0; i < shape->nmembers; i++)
                if (strcmp(shape->members[i].name, key) == 0)
                    ms = shape->members[i].shape;
            if (!ms)
                continue; /* unknown members are ignored by the service */
            size_t mark = push_member(ps, key);
            st = type_pass(cx, ms, mv, ps, key, depth + 1);
            seg_pop(ps, mark);
            if (st)
                return st;
        }
    } else if (shape->type == EL_T_LIST) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            size_t mark = seg_push(ps, SEG_INDEX, NULL, i);
            st = type_pass_in(cx, shape->item, json_array_get(v, i), ps, member, depth + 1, true);
            seg_pop(ps, mark);
            if (st)
                return st;
        }
    } else if (shape->type == EL_T_MAP) {
        const char *key;
        const json_t *mv;
        json_object_foreach((json_t *)v, key, mv)
        {
            size_t mark = push_member(ps, key);
            st = type_pass(cx, shape->item, mv, ps, key, depth + 1);
            seg_pop(ps, mark);
            if (st)
                return st;
        }
    }
    return ps->failed ? ECRLINT_ERR_NOMEM : st;
}

/* ---- pass 2: constraints -------------------------------------------------------------------- */

static ecrlint_status check_value(el_ctx *cx, const el_shape *shape, const json_t *v,
                                  path_state *ps, const char *member, size_t depth);

/* Items of a list that equal an earlier item: items are grouped by a structural hash, and only
 * items of equal hash are compared with json_equal. Linear in the list's length, and no
 * allocation for short lists. */
static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

/* Eight bytes at a time, mixed by multiplication (the finalizer of MurmurHash3): only equal
 * hashes are compared with json_equal, so it needs to spread, not to resist attack; a list of
 * colliding items costs at most the 64-item cut below. */
static uint64_t bytes_hash(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static uint64_t json_hash(const json_t *v, int depth)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return mix(1, bytes_hash(json_string_value(v), json_string_length(v)));
    case JSON_INTEGER:
        return mix(2, (uint64_t)json_integer_value(v));
    case JSON_REAL: {
        double d = json_real_value(v);
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return mix(3, bits);
    }
    case JSON_TRUE:
        return 4;
    case JSON_FALSE:
        return 5;
    case JSON_NULL:
        return 6;
    case JSON_ARRAY: {
        uint64_t h = 7;
        if (depth < 16)
            for (size_t i = 0; i < json_array_size(v); i++)
                h = mix(h, json_hash(json_array_get(v, i), depth + 1));
        return h;
    }
    case JSON_OBJECT: {
        uint64_t h = 8; /* member order does not matter: combine with a sum */
        if (depth < 16) {
            const char *key;
            json_t *mv;
            EL_OBJECT_EACH(v, it, key, mv)
            h += mix(bytes_hash(key, strlen(key)), json_hash(mv, depth + 1));
        }
        return h;
    }
    }
    return 0;
}

/* An item is compared with the distinct earlier items of its hash (repeats are not kept, so
 * every repeat of an item is found however many there are); at most GROUP_MAX distinct items
 * of one hash are kept, so that a list of colliding items stays linear. Only a list with more
 * than GROUP_MAX different items of one 64-bit hash, which chance does not make, could have a
 * repeat go unreported. */
#define GROUP_MAX 64
#define NO_DUP ((size_t)-1)

/* Item i repeats the first of the earlier items of its hash (in list order) that equals it and
 * is no repeat itself. */
static void find_repeat(const json_t *list, size_t i, const size_t *earlier, size_t n,
                        size_t *dup_of)
{
    for (size_t e = 0; e < n; e++)
        if (dup_of[earlier[e]] == NO_DUP &&
            json_equal(json_array_get(list, i), json_array_get(list, earlier[e]))) {
            dup_of[i] = earlier[e];
            return;
        }
}

/* The table's slot comes from the low bits: json_hash leaves those nearly as they are for
 * integers (1 << 24, 2 << 24, ... share them) and whole-number reals (all zero), so they are
 * mixed with every bit first (MurmurHash3's finalizer), or such a list probes one long chain. */
static uint64_t spread(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Short lists (most): every earlier hash is looked at. */
#define UNIQUE_SHORT 16
_Static_assert(UNIQUE_SHORT <= GROUP_MAX, "a short list fits the comparison buffer");

static ecrlint_status check_unique(el_ctx *cx, const el_check *c, const json_t *list,
                                   path_state *ps, const char *member)
{
    size_t n = json_array_size(list);
    if (n < 2)
        return ECRLINT_OK;
    uint64_t hash_small[UNIQUE_SHORT];
    size_t dup_small[UNIQUE_SHORT];
    uint64_t *hash = hash_small;
    size_t *dup_of = dup_small, *table = NULL, mask = 0;
    if (n > UNIQUE_SHORT) {
        /* An open-addressing table of item indices (plus one; 0 is empty), at most half full:
         * items of equal hash lie on one probe sequence in list order. */
        size_t cap = 32;
        while (cap < 2 * n && cap <= SIZE_MAX / 4)
            cap *= 2;
        mask = cap - 1;
        hash = el_malloc(n * sizeof *hash);
        dup_of = el_malloc(n * sizeof *dup_of);
        table = el_calloc(cap, sizeof *table);
        if (!hash || !dup_of || !table) {
            el_free(hash);
            el_free(dup_of);
            el_free(table);
            return ECRLINT_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < n; i++) {
        hash[i] = json_hash(json_array_get(list, i), 0);
        dup_of[i] = NO_DUP;
        size_t earlier[GROUP_MAX], nearlier = 0;
        if (!table) {
            for (size_t k = 0; k < i; k++)
                if (hash[k] == hash[i])
                    earlier[nearlier++] = k; /* i < UNIQUE_SHORT <= GROUP_MAX */
            find_repeat(list, i, earlier, nearlier, dup_of);
            continue;
        }
        size_t slot = (size_t)spread(hash[i]) & mask;
        for (; table[slot]; slot = (slot + 1) & mask)
            if (hash[table[slot] - 1] == hash[i] && nearlier < GROUP_MAX)
                earlier[nearlier++] = table[slot] - 1;
        find_repeat(list, i, earlier, nearlier, dup_of);
        /* the table holds distinct items only, the first GROUP_MAX of a hash */
        if (dup_of[i] == NO_DUP && nearlier < GROUP_MAX)
            table[slot] = i + 1;
    }
    ecrlint_status st = ECRLINT_OK;
    for (size_t i = 0; i < n && st == ECRLINT_OK; i++) {
        if (dup_of[i] == NO_DUP)
            continue;
        char ibuf[EL_INT_TEXT], fbuf[EL_INT_TEXT];
        const char *idx = el_fmt_int(ibuf, (long long)i);
        const char *first = el_fmt_int(fbuf, (long long)dup_of[i]);
        size_t mark = push_member(ps, idx);
        el_var vars[] = {{"member", member}, {"index", idx}, {"first", first}, {NULL, NULL}};
        st = el_report(cx, c->rule_id, ptr(ps), EL_LOCATE_VALUE, vars);
        seg_pop(ps, mark);
    }
    if (table) {
        el_free(table);
        el_free(dup_of);
        el_free(hash);
    }
    return st;
}

/* A member of `parent` named by a relative path ("imageId/imageDigest"), or NULL. */
static const json_t *sibling(const json_t *parent, const char *path)
{
    const json_t *v = parent;
    while (v && *path) {
        const char *slash = strchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : strlen(path);
        v = json_is_object(v) ? json_object_getn(v, path, n) : NULL;
        path += n + (slash ? 1 : 0);
    }
    return v;
}

/* A string that holds a document (PutImage imageManifest, a response's imageManifest, a
 * lifecycle policy text): parsed and handed to the checker of its kind (el_ctx_check_embedded),
 * with findings placed inside the string; and, when the shape names a sibling holding the
 * expected digest, compared with the digest of the exact bytes. */
static ecrlint_status check_document(el_ctx *cx, const el_check *c, const json_t *v, path_state *ps,
                                     const char *member)
{
    const char *bytes = json_string_value(v);
    size_t len = json_string_length(v);
    const json_t *declared =
        c->media_type_member ? sibling(ps->parent, c->media_type_member) : NULL;
    ecrlint_status st = ECRLINT_OK;
    if (el_ctx_embedded_checker(cx, c->document)) {
        json_error_t jerr;
        bool oom;
        json_t *root = el_json_loadb(bytes, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr, &oom);
        if (oom)
            return ECRLINT_ERR_NOMEM;
        el_embedded doc = {.bytes = bytes,
                           .len = len,
                           .root = root,
                           .error = root ? NULL : &jerr,
                           .member = member,
                           .parent = ps->parent,
                           .declared =
                               json_is_string(declared) ? json_string_value(declared) : NULL,
                           .op = cx->op};
        st = el_ctx_check_embedded(cx, c->document, ptr(ps), &doc);
        json_decref(root);
    }
    if (st || !c->digest_member || len == 0)
        return st;
    const json_t *want = sibling(ps->parent, c->digest_member);
    if (!json_is_string(want))
        return ECRLINT_OK;
    char computed[EL_SHA256_DIGEST_SIZE];
    if (!el_sha256_digest(bytes, len, computed))
        return ECRLINT_ERR_INTERNAL;
    if (strcmp(json_string_value(want), computed) == 0)
        return ECRLINT_OK;
    /* Placed at the digest member: the pointer of the manifest's parent, then the path. */
    el_buf where;
    el_buf_init(&where);
    const char *p = ptr(ps);
    const char *last = strrchr(p, '/');
    el_buf_append(&where, p, last ? (size_t)(last - p) : 0);
    el_buf_putc(&where, '/');
    el_buf_puts(&where, c->digest_member);
    const json_t *repo = sibling(ps->parent, "repositoryName");
    const json_t *reg = sibling(ps->parent, "registryId");
    el_var vars[] = {
        {"digest", json_string_value(want)},
        {"computed", computed},
        {"repository", json_is_string(repo) ? json_string_value(repo) : ""},
        {"registry", json_is_string(reg) ? json_string_value(reg) : "<your account ID>"},
        {NULL, NULL}};
    st = where.failed ? ECRLINT_ERR_NOMEM
                      : el_report(cx, c->rule_id, where.data, EL_LOCATE_VALUE, vars);
    el_buf_free(&where);
    return st;
}

/* Runaway patterns (el_match_state, check/el_ctx.h): after EL_RUNAWAY_TRIES hits of the match
 * limit in one input, a pattern is skipped. */

static bool runaway_skip(const el_ctx *cx, const el_regex *re)
{
    if (cx->match.nrunaway > EL_RUNAWAY_SLOTS)
        return true;
    for (size_t i = 0; i < cx->match.nrunaway; i++)
        if (cx->match.runaway[i].re == re)
            return cx->match.runaway[i].hits >= EL_RUNAWAY_TRIES;
    return false;
}

static void runaway_note(el_ctx *cx, const el_regex *re)
{
    cx->match.hit_limit = true;
    for (size_t i = 0; i < cx->match.nrunaway && i < EL_RUNAWAY_SLOTS; i++)
        if (cx->match.runaway[i].re == re) {
            cx->match.runaway[i].hits++;
            return;
        }
    if (cx->match.nrunaway < EL_RUNAWAY_SLOTS) {
        cx->match.runaway[cx->match.nrunaway].re = re;
        cx->match.runaway[cx->match.nrunaway].hits = 1;
    }
    if (cx->match.nrunaway <= EL_RUNAWAY_SLOTS)
        cx->match.nrunaway++;
}

/* What a covering pattern already said of the value: its own result and those of the patterns
 * it covers, when it matched. */
typedef struct known {
    uint64_t pass, fail; /* bit i: checks[i] */
} known;

/* Matches the value against the shape's first covering pattern, so that a valid value is
 * matched once instead of once per pattern. A broken or runaway pattern says nothing here:
 * the check in its place reports it. */
static known cover_first(el_ctx *cx, const el_shape *shape, const json_t *v)
{
    known k = {0, 0};
    if (!json_is_string(v))
        return k;
    for (size_t i = 0; i < shape->nchecks; i++) {
        const el_check *c = &shape->checks[i];
        if (!c->covers)
            continue;
        if (runaway_skip(cx, c->regex))
            return k;
        el_match m = el_regex_match(c->regex, json_string_value(v), json_string_length(v),
                                    cx->match.md, cx->match.mctx);
        if (m == EL_MATCH_YES)
            k.pass = c->covers | (uint64_t)1 << i;
        else if (m == EL_MATCH_NO)
            k.fail = (uint64_t)1 << i;
        return k;
    }
    return k;
}

/* Runs one check; *passed says whether the value passed it (false: it was reported).
 * `told`: what a covering pattern already said of a pattern check (EL_MATCH_UNTRIED: nothing).
 * `length`: the string's length in code points once a check has counted it (SIZE_MAX before),
 * for the other length check of the value; a blob's decoded bytes, counted before. */
/* The value of an enum check closest to s, for a "did you mean": the same ignoring case
 * (tagged -> TAGGED), s with ';' parameters (a media type with ;charset=utf-8), or a few edits
 * away (...v2+jsn -> ...v2+json: at most 2, or one in six characters, and no more than a
 * third of the text). NULL when none is. */
static const char *closest_value(const el_check *c, const char *s)
{
    size_t ls = strlen(s), limit = ls / 6 > 2 ? ls / 6 : 2;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < c->nvalues && best_d > 0; i++) {
        const char *val = c->values[i];
        size_t lv = strlen(val), d;
        bool ci = lv == ls;
        for (size_t k = 0; ci && k < ls; k++)
            if (((unsigned char)s[k] | 0x20) != ((unsigned char)val[k] | 0x20))
                ci = false;
        if (ci || (ls > lv && strncmp(s, val, lv) == 0 && (s[lv] == ';' || s[lv] == ' ')))
            d = 0;
        else
            d = el_edit_distance_n(s, ls, val, lv, best_d - 1); /* only a closer value matters */
        if (d < best_d) {
            best = val;
            best_d = d;
        }
    }
    /* at most a third of the longer text changed: 'b' is no guess for 'zz' */
    size_t longer = best && strlen(best) > ls ? strlen(best) : ls;
    return best_d <= limit && best_d * 3 <= longer ? best : NULL;
}

static ecrlint_status run_check(el_ctx *cx, const el_check *c, const json_t *v, path_state *ps,
                                const char *member, el_buf *vt, el_match told, size_t *length,
                                bool *passed)
{
    *passed = true;
    bool fail = false;
    size_t n = 0; /* a length or count, formatted only when the check fails */
    switch (c->kind) {
    case EL_CK_MIN_LENGTH:
    case EL_CK_MAX_LENGTH: {
        if (*length == SIZE_MAX)
            *length = el_utf8_length(json_string_value(v), json_string_length(v));
        n = *length;
        fail = c->kind == EL_CK_MIN_LENGTH ? (long long)n < c->number : (long long)n > c->number;
        break;
    }
    case EL_CK_PATTERN: {
        el_match m = told;
        if (m == EL_MATCH_UNTRIED && !runaway_skip(cx, c->regex))
            m = el_regex_match(c->regex, json_string_value(v), json_string_length(v), cx->match.md,
                               cx->match.mctx);
        if (m == EL_MATCH_NOMEM)
            return ECRLINT_ERR_NOMEM;
        if (m == EL_MATCH_LIMIT)
            runaway_note(cx, c->regex);
        if (m == EL_MATCH_BROKEN || m == EL_MATCH_LIMIT || m == EL_MATCH_UNTRIED) {
            /* A broken pattern in a pack is an error of the pack (ECR0090); a match limit hit
             * is no violation of the value, which is then reported as not checked (ECR0091). */
            el_var vars[] = {{"rule", c->rule_id},
                             {"pattern", c->regex->source},
                             {"member", member},
                             {"detail", m == EL_MATCH_BROKEN ? "it does not compile"
                                        : m == EL_MATCH_LIMIT
                                            ? "the match hit PCRE2's match limit"
                                            : "not tried: the pattern hit the match limit "
                                              "on earlier values of this input"},
                             {NULL, NULL}};
            *passed = false;
            return el_report(cx, m == EL_MATCH_BROKEN ? "ECR0090" : "ECR0091", ptr(ps),
                             EL_LOCATE_VALUE, vars);
        }
        fail = m == EL_MATCH_NO;
        break;
    }
    case EL_CK_ENUM: {
        fail = true;
        if (!(c->value_lengths >> (json_string_length(v) % 64) & 1))
            break; /* no value has its length */
        for (size_t i = 0; i < c->nvalues && fail; i++)
            if (strcmp(c->values[i], json_string_value(v)) == 0 &&
                strlen(c->values[i]) == json_string_length(v))
                fail = false;
        break;
    }
    case EL_CK_MIN:
    case EL_CK_MAX: {
        if (!json_is_number(v))
            return ECRLINT_OK;
        double d = json_number_value(v);
        fail = c->kind == EL_CK_MIN ? d < (double)c->number : d > (double)c->number;
        break;
    }
    case EL_CK_MIN_ITEMS:
    case EL_CK_MAX_ITEMS: {
        n = json_array_size(v);
        fail = c->kind == EL_CK_MIN_ITEMS ? (long long)n < c->number : (long long)n > c->number;
        break;
    }
    case EL_CK_UNIQUE_ITEMS:
        return check_unique(cx, c, v, ps, member);
    case EL_CK_DOCUMENT:
        return check_document(cx, c, v, ps, member);
    }
    if (!fail)
        return ECRLINT_OK;
    *passed = false;
    char lbuf[EL_INT_TEXT], nbuf[EL_INT_TEXT];
    const char *limit = el_fmt_int(lbuf, c->number);
    const char *num = el_fmt_int(nbuf, (long long)n);
    value_arg va = {vt, v};
    el_lazy_var lazy[] = {{"path", make_coral, ps},
                          {"list", make_list, ps},
                          {"value", make_value, &va},
                          {NULL, NULL, NULL}};
    el_var vars[] = {{"member", member},
                     {"limit", limit},
                     {"count", num},
                     {"length", num},
                     {"pattern", c->regex ? c->regex->source : ""},
                     {"enum", c->values_text ? c->values_text : ""},
                     {NULL, NULL}};
    /* a string of a list of strings: Coral answers at the list ({list}, exception.itemMessage) */
    cx->list_item = json_is_string(v) && ps->n && ps->segs[ps->n - 1].kind == SEG_ITEM;
    char hint[320];
    const char *near = c->kind == EL_CK_ENUM ? closest_value(c, json_string_value(v)) : NULL;
    if (near && strlen(near) < sizeof hint - 24) {
        snprintf(hint, sizeof hint, "; did you mean '%s'?", near);
        cx->msg_suffix = hint;
    }
    ecrlint_status st = report_lazy(cx, c->rule_id, ps, EL_LOCATE_VALUE, vars, lazy);
    cx->msg_suffix = NULL;
    cx->list_item = false;
    return st ? st : vt->failed ? ECRLINT_ERR_NOMEM : ECRLINT_OK;
}

static long member_index(const el_shape *shape, const char *key);

/* The object's members as check_struct matched them to the shape's: given[i] is the value of
 * shape->members[i] when bit i of `set` is (absent otherwise), or given is NULL and the object
 * is asked. */
typedef struct members_seen {
    const json_t *obj;
    const json_t *const *given;
    uint32_t set;
} members_seen;

/* The value of the member named `name`, the shape's member `k` (-1: none of them), or NULL. */
static const json_t *member_value(const members_seen *ms, int k, const char *name)
{
    const json_t *v = k < 0 || !ms->given ? json_object_get(ms->obj, name)
                      : ms->set >> k & 1  ? ms->given[k]
                                          : NULL;
    return v && !json_is_null(v) ? v : NULL;
}

/* Is the member named `name`, the shape's member `k` (-1: none of them), present? */
static bool present(const members_seen *ms, int k, const char *name)
{
    return member_value(ms, k, name) != NULL;
}

/* Does the group apply to this object? *value: the string its "when" member holds, or "". */
static bool group_applies(const el_group *gr, const members_seen *ms, const char **value)
{
    *value = "";
    if (!gr->when_member)
        return true;
    const json_t *v = member_value(ms, gr->when_idx, gr->when_member);
    bool in = false;
    if (json_is_string(v)) {
        *value = json_string_value(v);
        for (size_t i = 0; i < gr->nwhen_values && !in; i++)
            in = strcmp(gr->when_values[i], *value) == 0;
    }
    return in != gr->when_not;
}

static ecrlint_status check_groups(el_ctx *cx, const el_shape *shape, const members_seen *obj,
                                   path_state *ps, const char *member)
{
    for (size_t g = 0; g < shape->ngroups; g++) {
        const el_group *gr = &shape->groups[g];
        bool fire = false;
        const char *which = "", *when;
        if (!group_applies(gr, obj, &when))
            continue;
        switch (gr->kind) {
        case EL_GROUP_ANY_OF:
            fire = true;
            for (size_t i = 0; i < gr->nmembers; i++)
                if (present(obj, gr->member_idx[i], gr->members[i]))
                    fire = false;
            break;
        case EL_GROUP_CONFLICT:
            if (present(obj, gr->with_idx, gr->with))
                for (size_t i = 0; i < gr->nmembers && !fire; i++)
                    if (present(obj, gr->member_idx[i], gr->members[i])) {
                        fire = true;
                        which = gr->members[i];
                    }
            break;
        case EL_GROUP_ALL_OF:
            fire = true;
            for (size_t i = 0; i < gr->nmembers; i++)
                if (!present(obj, gr->member_idx[i], gr->members[i]))
                    fire = false;
            break;
        }
        if (!fire)
            continue;
        size_t mark = ps->n;
        if (*which)
            push_member(ps, which);
        el_var vars[] = {{"member", *which ? which : member},
                         {"with", gr->with ? gr->with : ""},
                         {"when", when},
                         {NULL, NULL}};
        ecrlint_status st =
            report_lazy(cx, gr->rule_id, ps, *which ? EL_LOCATE_KEY : EL_LOCATE_VALUE, vars, NULL);
        seg_pop(ps, mark);
        if (st)
            return st;
    }
    return ECRLINT_OK;
}

/* Suggests the closest known member for an unknown one (imageID -> imageIds). */
static const char *suggest(const el_shape *shape, const char *key)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < shape->nmembers; i++) {
        const char *name = shape->members[i].name;
        size_t d = el_edit_distance(key, name, 3);
        /* Case-insensitive equality is the commonest mistake: imageID, RepositoryName. */
        size_t la = strlen(key), lb = strlen(name);
        bool ci = la == lb;
        for (size_t k = 0; ci && k < la; k++)
            if ((key[k] | 0x20) != (name[k] | 0x20))
                ci = false;
        if (ci)
            d = 0;
        if (d < best_d || (d == best_d && !best && d <= 2)) {
            best = name;
            best_d = d;
        }
    }
    /* A prefix match also counts (imageId -> imageIds). */
    return best_d <= 2 ? best : NULL;
}

/* The index of the shape's member named `key`, or -1: by the byte at the shape's key position
 * and one comparison, when it has one. */
static long member_index(const el_shape *shape, const char *key)
{
    size_t p = shape->key_pos;
    if (p != EL_NO_KEY_POS) {
        for (size_t k = 0; k < p; k++)
            if (!key[k])
                return -1; /* shorter than every name */
        unsigned char c = (unsigned char)key[p];
        for (size_t i = 0; i < shape->nmembers; i++)
            if (shape->members[i].key_char == c)
                return strcmp(shape->members[i].name, key) == 0 ? (long)i : -1;
        return -1;
    }
    for (size_t i = 0; i < shape->nmembers; i++)
        if (shape->members[i].name[0] == key[0] && strcmp(shape->members[i].name, key) == 0)
            return (long)i;
    return -1;
}

#define FEW_MEMBERS 16

static ecrlint_status check_struct(el_ctx *cx, const el_shape *shape, const json_t *obj,
                                   path_state *ps, const char *member, size_t depth)
{
    ecrlint_status st;
    /* The object's members matched to the shape's in one pass over its keys, which finds the
     * unknown ones too; a shape with more members than fit the bitmask uses json_object_get. */
    const json_t *given[FEW_MEMBERS]; /* given[k] is set when bit k of `set` is */
    uint32_t set = 0;
    _Static_assert(FEW_MEMBERS <= 32, "a bit per member");
    bool few = shape->nmembers <= FEW_MEMBERS;
    size_t unknown = 0;
    if (few) { /* `given` is not cleared: `set` says which entries are valid */
        const char *key;
        const json_t *mv;
        EL_OBJECT_EACH(obj, it, key, mv)
        {
            long k = member_index(shape, key);
            if (k >= 0) {
                given[k] = mv;
                set |= (uint32_t)1 << k;
            } else {
                unknown++;
            }
        }
    }
    /* The members' parent, for checks that look at siblings; a structure below sets its own
     * and puts this one back. */
    const json_t *saved_parent = ps->parent;
    ps->parent = obj;
    for (size_t i = 0; i < shape->nmembers; i++) {
        const el_member *m = &shape->members[i];
        const json_t *v = !few ? json_object_get(obj, m->name) : set >> i & 1 ? given[i] : NULL;
        size_t mark = seg_push(ps, SEG_MEMBER, m->name, 0);
        if (!v || json_is_null(v)) {
            st = ECRLINT_OK;
            if (m->required_rule) {
                el_var vars[] = {{"member", m->name}, {NULL, NULL}};
                /* Place it at the key when the member is there as null, else at the object.
                 * A member ECR names capitalised is so named when missing too. */
                ps->capital_last = m->shape && m->shape->capitalize;
                st = report_lazy(cx, m->required_rule, ps, EL_LOCATE_KEY, vars, NULL);
                ps->capital_last = false;
            }
        } else {
            st = check_value(cx, m->shape, v, ps, m->name, depth + 1);
        }
        seg_pop(ps, mark);
        if (st) {
            ps->parent = saved_parent;
            return st;
        }
    }
    ps->parent = saved_parent;
    members_seen seen = {obj, few ? given : NULL, set};
    if ((st = check_groups(cx, shape, &seen, ps, member)))
        return st;
    if (shape->open || (few && unknown == 0))
        return ECRLINT_OK;
    const char *key;
    const json_t *mv;
    json_object_foreach((json_t *)obj, key, mv)
    {
        if (member_index(shape, key) >= 0)
            continue;
        const char *s = suggest(shape, key);
        el_buf hint;
        el_buf_init(&hint);
        if (s)
            el_buf_printf(&hint, "; did you mean '%s'?", s);
        el_buf valid;
        el_buf_init(&valid);
        for (size_t i = 0; i < shape->nmembers; i++)
            el_buf_printf(&valid, "%s%s", i ? ", " : "", shape->members[i].name);
        size_t mark = push_member(ps, key);
        el_var vars[] = {{"member", key},
                         {"suggestion", s ? s : ""},
                         {"hint", hint.data ? hint.data : ""},
                         {"valid", valid.data ? valid.data : ""},
                         {"shape", shape->name},
                         {NULL, NULL}};
        st = hint.failed || valid.failed ? ECRLINT_ERR_NOMEM
                                         : el_report(cx, "ECR0020", ptr(ps), EL_LOCATE_KEY, vars);
        seg_pop(ps, mark);
        el_buf_free(&hint);
        el_buf_free(&valid);
        if (st)
            return st;
    }
    return ECRLINT_OK;
}

static ecrlint_status check_value(el_ctx *cx, const el_shape *shape, const json_t *v,
                                  path_state *ps, const char *member, size_t depth)
{
    if (json_is_null(v))
        return ECRLINT_OK;
    if (!type_fits(shape->type, v)) {
        ps->type_mismatch = true; /* the type pass reports it (el_check_operation) */
        return ECRLINT_OK;
    }
    if (depth >= cx->max_depth) {
        char lbuf[EL_INT_TEXT];
        el_var vars[] = {{"limit", el_fmt_int(lbuf, (long long)cx->max_depth)}, {NULL, NULL}};
        return el_report(cx, "ECR0007", ptr(ps), EL_LOCATE_VALUE, vars);
    }
    if (shape->nchecks) {
        char vt_mem[256]; /* the value's text, made if a failed check's message shows it */
        el_buf vt;
        el_buf_init_in(&vt, vt_mem, sizeof vt_mem);
        bool all_passed = true;
        size_t length = SIZE_MAX;
        if (shape->type == EL_T_BLOB &&
            !el_base64_length(json_string_value(v), json_string_length(v), &length)) {
            el_buf_free(&vt);
            ps->type_mismatch = true; /* not base64: the type pass reports it (ECR0011) */
            return ECRLINT_OK;
        }
        known kn = cover_first(cx, shape, v);
        /* A member ECR names capitalised in its answers ('LifecyclePolicyText'); the checker of
         * a document inside it is given the model's name, and names the member itself. */
        char cap[64];
        const char *cap_member = member;
        if (shape->capitalize && member && strlen(member) < sizeof cap) {
            memcpy(cap, member, strlen(member) + 1);
            cap[0] = (char)toupper((unsigned char)cap[0]);
            cap_member = cap;
        }
        for (size_t i = 0; i < shape->nchecks; i++) {
            const el_check *c = &shape->checks[i];
            if (c->if_valid && !all_passed)
                continue;
            uint64_t bit = i < EL_COVER_MAX_CHECKS ? (uint64_t)1 << i : 0;
            bool passed;
            bool named = c->kind != EL_CK_DOCUMENT;
            ps->capital_last = shape->capitalize && named;
            /* ECR's answers here are inferred when the shape says so (a document's checker
             * answers for its own rules) */
            cx->conf_cap =
                shape->confidence && named ? el_conf_rank(shape->confidence) : EL_CONF_NONE;
            ecrlint_status st = run_check(cx, c, v, ps, named ? cap_member : member, &vt,
                                          kn.pass & bit   ? EL_MATCH_YES
                                          : kn.fail & bit ? EL_MATCH_NO
                                                          : EL_MATCH_UNTRIED,
                                          &length, &passed);
            ps->capital_last = false;
            cx->conf_cap = EL_CONF_NONE;
            if (st) {
                el_buf_free(&vt);
                return st;
            }
            if (!passed)
                all_passed = false;
        }
        el_buf_free(&vt);
    }

    ecrlint_status st = ECRLINT_OK;
    if (shape->type == EL_T_STRUCTURE) {
        st = check_struct(cx, shape, v, ps, member, depth);
    } else if (shape->type == EL_T_LIST) {
        /* Items of the operation's failure list are answered one by one (BatchGetImage). */
        bool failure_list = cx->op && cx->op->failure_list && depth == 1 &&
                            strcmp(cx->op->failure_list, member) == 0;
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n && st == ECRLINT_OK; i++) {
            size_t mark = seg_push(ps, SEG_ITEM, NULL, i);
            const json_t *item = json_array_get(v, i);
            if (null_item(item, true))
                ps->type_mismatch = true; /* the type pass reports it */
            if (failure_list) {
                /* its pointer is made if a failure needs it */
                ps->item_depth = ps->n;
                cx->item = (el_item){
                    .value = item, .shape = shape->item, .pointer = item_pointer, .arg = ps};
            }
            st = check_value(cx, shape->item, item, ps, member, depth + 1);
            if (failure_list)
                cx->item = (el_item){0};
            seg_pop(ps, mark);
        }
    } else if (shape->type == EL_T_MAP) {
        const char *key;
        const json_t *mv;
        json_object_foreach((json_t *)v, key, mv)
        {
            size_t mark = push_member(ps, key);
            st = check_value(cx, shape->item, mv, ps, key, depth + 1);
            seg_pop(ps, mark);
            if (st)
                break;
        }
    }
    if (st == ECRLINT_OK && ps->failed)
        st = ECRLINT_ERR_NOMEM;
    return st;
}

ecrlint_status el_check_operation(el_ctx *cx, const el_operation *op, const json_t *root)
{
    cx->op = op;
    path_state ps;
    path_init(&ps);
    ecrlint_status st;
    json_t *empty = NULL;
    if (json_is_null(root)) {
        /* A body of null is read as the structure with no member set: the AWS JSON protocol
         * reads null as "not set" at any level (the required members are then missing). */
        root = empty = json_object();
        if (!empty) {
            path_free(&ps);
            return ECRLINT_ERR_NOMEM;
        }
    }
    if (!json_is_object(root)) {
        st = type_pass(cx, op->input, root, &ps, "(request body)", 0);
    } else {
        /* Constraints first, noting on the way whether any value has the wrong JSON type
         * (almost none do); only then is the type pass needed, and it must come first: the
         * service refuses such a body while reading it, before any constraint. So what the
         * constraint pass reported is taken back and both passes run in that order. */
        el_ctx_mark mark;
        el_ctx_mark_set(cx, &mark);
        st = check_value(cx, op->input, root, &ps, "", 0);
        if (st == ECRLINT_OK && ps.type_mismatch) {
            el_ctx_rewind(cx, &mark);
            st = type_pass(cx, op->input, root, &ps, "(request body)", 0);
            if (st == ECRLINT_OK)
                st = check_value(cx, op->input, root, &ps, "", 0);
        }
    }
    if (st == ECRLINT_OK && ps.failed)
        st = ECRLINT_ERR_NOMEM;
    if (st == ECRLINT_OK)
        st = el_check_relations(cx, op, root);
    path_free(&ps);
    json_decref(empty);
    return st ? st : cx->status;
}

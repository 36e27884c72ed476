/* mf_schema1.c - Docker v2 schema 1 (manifest-v2-1.md, see el_manifest.h): structure, the
 * v1Compatibility chain, and the payload a signed manifest's digest is computed over. */
#include <stdlib.h>
#include <string.h>

#include "manifest/el_manifest.h"
#include "util/el_alloc.h"
#include "util/el_digest.h"
#include "util/el_locate.h"

/* ---- the JWS payload (libtrust jsonsign.go, ParsePrettySignature) ------------------------- */

typedef struct jws_format {
    json_int_t length;
    unsigned char *tail;
    size_t tail_len;
} jws_format;

static el_mf_jws read_format(const json_t *sig, size_t len, jws_format *f)
{
    f->tail = NULL;
    const json_t *prot = json_is_object(sig) ? json_object_get(sig, "protected") : NULL;
    if (!json_is_string(prot))
        return EL_MF_JWS_PROTECTED;
    size_t hn;
    bool nomem;
    unsigned char *h =
        el_mf_base64url_decode(json_string_value(prot), json_string_length(prot), &hn, &nomem);
    if (!h)
        return nomem ? EL_MF_JWS_NOMEM : EL_MF_JWS_PROTECTED;
    json_error_t err;
    json_t *hdr = json_loadb((const char *)h, hn, 0, &err);
    el_free(h);
    if (!hdr)
        return json_error_code(&err) == json_error_out_of_memory ? EL_MF_JWS_NOMEM
                                                                 : EL_MF_JWS_PROTECTED;
    el_mf_jws r = EL_MF_JWS_OK;
    const json_t *fl = json_object_get(hdr, "formatLength");
    const json_t *ft = json_object_get(hdr, "formatTail");
    if (!json_is_object(hdr)) {
        r = EL_MF_JWS_PROTECTED;
    } else if (!json_is_integer(fl) || json_integer_value(fl) < 0 ||
               (unsigned long long)json_integer_value(fl) > (unsigned long long)len ||
               !json_is_string(ft)) {
        r = EL_MF_JWS_FORMAT;
    } else {
        f->length = json_integer_value(fl);
        f->tail = el_mf_base64url_decode(json_string_value(ft), json_string_length(ft),
                                         &f->tail_len, &nomem);
        if (!f->tail)
            r = nomem ? EL_MF_JWS_NOMEM : EL_MF_JWS_FORMAT;
    }
    json_decref(hdr);
    return r;
}

el_mf_jws el_mf_s1_payload(const json_t *root, const char *bytes, size_t len,
                           unsigned char **payload, size_t *payload_len, size_t *bad_index)
{
    *payload = NULL;
    *payload_len = 0;
    *bad_index = 0;
    const json_t *sigs = json_is_object(root) ? json_object_get(root, "signatures") : NULL;
    if (!json_is_array(sigs) || json_array_size(sigs) == 0)
        return EL_MF_JWS_NO_SIGNATURES;
    jws_format first = {0, NULL, 0};
    el_mf_jws r = EL_MF_JWS_OK;
    for (size_t i = 0; i < json_array_size(sigs) && r == EL_MF_JWS_OK; i++) {
        jws_format f;
        *bad_index = i;
        r = read_format(json_array_get(sigs, i), len, &f);
        if (r != EL_MF_JWS_OK)
            break;
        if (i == 0) {
            first = f;
            continue;
        }
        if (f.length != first.length || f.tail_len != first.tail_len ||
            memcmp(f.tail, first.tail, f.tail_len) != 0)
            r = EL_MF_JWS_DISAGREE;
        el_free(f.tail);
    }
    if (r == EL_MF_JWS_OK) {
        size_t fl = (size_t)first.length;
        *payload = el_malloc(fl + first.tail_len + 1);
        if (!*payload) {
            r = EL_MF_JWS_NOMEM;
        } else {
            if (fl)
                memcpy(*payload, bytes, fl);
            if (first.tail_len)
                memcpy(*payload + fl, first.tail, first.tail_len);
            *payload_len = fl + first.tail_len;
        }
    }
    el_free(first.tail);
    return r;
}

/* ---- checks ------------------------------------------------------------------------------ */

/* A repository path component (distribution reference grammar): [a-z0-9]+ joined by ".", "_",
 * "__" or runs of "-". */
static bool name_component(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            i++;
        if (i == start)
            return false;
        if (i == n)
            return true;
        if (s[i] == '.')
            i++;
        else if (s[i] == '_')
            i += i + 1 < n && s[i + 1] == '_' ? 2 : 1;
        else if (s[i] == '-')
            while (i < n && s[i] == '-')
                i++;
        else
            return false;
        if (i == n)
            return false;
    }
    return n > 0;
}

/* name: components joined by "/", optionally after a registry host (which may have a port). */
static bool name_valid(const char *s, size_t n)
{
    if (n == 0 || n > 255)
        return false;
    const char *p = s, *end = s + n;
    const char *slash = memchr(p, '/', n);
    if (slash) {
        /* A first component with '.' or ':' or "localhost" is a host. */
        size_t hn = (size_t)(slash - p);
        bool host =
            (hn == 9 && memcmp(p, "localhost", 9) == 0) || memchr(p, '.', hn) || memchr(p, ':', hn);
        if (host) {
            for (size_t i = 0; i < hn; i++) {
                char c = p[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == ':'))
                    return false;
            }
            if (hn == 0)
                return false;
            p = slash + 1;
        }
    }
    while (p < end) {
        const char *q = memchr(p, '/', (size_t)(end - p));
        const char *ce = q ? q : end;
        if (!name_component(p, (size_t)(ce - p)))
            return false;
        if (!q)
            break;
        p = q + 1;
        if (p == end)
            return false;
    }
    return true;
}

static bool hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static const char *str_of(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : NULL;
}

typedef struct v1entry {
    const char *id;     /* NULL when invalid */
    const char *parent; /* NULL or "" when none */
    size_t index;
} v1entry;

static int by_id(const void *a, const void *b)
{
    const v1entry *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* containers/image fixManifestLayers (manifest/docker_schema1.go): ids, the parent chain, no
 * non-consecutive repeat. */
static void check_chain(mf_check *m, const json_t *hist)
{
    size_t n = json_array_size(hist);
    if (n == 0)
        return;
    char at_mem[64]; /* "/history/<i>" */
    el_buf atb;
    el_buf_init_in(&atb, at_mem, sizeof at_mem);
    json_t **docs = el_calloc(n, sizeof *docs);
    v1entry *e = el_calloc(n, sizeof *e);
    v1entry *sorted = el_calloc(n, sizeof *sorted);
    if (!docs || !e || !sorted) {
        mf_nomem(m);
        goto out;
    }
    char num[EL_INT_TEXT], first[EL_INT_TEXT];
    for (size_t i = 0; i < n && m->st == ECRLINT_OK; i++) {
        const json_t *h = json_array_get(hist, i);
        const json_t *v1 = json_is_object(h) ? json_object_get(h, "v1Compatibility") : NULL;
        const char *at = mf_ptr_index(m, &atb, "/history", i);
        const char *idx = el_fmt_int(num, (long long)i);
        e[i].index = i;
        if (!json_is_string(v1)) {
            mf_report(m, "ECR5604", at, EL_LOCATE_VALUE,
                      (el_var[]){{"index", idx},
                                 {"detail", "v1Compatibility is missing or not a string"},
                                 {NULL, NULL}});
            continue;
        }
        json_error_t err;
        docs[i] = json_loadb(json_string_value(v1), json_string_length(v1), 0, &err);
        if (!docs[i] && json_error_code(&err) == json_error_out_of_memory) {
            mf_nomem(m);
            break;
        }
        const char *id = json_is_object(docs[i]) ? str_of(json_object_get(docs[i], "id")) : NULL;
        const char *vat = mf_ptr(m, &m->ptr, at, "v1Compatibility");
        if (!json_is_object(docs[i])) {
            mf_report(
                m, "ECR5604", vat, EL_LOCATE_VALUE,
                (el_var[]){{"index", idx}, {"detail", "it is not a JSON object"}, {NULL, NULL}});
            continue;
        }
        if (!hex64(id)) {
            mf_report(m, "ECR5604", vat, EL_LOCATE_VALUE,
                      (el_var[]){{"index", idx},
                                 {"detail", "its id is not 64 lower-case hex digits"},
                                 {NULL, NULL}});
            continue;
        }
        e[i].id = id;
        const json_t *par = json_object_get(docs[i], "parent");
        if (par && !json_is_null(par) && !json_is_string(par)) {
            mf_report(
                m, "ECR5604", vat, EL_LOCATE_VALUE,
                (el_var[]){{"index", idx}, {"detail", "its parent is not a string"}, {NULL, NULL}});
            continue;
        }
        e[i].parent = str_of(par);
    }
    if (m->st != ECRLINT_OK)
        goto out;
    /* Each entry's parent is the next entry's id; consecutive duplicates are collapsed. Pairs
     * with an invalid entry (reported above) are skipped. */
    for (size_t i = 0; i < n && m->st == ECRLINT_OK; i++) {
        if (!e[i].id || (i + 1 < n && !e[i + 1].id))
            continue;
        if (i + 1 < n && strcmp(e[i].id, e[i + 1].id) == 0)
            continue;
        const char *parent = e[i].parent && *e[i].parent ? e[i].parent : NULL;
        const char *want = i + 1 < n ? e[i + 1].id : NULL;
        bool bad = want ? !parent || strcmp(parent, want) != 0 : parent != NULL;
        if (bad) {
            const char *at = mf_ptr_index(m, &atb, "/history", i);
            mf_report(m, "ECR5605", mf_ptr(m, &m->ptr, at, "v1Compatibility"), EL_LOCATE_VALUE,
                      (el_var[]){{"index", el_fmt_int(num, (long long)i)},
                                 {"parent", parent ? parent : "(none)"},
                                 {"next", want ? want : "(none)"},
                                 {NULL, NULL}});
        }
    }
    /* An id must not come back after other ids (sorting keeps this O(n log n)). */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].id)
            sorted[k++] = e[i];
    qsort(sorted, k, sizeof *sorted, by_id);
    for (size_t i = 1; i < k && m->st == ECRLINT_OK; i++) {
        if (strcmp(sorted[i].id, sorted[i - 1].id) == 0 &&
            sorted[i].index != sorted[i - 1].index + 1) {
            const char *at = mf_ptr_index(m, &atb, "/history", sorted[i].index);
            mf_report(m, "ECR5608", mf_ptr(m, &m->ptr, at, "v1Compatibility"), EL_LOCATE_VALUE,
                      (el_var[]){{"index", el_fmt_int(num, (long long)sorted[i].index)},
                                 {"first", el_fmt_int(first, (long long)sorted[i - 1].index)},
                                 {"id", sorted[i].id},
                                 {NULL, NULL}});
        }
    }
out:
    if (docs)
        for (size_t i = 0; i < n; i++)
            json_decref(docs[i]);
    el_free(docs);
    el_free(e);
    el_free(sorted);
    el_buf_free(&atb);
}

void mf_check_schema1(mf_check *m, const char *bytes, size_t len)
{
    const json_t *root = m->root;
    mf_report(m, "ECR5600", "", EL_LOCATE_VALUE, NULL);

    const json_t *name = json_object_get(root, "name");
    if (!json_is_string(name) || !name_valid(json_string_value(name), json_string_length(name)))
        mf_report(m, "ECR5609", name ? "/name" : "", name ? EL_LOCATE_VALUE : EL_LOCATE_KEY,
                  (el_var[]){{"value", json_is_string(name) ? json_string_value(name)
                                                            : "(missing or not a string)"},
                             {NULL, NULL}});

    const json_t *fs = json_object_get(root, "fsLayers");
    const json_t *hist = json_object_get(root, "history");
    if (!json_is_array(fs) || json_array_size(fs) == 0)
        mf_report(
            m, "ECR5601", fs ? "/fsLayers" : "", EL_LOCATE_VALUE,
            (el_var[]){{"member", "fsLayers"},
                       {"detail", fs ? (json_is_array(fs) ? "it is empty" : "it is not an array")
                                     : "it is missing"},
                       {NULL, NULL}});
    if (!json_is_array(hist))
        mf_report(m, "ECR5601", hist ? "/history" : "", EL_LOCATE_VALUE,
                  (el_var[]){{"member", "history"},
                             {"detail", hist ? "it is not an array" : "it is missing"},
                             {NULL, NULL}});
    if (json_is_array(fs) && json_is_array(hist) && json_array_size(fs) != json_array_size(hist)) {
        char a[EL_INT_TEXT], b[EL_INT_TEXT];
        mf_report(m, "ECR5602", "/history", EL_LOCATE_VALUE,
                  (el_var[]){{"fsLayers", el_fmt_int(a, (long long)json_array_size(fs))},
                             {"history", el_fmt_int(b, (long long)json_array_size(hist))},
                             {NULL, NULL}});
    }
    if (json_is_array(fs)) {
        char num[EL_INT_TEXT], at_mem[64]; /* "/fsLayers/<i>" */
        el_buf atb;
        el_buf_init_in(&atb, at_mem, sizeof at_mem);
        for (size_t i = 0; i < json_array_size(fs) && m->st == ECRLINT_OK; i++) {
            const json_t *l = json_array_get(fs, i);
            const json_t *sum = json_is_object(l) ? json_object_get(l, "blobSum") : NULL;
            const char *at = mf_ptr_index(m, &atb, "/fsLayers", i);
            el_mf_digest d = json_is_string(sum) ? el_mf_digest_check(json_string_value(sum),
                                                                      json_string_length(sum), NULL)
                                                 : EL_MF_DIGEST_GRAMMAR;
            if (d == EL_MF_DIGEST_GRAMMAR || d == EL_MF_DIGEST_ENCODING)
                mf_report(m, "ECR5603", sum ? mf_ptr(m, &m->ptr, at, "blobSum") : at,
                          EL_LOCATE_VALUE,
                          (el_var[]){{"index", el_fmt_int(num, (long long)i)},
                                     {"value", json_is_string(sum) ? json_string_value(sum)
                                                                   : "(missing or not a string)"},
                                     {NULL, NULL}});
            else if (strncmp(json_string_value(sum), "sha256:", 7) != 0)
                mf_report(m, "ECR5807", mf_ptr(m, &m->ptr, at, "blobSum"), EL_LOCATE_VALUE,
                          (el_var[]){{"value", json_string_value(sum)}, {NULL, NULL}});
        }
        el_buf_free(&atb);
        mf_extra_set(m, "layers", json_integer((json_int_t)json_array_size(fs)));
    }
    if (json_is_array(hist) && m->st == ECRLINT_OK)
        check_chain(m, hist);

    const json_t *sigs = json_object_get(root, "signatures");
    bool is_signed = sigs && !json_is_null(sigs);
    mf_extra_set(m, "signed", json_boolean(is_signed));
    if (!is_signed) {
        mf_report(m, "ECR5606", "", EL_LOCATE_VALUE, NULL);
        return;
    }
    unsigned char *payload;
    size_t plen, bad;
    el_mf_jws r = el_mf_s1_payload(root, bytes, len, &payload, &plen, &bad);
    if (r == EL_MF_JWS_NOMEM) {
        mf_nomem(m);
        return;
    }
    if (r != EL_MF_JWS_OK) {
        static const char *const why[] = {
            "",
            "",
            "signatures is not a non-empty array",
            "a protected header is missing, not base64url or not a JSON object",
            "formatLength or formatTail is missing, of the wrong type or past the end",
            "the signatures disagree on formatLength and formatTail"};
        const char *at = r == EL_MF_JWS_NO_SIGNATURES
                             ? "/signatures"
                             : mf_ptr_index(m, &m->ptr, "/signatures", bad);
        mf_report(m, "ECR5607", at, EL_LOCATE_VALUE, (el_var[]){{"detail", why[r]}, {NULL, NULL}});
        return;
    }
    char d[EL_DIGEST_BUF];
    if (el_digest_of("sha256", payload, plen, d)) {
        mf_extra_set(m, "payloadDigest", json_string(d));
        mf_extra_set(m, "payloadSize", json_integer((json_int_t)plen));
    }
    /* A payload that is not a prefix of the document plus the tail means the JWS was cut in
     * the wrong place: the payload must parse as the same manifest without signatures. */
    json_t *p = json_loadb((const char *)payload, plen, 0, NULL);
    if (!json_is_object(p) || json_object_get(p, "signatures"))
        mf_report(m, "ECR5607", "/signatures", EL_LOCATE_VALUE,
                  (el_var[]){{"detail", "the payload that formatLength and formatTail describe is "
                                        "not the manifest without its signatures"},
                             {NULL, NULL}});
    json_decref(p);
    el_free(payload);
}

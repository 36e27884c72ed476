/* manifest.c - image manifests: classification, validation per format, ECR's acceptance, digests.
 *
 * The decision procedure is that of the reference (manifests.md section 1.4): a declared media
 * type wins when it is one of the known ones; otherwise the body is classified the way
 * containers/image's GuessMIMEType does, then cross-checked (mediaType and schemaVersion per
 * type, no fields of another format). Rule IDs and texts live in rules/manifest.json:
 * ECR50xx document and classification, 51xx descriptors, 52xx OCI manifest, 53xx OCI index,
 * 54xx Docker schema 2, 55xx manifest list, 56xx schema 1, 58xx ECR profile, 59xx what
 * BatchGetImage would return for given acceptedMediaTypes.
 *
 * Whether a manifest "conforms" counts only findings of its own specification (50xx-56xx at
 * error severity); ECR-profile findings and warnings do not. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request/el_check.h"

#define MT_S1 "application/vnd.docker.distribution.manifest.v1+json"
#define MT_S1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define MT_V2S2 "application/vnd.docker.distribution.manifest.v2+json"
#define MT_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI "application/vnd.oci.image.manifest.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MT_PLUGIN_CONFIG "application/vnd.docker.plugin.v1+json"
#define MT_EMPTY "application/vnd.oci.empty.v1+json"
#define MAX_MANIFEST 4194304

typedef enum mtype { M_UNKNOWN = 0, M_S1, M_S1_SIGNED, M_V2S2, M_LIST, M_OCI, M_INDEX } mtype;

static const char *const type_names[] = {NULL, MT_S1, MT_S1_SIGNED, MT_V2S2, MT_LIST, MT_OCI, MT_INDEX};

static mtype type_of(const char *mt)
{
    if (!mt)
        return M_UNKNOWN;
    for (int t = M_S1; t <= M_INDEX; t++)
        if (strcmp(mt, type_names[t]) == 0)
            return (mtype)t;
    return M_UNKNOWN;
}

typedef struct mcheck {
    el_ctx *cx;
    bool spec_error; /* a MUST of the manifest's own specification is broken */
    ecrlint_status st;
    el_buf ptr;
} mcheck;

/* Reports rule `id` at `pointer`; vars are name/value pairs ending with NULL. */
static void rep(mcheck *m, const char *id, const char *pointer, el_locate_what what, ...)
{
    if (m->st != ECRLINT_OK)
        return;
    el_var vars[12];
    size_t n = 0;
    va_list ap;
    va_start(ap, what);
    for (;;) {
        const char *name = va_arg(ap, const char *);
        if (!name || n + 1 >= sizeof vars / sizeof vars[0])
            break;
        vars[n].name = name;
        vars[n].value = va_arg(ap, const char *);
        n++;
    }
    va_end(ap);
    vars[n].name = NULL;
    vars[n].value = NULL;
    if (!el_rule_on(m->cx, id))
        return;
    /* 50xx-56xx errors are the manifest's own specification; 58xx/59xx are ECR's. */
    const el_rule *r = el_ruleset_find(m->cx->rs, id);
    if (r && r->info.severity == ECRLINT_SEVERITY_ERROR && id[3] == '5' && id[4] < '8')
        m->spec_error = true;
    m->st = el_report(m->cx, id, pointer, what, vars);
}

/* ---- grammars ------------------------------------------------------------------------------- */

static bool mt_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$&^_.+-", c));
}

static bool mt_first(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* RFC 6838 section 4.2 type/subtype, without parameters (the OCI descriptor grammar). */
static bool media_type_ok(const char *s)
{
    const char *slash = strchr(s, '/');
    if (!slash)
        return false;
    for (int part = 0; part < 2; part++) {
        const char *p = part ? slash + 1 : s;
        const char *end = part ? s + strlen(s) : slash;
        size_t n = (size_t)(end - p);
        if (n < 1 || n > 127 || !mt_first(*p))
            return false;
        for (const char *q = p + 1; q < end; q++)
            if (!mt_char(*q))
                return false;
    }
    return true;
}

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* algorithm ":" encoded, with algorithm = [a-z0-9]+([+._-][a-z0-9]+)* and
 * encoded = [a-zA-Z0-9=_-]+ (OCI descriptor.md). */
static bool digest_grammar(const char *s, size_t *alg_len)
{
    const char *colon = strchr(s, ':');
    if (!colon || colon == s)
        return false;
    bool need_alnum = true;
    for (const char *p = s; p < colon; p++) {
        if (lower_alnum(*p))
            need_alnum = false;
        else if (strchr("+._-", *p) && !need_alnum)
            need_alnum = true;
        else
            return false;
    }
    if (need_alnum || !colon[1])
        return false;
    for (const char *p = colon + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '=' || *p == '_' || *p == '-'))
            return false;
    *alg_len = (size_t)(colon - s);
    return true;
}

static bool lower_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Standard base64 with padding (RFC 4648 section 4), decoded with libcrypto. Returns the
 * decoded length, or -1. *out is allocated with el_malloc. */
static long base64_decode(const char *s, size_t n, unsigned char **out)
{
    *out = NULL;
    if (n % 4 != 0 || n > (size_t)MAX_MANIFEST * 2)
        return -1;
    unsigned char *buf = el_malloc(n / 4 * 3 + 1);
    if (!buf)
        return -2;
    int len = n ? EVP_DecodeBlock(buf, (const unsigned char *)s, (int)n) : 0;
    if (len < 0) {
        el_free(buf);
        return -1;
    }
    /* EVP_DecodeBlock counts the bytes that padding stands for; take them off again. */
    if (n >= 1 && s[n - 1] == '=')
        len--;
    if (n >= 2 && s[n - 2] == '=')
        len--;
    *out = buf;
    return len;
}

/* base64url without padding (JWS), by rewriting to standard base64. */
static long base64url_decode(const char *s, size_t n, unsigned char **out)
{
    *out = NULL;
    if (n > MAX_MANIFEST)
        return -1;
    size_t padded = (n + 3) / 4 * 4;
    char *tmp = el_malloc(padded + 1);
    if (!tmp)
        return -2;
    for (size_t i = 0; i < n; i++)
        tmp[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
    for (size_t i = n; i < padded; i++)
        tmp[i] = '=';
    long r = base64_decode(tmp, padded, out);
    el_free(tmp);
    return r;
}

/* ---- descriptors ---------------------------------------------------------------------------- */

static const char *str_member(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void set_ptr(mcheck *m, const char *base, const char *tok)
{
    el_buf_reset(&m->ptr);
    el_buf_puts(&m->ptr, base);
    if (tok)
        el_pointer_append(&m->ptr, tok);
}

/* Checks one descriptor at pointer `at`. `docker` is true inside Docker formats (no
 * annotations, no data there). */
static void check_descriptor(mcheck *m, const json_t *d, const char *at, bool docker)
{
    if (!json_is_object(d)) {
        rep(m, "ECR5100", at, EL_LOCATE_VALUE, "what", "a descriptor", NULL);
        return;
    }
    char base[512];
    snprintf(base, sizeof base, "%s", at);

    const json_t *mt = json_object_get(d, "mediaType");
    set_ptr(m, base, "mediaType");
    if (!json_is_string(mt)) {
        rep(m, "ECR5101", mt ? m->ptr.data : base, EL_LOCATE_VALUE, "member", "mediaType", NULL);
    } else if (strchr(json_string_value(mt), ';')) {
        rep(m, "ECR5801", m->ptr.data, EL_LOCATE_VALUE, "value", json_string_value(mt), NULL);
    } else if (!media_type_ok(json_string_value(mt))) {
        rep(m, "ECR5102", m->ptr.data, EL_LOCATE_VALUE, "value", json_string_value(mt), NULL);
    }

    const json_t *dg = json_object_get(d, "digest");
    set_ptr(m, base, "digest");
    size_t alg = 0;
    if (!json_is_string(dg)) {
        rep(m, "ECR5101", dg ? m->ptr.data : base, EL_LOCATE_VALUE, "member", "digest", NULL);
    } else if (!digest_grammar(json_string_value(dg), &alg)) {
        rep(m, "ECR5103", m->ptr.data, EL_LOCATE_VALUE, "value", json_string_value(dg), NULL);
    } else {
        const char *v = json_string_value(dg);
        const char *hex = v + alg + 1;
        if (alg == 6 && strncmp(v, "sha256", 6) == 0) {
            if (!lower_hex(hex, 64))
                rep(m, "ECR5104", m->ptr.data, EL_LOCATE_VALUE, "value", v, "algorithm", "sha256",
                    "length", "64", NULL);
        } else if (alg == 6 && strncmp(v, "sha512", 6) == 0) {
            if (!lower_hex(hex, 128))
                rep(m, "ECR5104", m->ptr.data, EL_LOCATE_VALUE, "value", v, "algorithm", "sha512",
                    "length", "128", NULL);
            rep(m, "ECR5807", m->ptr.data, EL_LOCATE_VALUE, "value", v, NULL);
        } else {
            rep(m, "ECR5807", m->ptr.data, EL_LOCATE_VALUE, "value", v, NULL);
        }
    }

    const json_t *sz = json_object_get(d, "size");
    set_ptr(m, base, "size");
    if (!sz || !json_is_integer(sz) || json_integer_value(sz) < 0) {
        rep(m, "ECR5105", sz ? m->ptr.data : base, EL_LOCATE_VALUE, NULL);
    } else if (json_integer_value(sz) == 0) {
        rep(m, "ECR5802", m->ptr.data, EL_LOCATE_VALUE, NULL);
    }

    const json_t *urls = json_object_get(d, "urls");
    if (urls) {
        set_ptr(m, base, "urls");
        if (!json_is_array(urls)) {
            rep(m, "ECR5106", m->ptr.data, EL_LOCATE_VALUE, "value", "not an array", NULL);
        } else {
            size_t i;
            const json_t *u;
            json_array_foreach(urls, i, u) {
                const char *s = json_is_string(u) ? json_string_value(u) : NULL;
                if (!s || !(strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0) ||
                    strchr(s, '#') || strlen(s) <= 8) {
                    char idx[24];
                    snprintf(idx, sizeof idx, "%zu", i);
                    set_ptr(m, base, "urls");
                    el_pointer_append(&m->ptr, idx);
                    rep(m, "ECR5106", m->ptr.data, EL_LOCATE_VALUE, "value", s ? s : "not a string",
                        NULL);
                }
            }
        }
    }

    const json_t *ann = json_object_get(d, "annotations");
    if (ann) {
        set_ptr(m, base, "annotations");
        bool ok = json_is_object(ann);
        const char *k;
        const json_t *v;
        if (ok)
            json_object_foreach((json_t *)ann, k, v) if (!json_is_string(v)) ok = false;
        if (!ok)
            rep(m, "ECR5107", m->ptr.data, EL_LOCATE_VALUE, NULL);
        else if (docker)
            rep(m, "ECR5403", m->ptr.data, EL_LOCATE_KEY, "member", "annotations", NULL);
    }

    const json_t *data = json_object_get(d, "data");
    if (data) {
        set_ptr(m, base, "data");
        unsigned char *raw = NULL;
        long n = json_is_string(data)
                     ? base64_decode(json_string_value(data), json_string_length(data), &raw)
                     : -1;
        if (n == -2) {
            m->st = ECRLINT_ERR_NOMEM;
            return;
        }
        if (n < 0) {
            rep(m, "ECR5108", m->ptr.data, EL_LOCATE_VALUE, "detail", "it is not standard base64",
                NULL);
        } else {
            char computed[EL_SHA256_DIGEST_SIZE];
            bool hashed = el_sha256_digest(raw, (size_t)n, computed);
            char len[32];
            snprintf(len, sizeof len, "%ld", n);
            if (json_is_integer(sz) && json_integer_value(sz) != n)
                rep(m, "ECR5108", m->ptr.data, EL_LOCATE_VALUE, "detail",
                    "its length differs from size", "length", len, NULL);
            else if (hashed && json_is_string(dg) &&
                     strncmp(json_string_value(dg), "sha256:", 7) == 0 &&
                     strcmp(json_string_value(dg), computed) != 0)
                rep(m, "ECR5108", m->ptr.data, EL_LOCATE_VALUE, "detail",
                    "its sha256 differs from digest", "computed", computed, NULL);
        }
        el_free(raw);
    }

    const json_t *at_ = json_object_get(d, "artifactType");
    if (at_ && !(json_is_string(at_) && media_type_ok(json_string_value(at_)))) {
        set_ptr(m, base, "artifactType");
        if (json_is_string(at_) && strchr(json_string_value(at_), ';'))
            rep(m, "ECR5801", m->ptr.data, EL_LOCATE_VALUE, "value", json_string_value(at_), NULL);
        else
            rep(m, "ECR5102", m->ptr.data, EL_LOCATE_VALUE, "value",
                json_is_string(at_) ? json_string_value(at_) : "not a string", NULL);
    }
}

/* platform {architecture, os} of a list or index entry */
static void check_platform(mcheck *m, const json_t *e, const char *at, bool required)
{
    const json_t *p = json_object_get(e, "platform");
    if (!p) {
        if (required)
            rep(m, "ECR5500", at, EL_LOCATE_VALUE, NULL);
        return;
    }
    set_ptr(m, at, "platform");
    if (!json_is_object(p) || !json_is_string(json_object_get(p, "architecture")) ||
        !json_is_string(json_object_get(p, "os")))
        rep(m, "ECR5301", m->ptr.data, EL_LOCATE_VALUE, NULL);
}

/* ---- per format ----------------------------------------------------------------------------- */

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static void check_layers(mcheck *m, const json_t *root, mtype t, json_int_t *total, size_t *count)
{
    static const char *const docker_layers[] = {
        "application/vnd.docker.image.rootfs.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.diff.tar",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.foreign.diff.tar", NULL};
    const json_t *layers = json_object_get(root, "layers");
    *total = 0;
    *count = 0;
    if (!layers) {
        rep(m, t == M_OCI ? "ECR5200" : "ECR5400", "", EL_LOCATE_VALUE, "member", "layers", NULL);
        return;
    }
    if (!json_is_array(layers)) {
        rep(m, t == M_OCI ? "ECR5200" : "ECR5400", "/layers", EL_LOCATE_VALUE, "member", "layers",
            NULL);
        return;
    }
    if (json_array_size(layers) == 0)
        rep(m, "ECR5803", "/layers", EL_LOCATE_VALUE, NULL);
    size_t i;
    const json_t *l;
    json_array_foreach(layers, i, l) {
        char at[64];
        snprintf(at, sizeof at, "/layers/%zu", i);
        check_descriptor(m, l, at, t == M_V2S2);
        (*count)++;
        const json_t *sz = json_object_get(l, "size");
        if (json_is_integer(sz) && json_integer_value(sz) > 0)
            *total += json_integer_value(sz);
        const char *mt = str_member(l, "mediaType");
        if (!mt)
            continue;
        char mtp[80];
        snprintf(mtp, sizeof mtp, "%s/mediaType", at);
        if (t == M_V2S2) {
            if (strncmp(mt, "application/vnd.oci.image.layer.", 32) == 0)
                rep(m, "ECR5804", mtp, EL_LOCATE_VALUE, "value", mt, NULL);
            else if (!in_list(mt, docker_layers) && !strchr(mt, ';'))
                rep(m, "ECR5401", mtp, EL_LOCATE_VALUE, "value", mt, NULL);
            if (strstr(mt, ".foreign.")) {
                rep(m, "ECR5805", mtp, EL_LOCATE_VALUE, "value", mt, NULL);
                if (strcmp(mt, docker_layers[2]) == 0 && !json_object_get(l, "urls"))
                    rep(m, "ECR5402", at, EL_LOCATE_VALUE, NULL);
            }
        } else {
            if (strncmp(mt, "application/vnd.docker.image.rootfs.", 36) == 0)
                rep(m, "ECR5804", mtp, EL_LOCATE_VALUE, "value", mt, NULL);
            if (strstr(mt, "nondistributable"))
                rep(m, "ECR5805", mtp, EL_LOCATE_VALUE, "value", mt, NULL);
        }
    }
}

static void check_config(mcheck *m, const json_t *root, mtype t, const char **config_mt)
{
    const json_t *c = json_object_get(root, "config");
    *config_mt = NULL;
    if (!c) {
        rep(m, t == M_OCI ? "ECR5200" : "ECR5400", "", EL_LOCATE_VALUE, "member", "config", NULL);
        return;
    }
    check_descriptor(m, c, "/config", t == M_V2S2);
    *config_mt = str_member(c, "mediaType");
    if (json_object_get(c, "annotations"))
        rep(m, "ECR5806", "/config/annotations", EL_LOCATE_KEY, NULL);
    if (!*config_mt)
        return;
    if (t == M_V2S2 && strcmp(*config_mt, MT_DOCKER_CONFIG) != 0 &&
        strcmp(*config_mt, MT_PLUGIN_CONFIG) != 0)
        rep(m, "ECR5404", "/config/mediaType", EL_LOCATE_VALUE, "value", *config_mt, NULL);
    if (t == M_OCI && strcmp(*config_mt, MT_DOCKER_CONFIG) == 0)
        rep(m, "ECR5804", "/config/mediaType", EL_LOCATE_VALUE, "value", *config_mt, NULL);
}

static void check_children(mcheck *m, const json_t *root, mtype t, json_t *extra)
{
    const json_t *ms = json_object_get(root, "manifests");
    if (!json_is_array(ms)) {
        rep(m, t == M_INDEX ? "ECR5300" : "ECR5501", ms ? "/manifests" : "", EL_LOCATE_VALUE, NULL);
        return;
    }
    json_t *list = json_array();
    size_t i;
    const json_t *e;
    json_array_foreach(ms, i, e) {
        char at[64];
        snprintf(at, sizeof at, "/manifests/%zu", i);
        check_descriptor(m, e, at, t == M_LIST);
        if (!json_is_object(e))
            continue;
        check_platform(m, e, at, t == M_LIST);
        const char *cmt = str_member(e, "mediaType");
        if (cmt && !strchr(cmt, ';') && type_of(cmt) == M_UNKNOWN && t == M_LIST) {
            char mtp[80];
            snprintf(mtp, sizeof mtp, "%s/mediaType", at);
            rep(m, "ECR5502", mtp, EL_LOCATE_VALUE, "value", cmt, NULL);
        }
        json_t *entry = json_object();
        json_object_set_new(entry, "digest", json_string(str_member(e, "digest") ? str_member(e, "digest") : ""));
        json_object_set_new(entry, "mediaType", cmt ? json_string(cmt) : json_null());
        const json_t *p = json_object_get(e, "platform");
        json_object_set_new(entry, "platform", p ? json_deep_copy(p) : json_null());
        json_array_append_new(list, entry);
    }
    json_object_set_new(extra, "manifests", list);
}

static void check_schema1(mcheck *m, const char *bytes, size_t len, const json_t *root,
                          bool signed_, json_t *extra)
{
    rep(m, "ECR5600", "", EL_LOCATE_VALUE, NULL);
    const json_t *fs = json_object_get(root, "fsLayers");
    const json_t *hist = json_object_get(root, "history");
    if (!json_is_array(fs) || json_array_size(fs) == 0)
        rep(m, "ECR5601", fs ? "/fsLayers" : "", EL_LOCATE_VALUE, "member", "fsLayers", NULL);
    if (!json_is_array(hist))
        rep(m, "ECR5601", hist ? "/history" : "", EL_LOCATE_VALUE, "member", "history", NULL);
    if (json_is_array(fs) && json_is_array(hist) && json_array_size(fs) != json_array_size(hist)) {
        char a[24], b[24];
        snprintf(a, sizeof a, "%zu", json_array_size(fs));
        snprintf(b, sizeof b, "%zu", json_array_size(hist));
        rep(m, "ECR5602", "/history", EL_LOCATE_VALUE, "fsLayers", a, "history", b, NULL);
    }
    if (json_is_array(fs)) {
        size_t i;
        const json_t *l;
        json_array_foreach(fs, i, l) {
            const char *sum = str_member(l, "blobSum");
            size_t alg;
            char at[64];
            snprintf(at, sizeof at, "/fsLayers/%zu", i);
            if (!sum || !digest_grammar(sum, &alg))
                rep(m, "ECR5603", at, EL_LOCATE_VALUE, "value", sum ? sum : "missing", NULL);
        }
        json_object_set_new(extra, "layers", json_integer((json_int_t)json_array_size(fs)));
    }
    /* v1Compatibility: JSON objects with 64-hex ids, each parent the next one's id. */
    if (json_is_array(hist)) {
        const char *prev_parent = NULL;
        char prev_at[80] = "";
        size_t n = json_array_size(hist);
        json_t **docs = el_calloc(n ? n : 1, sizeof *docs);
        if (!docs) {
            m->st = ECRLINT_ERR_NOMEM;
            return;
        }
        for (size_t i = 0; i < n; i++) {
            char at[80];
            snprintf(at, sizeof at, "/history/%zu/v1Compatibility", i);
            const char *v1 = str_member(json_array_get(hist, i), "v1Compatibility");
            docs[i] = v1 ? json_loads(v1, JSON_DECODE_ANY, NULL) : NULL;
            const char *id = json_is_object(docs[i]) ? str_member(docs[i], "id") : NULL;
            if (!id || !lower_hex(id, 64)) {
                rep(m, "ECR5604", at, EL_LOCATE_VALUE, NULL);
                prev_parent = NULL;
                continue;
            }
            if (i > 0 && prev_parent && strcmp(prev_parent, id) != 0)
                rep(m, "ECR5605", prev_at, EL_LOCATE_VALUE, "parent", prev_parent, "next", id, NULL);
            prev_parent = json_is_object(docs[i]) ? str_member(docs[i], "parent") : NULL;
            snprintf(prev_at, sizeof prev_at, "%s", at);
            if (i + 1 == n && prev_parent)
                rep(m, "ECR5605", at, EL_LOCATE_VALUE, "parent", prev_parent, "next", "(none)", NULL);
        }
        for (size_t i = 0; i < n; i++)
            json_decref(docs[i]);
        el_free(docs);
    }
    if (!signed_) {
        rep(m, "ECR5606", "", EL_LOCATE_VALUE, NULL);
        return;
    }
    /* Signed: the payload registries digest is bytes[0:formatLength] + formatTail, from the
     * JWS protected header (all signatures must agree). */
    const json_t *sigs = json_object_get(root, "signatures");
    const json_t *sig0 = json_is_array(sigs) ? json_array_get(sigs, 0) : NULL;
    const char *prot = sig0 ? str_member(sig0, "protected") : NULL;
    unsigned char *hdr = NULL;
    long hlen = prot ? base64url_decode(prot, strlen(prot), &hdr) : -1;
    if (hlen == -2) {
        m->st = ECRLINT_ERR_NOMEM;
        return;
    }
    json_t *h = hlen >= 0 ? json_loadb((const char *)hdr, (size_t)hlen, 0, NULL) : NULL;
    el_free(hdr);
    const json_t *fl = json_object_get(h, "formatLength");
    const char *ft = str_member(h, "formatTail");
    unsigned char *tail = NULL;
    long tlen = ft ? base64url_decode(ft, strlen(ft), &tail) : -1;
    if (!json_is_integer(fl) || json_integer_value(fl) < 0 ||
        (size_t)json_integer_value(fl) > len || tlen < 0) {
        rep(m, "ECR5607", sigs ? "/signatures" : "", EL_LOCATE_VALUE, NULL);
    } else {
        size_t flen = (size_t)json_integer_value(fl);
        unsigned char *payload = el_malloc(flen + (size_t)tlen + 1);
        if (!payload) {
            m->st = ECRLINT_ERR_NOMEM;
        } else {
            memcpy(payload, bytes, flen);
            memcpy(payload + flen, tail, (size_t)tlen);
            char d[EL_SHA256_DIGEST_SIZE];
            if (el_sha256_digest(payload, flen + (size_t)tlen, d))
                json_object_set_new(extra, "payloadDigest", json_string(d));
            el_free(payload);
        }
    }
    el_free(tail);
    json_decref(h);
}

/* ---- acceptedMediaTypes: what BatchGetImage would return (ecr-api.md section 4.2) ----------- */

static bool accepts(const char *const *accept, const char *mt)
{
    for (const char *const *a = accept; *a; a++)
        if (strcmp(*a, mt) == 0)
            return true;
    return false;
}

static json_t *answer(const char *mt, bool translated)
{
    json_t *o = json_object();
    json_object_set_new(o, "mediaType", json_string(mt));
    json_object_set_new(o, "translated", json_boolean(translated));
    return o;
}

static void check_accept(mcheck *m, mtype t, const char *const *accept, json_t *extra)
{
    const char *stored = type_names[t];
    json_t *acc = json_object();
    json_t *by_digest = NULL, *by_tag = NULL;
    /* schema 1 is accepted under either of its two names */
    bool as_stored = accepts(accept, stored) ||
                     ((t == M_S1 || t == M_S1_SIGNED) &&
                      (accepts(accept, MT_S1) || accepts(accept, MT_S1_SIGNED)));
    if (as_stored) {
        by_digest = answer(stored, false);
        by_tag = answer(stored, false);
    } else {
        /* Pulled by tag, ECR translates schema 2 <-> OCI and schema 2 -> schema 1. */
        if (t == M_V2S2 && accepts(accept, MT_OCI))
            by_tag = answer(MT_OCI, true);
        else if (t == M_OCI && accepts(accept, MT_V2S2))
            by_tag = answer(MT_V2S2, true);
        else if (t == M_V2S2 && accepts(accept, MT_S1))
            by_tag = answer(MT_S1, true);
        rep(m, "ECR5900", "", EL_LOCATE_VALUE, "stored", stored, NULL);
        if (!by_tag)
            rep(m, "ECR5901", "", EL_LOCATE_VALUE, "stored", stored, NULL);
        else
            rep(m, "ECR5902", "", EL_LOCATE_VALUE, "stored", stored, "returned",
                json_string_value(json_object_get(by_tag, "mediaType")), NULL);
    }
    json_object_set_new(acc, "byTag", by_tag ? by_tag : json_null());
    json_object_set_new(acc, "byDigest", by_digest ? by_digest : json_null());
    json_object_set_new(extra, "accepted", acc);
}

/* ---- the entry points ----------------------------------------------------------------------- */

bool el_manifest_sniff(const json_t *root)
{
    if (!json_is_object(root))
        return false;
    if (type_of(str_member(root, "mediaType")) != M_UNKNOWN)
        return true;
    const json_t *sv = json_object_get(root, "schemaVersion");
    if (!json_is_integer(sv))
        return false;
    if (json_integer_value(sv) == 2)
        return json_object_get(root, "config") || json_object_get(root, "layers") ||
               json_object_get(root, "manifests");
    if (json_integer_value(sv) == 1)
        return json_object_get(root, "fsLayers") || json_object_get(root, "history");
    return false;
}

/* GuessMIMEType (manifests.md 1.2), with the index fix of 1.5. */
static mtype guess(const json_t *root)
{
    mtype t = type_of(str_member(root, "mediaType"));
    if (t == M_V2S2 || t == M_LIST || t == M_OCI || t == M_INDEX)
        return t;
    const json_t *sv = json_object_get(root, "schemaVersion");
    if (!json_is_integer(sv))
        return M_UNKNOWN;
    if (json_integer_value(sv) == 1) {
        const json_t *s = json_object_get(root, "signatures");
        return s && !json_is_null(s) ? M_S1_SIGNED : M_S1;
    }
    if (json_integer_value(sv) != 2)
        return M_UNKNOWN;
    const char *cmt = str_member(json_object_get(root, "config"), "mediaType");
    if (cmt && strcmp(cmt, MT_OCI_CONFIG) == 0)
        return M_OCI;
    if (cmt && strcmp(cmt, MT_DOCKER_CONFIG) == 0)
        return M_V2S2;
    if (!json_object_get(root, "config") && json_is_array(json_object_get(root, "manifests")))
        return M_INDEX;
    return M_OCI;
}

ecrlint_status el_manifest_check(el_ctx *cx, const char *bytes, size_t len, const json_t *root,
                                 const char *declared, const char *const *accept)
{
    mcheck m = {.cx = cx};
    el_buf_init(&m.ptr);
    json_t *extra = json_object();
    if (!extra)
        return ECRLINT_ERR_NOMEM;
    char digest[EL_SHA256_DIGEST_SIZE] = "";
    if (!el_sha256_digest(bytes, len, digest)) {
        json_decref(extra);
        return ECRLINT_ERR_INTERNAL;
    }
    json_object_set_new(extra, "digest", json_string(digest));
    json_object_set_new(extra, "size", json_integer((json_int_t)len));
    char size[32];
    snprintf(size, sizeof size, "%zu", len);
    if (len > MAX_MANIFEST)
        rep(&m, "ECR5001", "", EL_LOCATE_VALUE, "size", size, NULL);

    /* The declared type, without parameters. */
    char decl[256] = "";
    if (declared) {
        snprintf(decl, sizeof decl, "%s", declared);
        char *semi = strchr(decl, ';');
        if (semi)
            *semi = '\0';
        size_t n = strlen(decl);
        while (n && decl[n - 1] == ' ')
            decl[--n] = '\0';
    }
    mtype dt = type_of(decl);
    if (decl[0] && strcmp(decl, "application/json") == 0)
        dt = M_S1_SIGNED;
    if (decl[0] && dt == M_UNKNOWN)
        rep(&m, "ECR5003", "", EL_LOCATE_VALUE, "value", decl, NULL);

    mtype t = M_UNKNOWN;
    if (!json_is_object(root)) {
        rep(&m, "ECR5002", "", EL_LOCATE_VALUE, "detail",
            root ? "the top-level value is not an object" : "it is not valid JSON", NULL);
        goto done;
    }
    const json_t *body_mt = json_object_get(root, "mediaType");
    if (body_mt && !json_is_string(body_mt))
        rep(&m, "ECR5004", "/mediaType", EL_LOCATE_VALUE, NULL);
    const char *bmt = json_is_string(body_mt) ? json_string_value(body_mt) : NULL;
    if (bmt && strchr(bmt, ';'))
        rep(&m, "ECR5801", "/mediaType", EL_LOCATE_VALUE, "value", bmt, NULL);

    t = dt != M_UNKNOWN ? dt : guess(root);
    if (t == M_UNKNOWN) {
        rep(&m, "ECR5005", json_object_get(root, "schemaVersion") ? "/schemaVersion" : "",
            EL_LOCATE_VALUE, NULL);
    } else {
        /* Cross-checks (1.4 step 4). */
        mtype bt = type_of(bmt);
        if (dt != M_UNKNOWN && bmt && bt != M_UNKNOWN && bt != dt &&
            !((dt == M_S1 || dt == M_S1_SIGNED) && (bt == M_S1 || bt == M_S1_SIGNED)))
            rep(&m, "ECR5009", "/mediaType", EL_LOCATE_VALUE, "declared", decl, "body", bmt, NULL);
        else if ((t == M_V2S2 || t == M_LIST) && (!bmt || strcmp(bmt, type_names[t]) != 0))
            rep(&m, "ECR5006", bmt ? "/mediaType" : "", EL_LOCATE_VALUE, "expected", type_names[t],
                NULL);
        else if ((t == M_OCI || t == M_INDEX) && bmt && strcmp(bmt, type_names[t]) != 0)
            rep(&m, "ECR5006", "/mediaType", EL_LOCATE_VALUE, "expected", type_names[t], NULL);
        else if ((t == M_OCI || t == M_INDEX) && !bmt)
            rep(&m, "ECR5007", "", EL_LOCATE_VALUE, "expected", type_names[t], NULL);
        const json_t *sv = json_object_get(root, "schemaVersion");
        json_int_t want = (t == M_S1 || t == M_S1_SIGNED) ? 1 : 2;
        if (!json_is_integer(sv) || json_integer_value(sv) != want) {
            char w[8];
            snprintf(w, sizeof w, "%d", (int)want);
            rep(&m, "ECR5008", sv ? "/schemaVersion" : "", EL_LOCATE_VALUE, "expected", w, NULL);
        }
        /* Ambiguity (1.4 step 5): fields that belong to another format. */
        static const char *const s1_bad[] = {"config", "layers", "manifests", NULL};
        static const char *const m_bad[] = {"fsLayers", "history", "manifests", NULL};
        static const char *const i_bad[] = {"config", "fsLayers", "history", "layers", NULL};
        const char *const *bad = (t == M_S1 || t == M_S1_SIGNED) ? s1_bad
                                 : (t == M_LIST || t == M_INDEX) ? i_bad
                                                                 : m_bad;
        for (; *bad; bad++) {
            const json_t *v = json_object_get(root, *bad);
            if (v && !json_is_null(v)) {
                set_ptr(&m, "", *bad);
                rep(&m, "ECR5010", m.ptr.data, EL_LOCATE_KEY, "member", *bad, "type",
                    type_names[t], NULL);
            }
        }
    }
    /* ECR needs a media type, from the body or the request (E3). */
    if (!bmt && !decl[0])
        rep(&m, "ECR5800", "", EL_LOCATE_VALUE, NULL);

    json_int_t layers_size = 0;
    size_t nlayers = 0;
    const char *config_mt = NULL;
    switch (t) {
    case M_OCI:
    case M_V2S2:
        check_config(&m, root, t, &config_mt);
        check_layers(&m, root, t, &layers_size, &nlayers);
        json_object_set_new(extra, "layers", json_integer((json_int_t)nlayers));
        json_object_set_new(extra, "layersSize", json_integer(layers_size));
        if (t == M_OCI && config_mt && strcmp(config_mt, MT_EMPTY) == 0 &&
            !json_object_get(root, "artifactType"))
            rep(&m, "ECR5201", "/config/mediaType", EL_LOCATE_VALUE, NULL);
        break;
    case M_LIST:
    case M_INDEX:
        check_children(&m, root, t, extra);
        break;
    case M_S1:
    case M_S1_SIGNED:
        check_schema1(&m, bytes, len, root, t == M_S1_SIGNED, extra);
        break;
    case M_UNKNOWN:
        break;
    }
    if (t == M_OCI || t == M_INDEX) {
        const json_t *art = json_object_get(root, "artifactType");
        if (art && !(json_is_string(art) && media_type_ok(json_string_value(art))))
            rep(&m, json_is_string(art) && strchr(json_string_value(art), ';') ? "ECR5801"
                                                                               : "ECR5102",
                "/artifactType", EL_LOCATE_VALUE, "value",
                json_is_string(art) ? json_string_value(art) : "not a string", NULL);
        const json_t *subject = json_object_get(root, "subject");
        if (subject)
            check_descriptor(&m, subject, "/subject", false);
        if (art || subject)
            rep(&m, "ECR5808", art ? "/artifactType" : "/subject", EL_LOCATE_KEY, NULL);
        const json_t *ann = json_object_get(root, "annotations");
        if (ann) {
            bool ok = json_is_object(ann);
            const char *k;
            const json_t *v;
            if (ok)
                json_object_foreach((json_t *)ann, k, v) if (!json_is_string(v)) ok = false;
            if (!ok)
                rep(&m, "ECR5107", "/annotations", EL_LOCATE_VALUE, NULL);
        }
    }
    if (accept && t != M_UNKNOWN)
        check_accept(&m, t, accept, extra);

done:
    /* An artifact: artifactType, or an OCI manifest whose config is not an image config. */
    json_object_set_new(extra, "mediaType", t != M_UNKNOWN ? json_string(type_names[t]) : json_null());
    {
        const json_t *sv = json_is_object(root) ? json_object_get(root, "schemaVersion") : NULL;
        json_object_set_new(extra, "schemaVersion",
                            json_is_integer(sv) ? json_integer(json_integer_value(sv)) : json_null());
        const char *art = json_is_object(root) ? str_member(root, "artifactType") : NULL;
        const char *cmt = json_is_object(root)
                              ? str_member(json_object_get(root, "config"), "mediaType")
                              : NULL;
        if (!art && t == M_OCI && cmt && strcmp(cmt, MT_OCI_CONFIG) != 0)
            art = cmt; /* "tooling should fall back to the config.mediaType value" */
        json_object_set_new(extra, "artifactType", art ? json_string(art) : json_null());
        json_object_set_new(extra, "configMediaType", cmt ? json_string(cmt) : json_null());
        if (!json_object_get(extra, "layers"))
            json_object_set_new(extra, "layers", json_integer(0));
        if (!json_object_get(extra, "layersSize"))
            json_object_set_new(extra, "layersSize", json_integer(0));
        if (!json_object_get(extra, "manifests"))
            json_object_set_new(extra, "manifests", json_array());
        json_object_set_new(extra, "signed", json_boolean(t == M_S1_SIGNED));
        json_object_set_new(extra, "conforms", json_boolean(t != M_UNKNOWN && !m.spec_error));
    }
    el_buf_free(&m.ptr);
    ecrlint_status st = m.st;
    if (st == ECRLINT_OK && !cx->embed_pointer)
        el_ctx_set_extra(cx, extra);
    else
        json_decref(extra);
    return st != ECRLINT_OK ? st : cx->status;
}

/* manifest.c - checking one manifest: its format (classified by mf_classify.c, then checked
 * against the body), the rules of each format, ECR's profile, digests and what BatchGetImage
 * returns for given acceptedMediaTypes. The sources are listed in el_manifest.h.
 *
 * Rule IDs (texts in rules/manifest.json): ECR50xx document and classification, 51xx
 * descriptors, 52xx OCI manifest, 53xx OCI index, 54xx Docker schema 2, 55xx manifest list,
 * 56xx schema 1 (mf_schema1.c), 58xx ECR profile, 59xx acceptedMediaTypes.
 *
 * "conforms" in the facts counts only the MUSTs of the manifest's own specification (the
 * rules whose pack entry says "breaksSpec"), whatever the rules' severities or whether they
 * are enabled. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check/el_ctx.h"
#include "manifest/el_manifest.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_digest.h"
#include "util/el_locate.h"
#include "util/el_text.h"

/* ---- reporting ------------------------------------------------------------------------------ */

void mf_report(mf_check *m, const char *id, const char *pointer, el_locate_what what,
               const el_var *vars)
{
    if (m->st != ECRLINT_OK)
        return;
    const el_rule *rule = el_ruleset_find(m->cx->rs, id);
    if (rule && rule->breaks_spec)
        m->spec_broken = true;
    m->st = el_report(m->cx, id, pointer, what, vars);
}

void mf_nomem(mf_check *m)
{
    if (m->st == ECRLINT_OK)
        m->st = ECRLINT_ERR_NOMEM;
}

const char *mf_ptr(mf_check *m, el_buf *out, const char *base, const char *token)
{
    el_buf_reset(out);
    el_buf_puts(out, base);
    el_pointer_append(out, token); /* adds the '/' */
    if (out->failed || !out->data) {
        mf_nomem(m);
        return "";
    }
    return out->data;
}

const char *mf_ptr_index(mf_check *m, el_buf *out, const char *base, size_t index)
{
    el_buf_reset(out);
    el_buf_puts(out, base);
    el_buf_putc(out, '/');
    el_buf_put_uint(out, index);
    if (out->failed || !out->data) {
        mf_nomem(m);
        return "";
    }
    return out->data;
}

void mf_extra_set(mf_check *m, const char *key, json_t *value)
{
    if (!value || json_object_set_new(m->extra, key, value) != 0)
        mf_nomem(m);
}

/* ---- small helpers ---------------------------------------------------------------------- */

/* A JSON string's text when it holds no NUL byte, else NULL. */
static const char *str_of(const json_t *v)
{
    if (!json_is_string(v))
        return NULL;
    const char *s = json_string_value(v);
    return strlen(s) == json_string_length(v) ? s : NULL;
}

/* jansson's iteration macros take a non-const object although they do not modify it. */
static json_t *unconst(const json_t *v)
{
    return (json_t *)(uintptr_t)v;
}

static bool present(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v);
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static bool starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* Members that Go's encoding/json, which containers/image and distribution decode manifests
 * with, matches case-insensitively (https://pkg.go.dev/encoding/json#Unmarshal). */
static const char *const manifest_members[] = {
    "schemaVersion", "mediaType", "config",     "layers",       "manifests",
    "fsLayers",      "history",   "signatures", "artifactType", "subject",
    "annotations",   "name",      "tag",        "architecture", NULL};
static const char *const descriptor_members[] = {
    "mediaType", "digest", "size", "urls", "annotations", "data", "artifactType", "platform", NULL};

static bool same_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* ECR5014: a member whose name differs from a known one only by case. */
static void check_key_case(mf_check *m, const json_t *obj, const char *base,
                           const char *const *known)
{
    const char *key;
    const json_t *v;
    json_object_foreach(unconst(obj), key, v)
    {
        (void)v;
        if (in_list(key, known))
            continue;
        for (const char *const *k = known; *k; k++) {
            if (same_nocase(key, *k)) {
                mf_report(m, "ECR5014", mf_ptr(m, &m->ptr, base, key), EL_LOCATE_KEY,
                          (el_var[]){{"member", key}, {"expected", *k}, {NULL, NULL}});
                break;
            }
        }
    }
}

/* ---- descriptors (OCI descriptor.md) ---------------------------------------------------- */

/* The format a descriptor belongs to: OCI, a Docker schema 2 manifest or a Docker list. */
typedef enum dformat { D_OCI, D_DOCKER, D_DOCKER_LIST } dformat;

/* A media-type member (mediaType, artifactType): 5801 for parameters, 5102 otherwise. */
static void check_media_type_value(mf_check *m, const json_t *v, const char *at)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (el_mf_media_type_valid(s, n))
        return;
    if (el_mf_media_type_has_params(s, n))
        mf_report(m, "ECR5801", at, EL_LOCATE_VALUE, (el_var[]){{"value", s}, {NULL, NULL}});
    else
        mf_report(m, "ECR5102", at, EL_LOCATE_VALUE, (el_var[]){{"value", s}, {NULL, NULL}});
}

static void check_string_map(mf_check *m, const json_t *ann, const char *at)
{
    if (!json_is_object(ann)) {
        mf_report(m, "ECR5107", at, EL_LOCATE_VALUE, NULL);
        return;
    }
    const char *k;
    const json_t *v;
    json_object_foreach(unconst(ann), k, v)
    {
        if (!json_is_string(v)) {
            mf_report(m, "ECR5107", at, EL_LOCATE_VALUE, (el_var[]){{"key", k}, {NULL, NULL}});
            return;
        }
    }
}

static void check_data(mf_check *m, const json_t *d, const json_t *data, const char *at)
{
    if (!json_is_string(data)) {
        mf_report(m, "ECR5108", at, EL_LOCATE_VALUE,
                  (el_var[]){{"detail", "it is not a base64 string"}, {NULL, NULL}});
        return;
    }
    size_t n;
    bool nomem;
    unsigned char *raw =
        el_mf_base64_decode(json_string_value(data), json_string_length(data), &n, &nomem);
    if (!raw) {
        if (nomem)
            mf_nomem(m);
        else
            mf_report(
                m, "ECR5108", at, EL_LOCATE_VALUE,
                (el_var[]){{"detail", "it is not standard base64 with padding"}, {NULL, NULL}});
        return;
    }
    const json_t *size = json_object_get(d, "size");
    const json_t *dg = json_object_get(d, "digest");
    if (json_is_integer(size) && (json_int_t)n != json_integer_value(size)) {
        char len[EL_INT_TEXT];
        mf_report(m, "ECR5108", at, EL_LOCATE_VALUE,
                  (el_var[]){{"detail", "its length differs from size"},
                             {"length", el_fmt_int(len, (long long)n)},
                             {NULL, NULL}});
    } else if (str_of(dg) &&
               el_mf_digest_check(str_of(dg), strlen(str_of(dg)), NULL) == EL_MF_DIGEST_OK) {
        char alg[8] = "";
        const char *colon = strchr(str_of(dg), ':');
        size_t an = (size_t)(colon - str_of(dg));
        if (an < sizeof alg) {
            memcpy(alg, str_of(dg), an);
            alg[an] = '\0';
        }
        char computed[EL_DIGEST_BUF];
        if (el_digest_of(alg, raw, n, computed) && strcmp(computed, str_of(dg)) != 0)
            mf_report(m, "ECR5108", at, EL_LOCATE_VALUE,
                      (el_var[]){{"detail", "its digest differs from digest"},
                                 {"computed", computed},
                                 {NULL, NULL}});
    }
    el_free(raw);
}

/* Checks the descriptor `d` at pointer `at` (what: "a descriptor", "the config", ...). */
static void check_descriptor(mf_check *m, const json_t *d, const char *at, dformat fmt)
{
    if (!json_is_object(d)) {
        mf_report(m, "ECR5100", at, EL_LOCATE_VALUE,
                  (el_var[]){{"what", "a descriptor"}, {NULL, NULL}});
        return;
    }
    char p_mem[128]; /* the pointer of each member in turn */
    el_buf pb;
    el_buf_init_in(&pb, p_mem, sizeof p_mem);
    check_key_case(m, d, at, descriptor_members);

    const json_t *mt = json_object_get(d, "mediaType");
    const char *p = mf_ptr(m, &pb, at, "mediaType");
    if (!json_is_string(mt))
        mf_report(m, "ECR5101", mt ? p : at, EL_LOCATE_VALUE,
                  (el_var[]){{"member", "mediaType"}, {NULL, NULL}});
    else
        check_media_type_value(m, mt, p);

    const json_t *dg = json_object_get(d, "digest");
    p = mf_ptr(m, &pb, at, "digest");
    if (!json_is_string(dg)) {
        mf_report(m, "ECR5101", dg ? p : at, EL_LOCATE_VALUE,
                  (el_var[]){{"member", "digest"}, {NULL, NULL}});
    } else {
        const char *v = json_string_value(dg);
        size_t hex = 0;
        switch (el_mf_digest_check(v, json_string_length(dg), &hex)) {
        case EL_MF_DIGEST_GRAMMAR:
            mf_report(m, "ECR5103", p, EL_LOCATE_VALUE, (el_var[]){{"value", v}, {NULL, NULL}});
            break;
        case EL_MF_DIGEST_ENCODING: {
            char alg[16], len[EL_INT_TEXT];
            const char *colon = strchr(v, ':');
            snprintf(alg, sizeof alg, "%.*s", (int)(colon - v), v);
            mf_report(m, "ECR5104", p, EL_LOCATE_VALUE,
                      (el_var[]){{"value", v},
                                 {"algorithm", alg},
                                 {"length", el_fmt_int(len, (long long)hex)},
                                 {NULL, NULL}});
            break;
        }
        case EL_MF_DIGEST_OTHER:
        case EL_MF_DIGEST_OK:
            if (!starts_with(v, "sha256:"))
                mf_report(m, "ECR5807", p, EL_LOCATE_VALUE, (el_var[]){{"value", v}, {NULL, NULL}});
            break;
        }
    }

    const json_t *size = json_object_get(d, "size");
    p = mf_ptr(m, &pb, at, "size");
    if (!json_is_integer(size) || json_integer_value(size) < 0)
        mf_report(m, "ECR5105", size ? p : at, EL_LOCATE_VALUE, NULL);
    else if (json_integer_value(size) == 0)
        mf_report(m, "ECR5802", p, EL_LOCATE_VALUE, NULL);
    else if (json_integer_value(size) > ((json_int_t)1 << 53))
        mf_report(m, "ECR5109", p, EL_LOCATE_VALUE, NULL);

    const json_t *urls = json_object_get(d, "urls");
    if (urls) {
        p = mf_ptr(m, &pb, at, "urls");
        if (fmt == D_DOCKER_LIST)
            mf_report(m, "ECR5403", p, EL_LOCATE_KEY, (el_var[]){{"member", "urls"}, {NULL, NULL}});
        if (!json_is_array(urls)) {
            mf_report(m, "ECR5106", p, EL_LOCATE_VALUE,
                      (el_var[]){{"value", "(not an array)"}, {NULL, NULL}});
        } else {
            for (size_t i = 0; i < json_array_size(urls) && m->st == ECRLINT_OK; i++) {
                const json_t *u = json_array_get(urls, i);
                if (json_is_string(u) && el_mf_url_ok(json_string_value(u), json_string_length(u)))
                    continue;
                mf_report(m, "ECR5106", mf_ptr_index(m, &m->ptr, p, i), EL_LOCATE_VALUE,
                          (el_var[]){{"value",
                                      json_is_string(u) ? json_string_value(u) : "(not a string)"},
                                     {NULL, NULL}});
            }
        }
    }

    const json_t *ann = json_object_get(d, "annotations");
    if (ann) {
        p = mf_ptr(m, &pb, at, "annotations");
        check_string_map(m, ann, p);
        if (fmt != D_OCI)
            mf_report(m, "ECR5403", p, EL_LOCATE_KEY,
                      (el_var[]){{"member", "annotations"}, {NULL, NULL}});
    }

    const json_t *data = json_object_get(d, "data");
    if (data) {
        p = mf_ptr(m, &pb, at, "data");
        check_data(m, d, data, p);
        if (fmt != D_OCI)
            mf_report(m, "ECR5403", p, EL_LOCATE_KEY, (el_var[]){{"member", "data"}, {NULL, NULL}});
    }

    const json_t *art = json_object_get(d, "artifactType");
    if (art) {
        p = mf_ptr(m, &pb, at, "artifactType");
        if (!json_is_string(art))
            mf_report(m, "ECR5102", p, EL_LOCATE_VALUE,
                      (el_var[]){{"value", "(not a string)"}, {NULL, NULL}});
        else
            check_media_type_value(m, art, p);
    }
    el_buf_free(&pb);
}

/* platform of an index or list entry (image-index.md; manifest-v2-2.md). */
static void check_platform(mf_check *m, const json_t *e, const char *at, bool required)
{
    const json_t *pl = json_object_get(e, "platform");
    if (!pl || json_is_null(pl)) {
        if (required)
            mf_report(m, "ECR5500", at, EL_LOCATE_VALUE, NULL);
        return;
    }
    char p_mem[128];
    el_buf pb;
    el_buf_init_in(&pb, p_mem, sizeof p_mem);
    const char *p = mf_ptr(m, &pb, at, "platform");
    bool ok = json_is_object(pl) && json_is_string(json_object_get(pl, "architecture")) &&
              json_is_string(json_object_get(pl, "os"));
    if (ok) {
        const json_t *v = json_object_get(pl, "os.version");
        const json_t *var = json_object_get(pl, "variant");
        const json_t *f = json_object_get(pl, "os.features");
        if ((v && !json_is_string(v)) || (var && !json_is_string(var)) || (f && !json_is_array(f)))
            ok = false;
        for (size_t i = 0; ok && json_is_array(f) && i < json_array_size(f); i++)
            if (!json_is_string(json_array_get(f, i)))
                ok = false;
    }
    if (!ok)
        mf_report(m, "ECR5301", p, EL_LOCATE_VALUE, NULL);
    else if (m->type == EL_MF_INDEX && json_object_get(pl, "features"))
        mf_report(m, "ECR5302", mf_ptr(m, &m->ptr, p, "features"), EL_LOCATE_KEY, NULL);
    el_buf_free(&pb);
}

/* ---- image manifests: config and layers (OCI manifest.md; manifest-v2-2.md) -------------- */

/* Is s (of length ls) name, but for the case of ASCII letters? */
static bool same_but_case(const char *s, size_t ls, const char *name)
{
    if (strlen(name) != ls)
        return false;
    for (size_t k = 0; k < ls; k++)
        if (((unsigned char)s[k] | 0x20) != ((unsigned char)name[k] | 0x20))
            return false;
    return true;
}

/* The name of `names` (n of them) nearest to `s` when it is at most max_edits edits away, or
 * differs from it only in case; NULL when none is, or when s is one of them. */
static const char *nearest_name(const char *s, const char *const *names, size_t n, size_t max_edits)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return NULL;
    const char *best = NULL;
    size_t best_d = max_edits + 1, ls = strlen(s);
    for (size_t i = 0; i < n && best_d > 0; i++) {
        size_t d = same_but_case(s, ls, names[i]) ? 0 : el_edit_distance(s, names[i], best_d - 1);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}

/* "; did you mean '<type>'?" when `mt` is a manifest media type but for a few letters or their
 * case (application/vnd.oci.image.manifest.v1+jsn); "" otherwise. */
static void near_type(const char *mt, char *out, size_t size)
{
    static const el_mf_type types[] = {EL_MF_S1,   EL_MF_S1_SIGNED, EL_MF_V2S2,
                                       EL_MF_LIST, EL_MF_OCI,       EL_MF_INDEX};
    const char *names[sizeof types / sizeof types[0]];
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        names[i] = el_mf_type_name(types[i]);
    /* at most five edits: "+json" left out */
    const char *best = nearest_name(mt, names, sizeof names / sizeof names[0], 5);
    if (best)
        snprintf(out, size, "; did you mean '%s'?", best);
    else if (size)
        out[0] = '\0';
}

static const char *const docker_layers[] = {
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.diff.tar", EL_MT_DOCKER_FOREIGN_GZIP,
    "application/vnd.docker.image.rootfs.foreign.diff.tar", NULL};

static void check_config(mf_check *m, dformat fmt)
{
    const char *missing = m->type == EL_MF_OCI ? "ECR5200" : "ECR5400";
    const json_t *c = json_object_get(m->root, "config");
    if (!c || json_is_null(c)) {
        mf_report(m, missing, "", EL_LOCATE_VALUE, (el_var[]){{"member", "config"}, {NULL, NULL}});
        return;
    }
    if (!json_is_object(c)) {
        mf_report(m, missing, "/config", EL_LOCATE_VALUE,
                  (el_var[]){{"member", "config"}, {NULL, NULL}});
        return;
    }
    check_descriptor(m, c, "/config", fmt);
    if (json_object_get(c, "annotations"))
        mf_report(m, "ECR5806", "/config/annotations", EL_LOCATE_KEY, NULL);
    const char *cmt = str_of(json_object_get(c, "mediaType"));
    if (!cmt)
        return;
    mf_extra_set(m, "configMediaType", json_string(cmt));
    if (m->type == EL_MF_OCI) {
        if (strcmp(cmt, EL_MT_EMPTY) == 0 && !present(m->root, "artifactType"))
            mf_report(m, "ECR5201", "/config/mediaType", EL_LOCATE_VALUE, NULL);
        if (strcmp(cmt, EL_MT_DOCKER_CONFIG) == 0)
            mf_report(m, "ECR5804", "/config/mediaType", EL_LOCATE_VALUE,
                      (el_var[]){{"value", cmt}, {NULL, NULL}});
    } else if (strcmp(cmt, EL_MT_DOCKER_CONFIG) != 0 && strcmp(cmt, EL_MT_PLUGIN_CONFIG) != 0) {
        if (starts_with(cmt, "application/vnd.oci."))
            mf_report(m, "ECR5804", "/config/mediaType", EL_LOCATE_VALUE,
                      (el_var[]){{"value", cmt}, {NULL, NULL}});
        else
            mf_report(m, "ECR5404", "/config/mediaType", EL_LOCATE_VALUE,
                      (el_var[]){{"value", cmt}, {NULL, NULL}});
    }
}

/* The known layer media types: the enum of the packs' shape manifest:LayerMediaType, whose
 * check names the rule of a misspelt one (data, as the request checker's relations read it);
 * NULL when no pack gives it. */
static const el_check *layer_types(const mf_check *m)
{
    const el_shape *s = el_ruleset_shape(m->cx->rs, "manifest:LayerMediaType");
    for (size_t i = 0; s && i < s->nchecks; i++)
        if (s->checks[i].kind == EL_CK_ENUM)
            return &s->checks[i];
    return NULL;
}

/* The known layer type that `mt` misspells: at most two edits away, or the same but for case.
 * Two, not more: artifacts carry layer types of their own (Helm charts, signatures, SBOMs),
 * and a type three edits from a known one (tar+xz) is more likely a choice than a slip. */
static const char *near_layer_type(const el_check *known, const char *mt)
{
    return known ? nearest_name(mt, (const char *const *)known->values, known->nvalues, 2) : NULL;
}

static void check_layers(mf_check *m, dformat fmt)
{
    const char *missing = m->type == EL_MF_OCI ? "ECR5200" : "ECR5400";
    const json_t *layers = json_object_get(m->root, "layers");
    if (!layers || json_is_null(layers)) {
        mf_report(m, missing, "", EL_LOCATE_VALUE, (el_var[]){{"member", "layers"}, {NULL, NULL}});
        return;
    }
    if (!json_is_array(layers)) {
        mf_report(m, missing, "/layers", EL_LOCATE_VALUE,
                  (el_var[]){{"member", "layers"}, {NULL, NULL}});
        return;
    }
    size_t n = json_array_size(layers);
    if (n == 0) {
        if (m->type == EL_MF_OCI)
            mf_report(m, "ECR5202", "/layers", EL_LOCATE_VALUE, NULL);
        mf_report(m, "ECR5803", "/layers", EL_LOCATE_VALUE, NULL);
    }
    uint64_t total = 0;
    const el_check *known = layer_types(m);
    char at_mem[64]; /* "/layers/<i>" */
    el_buf atb;
    el_buf_init_in(&atb, at_mem, sizeof at_mem);
    for (size_t i = 0; i < n && m->st == ECRLINT_OK; i++) {
        const json_t *l = json_array_get(layers, i);
        const char *at = mf_ptr_index(m, &atb, "/layers", i);
        check_descriptor(m, l, at, fmt);
        const json_t *size = json_object_get(l, "size");
        if (json_is_integer(size) && json_integer_value(size) > 0) {
            uint64_t s = (uint64_t)json_integer_value(size);
            total = total > UINT64_MAX - s ? UINT64_MAX : total + s;
        }
        const char *mt = str_of(json_object_get(l, "mediaType"));
        if (!mt || !el_mf_media_type_valid(mt, strlen(mt)))
            continue;
        const char *mtp = mf_ptr(m, &m->ptr, at, "mediaType");
        /* A type a letter or two from a known layer type is a misspelling: the rule that
         * reports the value says what was meant, or the layer-type rule when none does. */
        char hint[160];
        const char *near = near_layer_type(known, mt);
        if (near)
            snprintf(hint, sizeof hint, "; did you mean '%s'?", near);
        m->cx->msg_suffix = near ? hint : NULL;
        if (fmt == D_DOCKER) {
            if (starts_with(mt, "application/vnd.oci.image.layer."))
                mf_report(m, "ECR5804", mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", mt}, {NULL, NULL}});
            else if (!in_list(mt, docker_layers))
                mf_report(m, "ECR5401", mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", mt}, {NULL, NULL}});
            m->cx->msg_suffix = NULL;
            if (strstr(mt, ".foreign."))
                mf_report(m, "ECR5805", mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", mt}, {NULL, NULL}});
            if (strcmp(mt, EL_MT_DOCKER_FOREIGN_GZIP) == 0 && !present(l, "urls"))
                mf_report(m, "ECR5402", at, EL_LOCATE_VALUE, NULL);
        } else {
            if (starts_with(mt, "application/vnd.docker.image.rootfs."))
                mf_report(m, "ECR5804", mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", mt}, {NULL, NULL}});
            m->cx->msg_suffix = NULL;
            if (near && !starts_with(mt, "application/vnd.docker.image.rootfs."))
                mf_report(m, known->rule_id, mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", mt}, {"suggestion", near}, {NULL, NULL}});
            if (strstr(mt, ".nondistributable.") || strstr(mt, ".foreign."))
                mf_report(m, "ECR5805", mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", mt}, {NULL, NULL}});
        }
    }
    el_buf_free(&atb);
    mf_extra_set(m, "layers", json_integer((json_int_t)n));
    mf_extra_set(m, "layersSize",
                 json_integer(total > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)total));
}

/* ---- indexes and lists (OCI image-index.md; manifest-v2-2.md "Manifest List") ------------- */

static void check_children(mf_check *m, dformat fmt)
{
    const json_t *ms = json_object_get(m->root, "manifests");
    const char *missing = m->type == EL_MF_INDEX ? "ECR5300" : "ECR5501";
    if (!json_is_array(ms)) {
        mf_report(m, missing, ms ? "/manifests" : "", EL_LOCATE_VALUE, NULL);
        return;
    }
    bool facts = !(m->cx->opt && m->cx->opt->no_facts);
    json_t *list = facts ? json_array() : NULL;
    if (facts && !list) {
        mf_nomem(m);
        return;
    }
    char at_mem[64]; /* "/manifests/<i>" */
    el_buf atb;
    el_buf_init_in(&atb, at_mem, sizeof at_mem);
    for (size_t i = 0; i < json_array_size(ms) && m->st == ECRLINT_OK; i++) {
        const json_t *e = json_array_get(ms, i);
        const char *at = mf_ptr_index(m, &atb, "/manifests", i);
        check_descriptor(m, e, at, fmt);
        if (!json_is_object(e))
            continue;
        check_platform(m, e, at, m->type == EL_MF_LIST);
        const char *cmt = str_of(json_object_get(e, "mediaType"));
        if (cmt && el_mf_media_type_valid(cmt, strlen(cmt))) {
            el_mf_type ct = el_mf_type_of(cmt);
            bool docker = ct == EL_MF_V2S2 || ct == EL_MF_LIST || el_mf_is_s1(ct);
            const char *mtp = mf_ptr(m, &m->ptr, at, "mediaType");
            if (m->type == EL_MF_LIST && (ct == EL_MF_OCI || ct == EL_MF_INDEX))
                mf_report(m, "ECR5804", mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", cmt}, {NULL, NULL}});
            else if (m->type == EL_MF_LIST && ct == EL_MF_NONE)
                mf_report(m, "ECR5502", mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", cmt}, {NULL, NULL}});
            else if (m->type == EL_MF_INDEX && docker)
                mf_report(m, "ECR5804", mtp, EL_LOCATE_VALUE,
                          (el_var[]){{"value", cmt}, {NULL, NULL}});
        }
        if (!facts)
            continue;
        json_t *entry = json_object();
        const char *dg = str_of(json_object_get(e, "digest"));
        const json_t *pl = json_object_get(e, "platform");
        if (!entry || json_object_set_new(entry, "digest", dg ? json_string(dg) : json_null()) ||
            json_object_set_new(entry, "mediaType", cmt ? json_string(cmt) : json_null()) ||
            json_object_set_new(entry, "platform",
                                json_is_object(pl) ? json_incref((json_t *)pl) : json_null()) ||
            json_array_append_new(list, entry)) {
            mf_nomem(m);
            break;
        }
    }
    el_buf_free(&atb);
    if (facts)
        mf_extra_set(m, "manifests", list);
}

/* artifactType, subject and annotations of OCI manifests and indexes (OCI manifest.md and
 * image-index.md). ECR takes them since June 2024:
 * https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-ecr-oci-image-distribution-version-1-1
 * That some referrer copies still fail is observed behaviour of ECR, not documented
 * (https://github.com/aws/containers-roadmap/issues/2783). */
static void check_oci_extras(mf_check *m)
{
    const json_t *art = json_object_get(m->root, "artifactType");
    if (art) {
        if (!json_is_string(art))
            mf_report(m, "ECR5102", "/artifactType", EL_LOCATE_VALUE,
                      (el_var[]){{"value", "(not a string)"}, {NULL, NULL}});
        else
            check_media_type_value(m, art, "/artifactType");
    }
    const json_t *subject = json_object_get(m->root, "subject");
    if (subject)
        check_descriptor(m, subject, "/subject", D_OCI);
    if (art || subject)
        mf_report(m, "ECR5808", art ? "/artifactType" : "/subject", EL_LOCATE_KEY, NULL);
    const json_t *ann = json_object_get(m->root, "annotations");
    if (ann)
        check_string_map(m, ann, "/annotations");
}

/* ---- BatchGetImage ----------------------------------------------------------------------- */

static json_t *answer(const char *mt, bool translated)
{
    if (!mt)
        return json_null();
    return json_pack("{s:s, s:b}", "mediaType", mt, "translated", translated);
}

static void check_accept(mf_check *m, const char *const *accept)
{
    el_mf_accept_answer a;
    el_mf_accept(m->type, accept, &a);
    const char *stored = el_mf_type_name(m->type);
    json_t *acc = json_object();
    if (!acc || json_object_set_new(acc, "byTag", answer(a.by_tag, a.by_tag_translated)) ||
        json_object_set_new(acc, "byDigest", answer(a.by_digest, false))) {
        json_decref(acc);
        mf_nomem(m);
        return;
    }
    mf_extra_set(m, "accepted", acc);
    if (a.by_digest)
        return;
    if (a.undocumented) {
        mf_report(m, "ECR5903", "", EL_LOCATE_VALUE, (el_var[]){{"stored", stored}, {NULL, NULL}});
        return;
    }
    mf_report(m, "ECR5900", "", EL_LOCATE_VALUE, (el_var[]){{"stored", stored}, {NULL, NULL}});
    if (a.by_tag)
        mf_report(m, "ECR5902", "", EL_LOCATE_VALUE,
                  (el_var[]){{"stored", stored}, {"returned", a.by_tag}, {NULL, NULL}});
    else
        mf_report(m, "ECR5901", "", EL_LOCATE_VALUE, (el_var[]){{"stored", stored}, {NULL, NULL}});
}

/* ---- classification ------------------------------------------------------------------------ */

/* Cross-checks the classified type against the body: the body's mediaType and schemaVersion as
 * distribution checks them on push (the UnmarshalJSON of manifest/schema2, manifestlist and
 * ocischema), and members of other formats as containers/image refuses them
 * (ValidateUnambiguousManifestFormat, internal/manifest/common.go). */
static void cross_check(mf_check *m, el_mf_type declared, const char *decl, bool guessed,
                        bool go_differs)
{
    const json_t *root = m->root;
    el_mf_type t = m->type;
    const char *bmt = str_of(json_object_get(root, "mediaType"));
    el_mf_type bt = el_mf_type_of(bmt);
    const char *tn = el_mf_type_name(t);

    if (declared != EL_MF_NONE && bt != EL_MF_NONE && bt != declared &&
        !(el_mf_is_s1(declared) && el_mf_is_s1(bt)))
        mf_report(m, "ECR5009", "/mediaType", EL_LOCATE_VALUE,
                  (el_var[]){{"declared", decl}, {"body", bmt}, {NULL, NULL}});
    else if ((t == EL_MF_V2S2 || t == EL_MF_LIST) && (!bmt || strcmp(bmt, tn) != 0))
        mf_report(m, "ECR5006", bmt ? "/mediaType" : "", EL_LOCATE_VALUE,
                  (el_var[]){{"expected", tn}, {NULL, NULL}});
    else if ((t == EL_MF_OCI || t == EL_MF_INDEX) && bmt && strcmp(bmt, tn) != 0)
        mf_report(m, "ECR5006", "/mediaType", EL_LOCATE_VALUE,
                  (el_var[]){{"expected", tn}, {NULL, NULL}});
    else if ((t == EL_MF_OCI || t == EL_MF_INDEX) && !json_object_get(root, "mediaType"))
        mf_report(m, "ECR5007", "", EL_LOCATE_VALUE, (el_var[]){{"expected", tn}, {NULL, NULL}});

    const json_t *sv = json_object_get(root, "schemaVersion");
    json_int_t want = el_mf_is_s1(t) ? 1 : 2;
    if (!json_is_integer(sv) || json_integer_value(sv) != want) {
        char w[EL_INT_TEXT];
        mf_report(m, "ECR5008", sv ? "/schemaVersion" : "", EL_LOCATE_VALUE,
                  (el_var[]){{"expected", el_fmt_int(w, want)}, {NULL, NULL}});
    }

    static const char *const s1_foreign[] = {"config", "layers", "manifests", NULL};
    static const char *const image_foreign[] = {"fsLayers", "history", "manifests", NULL};
    static const char *const index_foreign[] = {"config", "fsLayers", "history", "layers", NULL};
    const char *const *foreign = el_mf_is_s1(t)                          ? s1_foreign
                                 : (t == EL_MF_LIST || t == EL_MF_INDEX) ? index_foreign
                                                                         : image_foreign;
    for (; *foreign; foreign++)
        if (present(root, *foreign))
            mf_report(m, "ECR5010", mf_ptr(m, &m->ptr, "", *foreign), EL_LOCATE_KEY,
                      (el_var[]){{"member", *foreign}, {"type", tn}, {NULL, NULL}});

    if (guessed && go_differs) {
        bool has_ms = json_is_array(json_object_get(root, "manifests"));
        const char *go = has_ms && json_array_size(json_object_get(root, "manifests")) == 0
                             ? EL_MT_OCI
                             : "the config's media type";
        mf_report(m, "ECR5011", "", EL_LOCATE_VALUE,
                  (el_var[]){{"type", tn}, {"other", go}, {NULL, NULL}});
    }
    check_key_case(m, root, "", manifest_members);
}

/* The artifact type: artifactType, else a non-image config.mediaType (OCI manifest.md,
 * "artifactType": tooling falls back to config.mediaType). */
static json_t *artifact_type(const json_t *root, el_mf_type t)
{
    const char *art = str_of(json_object_get(root, "artifactType"));
    if (!art && t == EL_MF_OCI) {
        const char *cmt = str_of(json_object_get(json_object_get(root, "config"), "mediaType"));
        if (cmt && strcmp(cmt, EL_MT_OCI_CONFIG) != 0)
            art = cmt;
    }
    return art && (t == EL_MF_OCI || t == EL_MF_INDEX) ? json_string(art) : json_null();
}

/* Duplicate member names anywhere in the text (I-JSON): jansson tells on a second parse. */
static void check_duplicates(mf_check *m, const char *bytes, size_t len)
{
    json_error_t err;
    json_t *again = json_loadb(bytes, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (again) {
        json_decref(again);
        return;
    }
    if (json_error_code(&err) == json_error_out_of_memory)
        mf_nomem(m);
    else if (json_error_code(&err) == json_error_duplicate_key)
        mf_report(m, "ECR5012", "", EL_LOCATE_VALUE,
                  (el_var[]){{"detail", err.text}, {NULL, NULL}});
}

ecrlint_status el_manifest_check(el_ctx *cx, const char *bytes, size_t len, const json_t *root,
                                 const char *declared, const char *const *accept)
{
    mf_check m = {.cx = cx, .root = root};
    el_buf_init(&m.ptr);
    m.extra = json_object();
    if (!m.extra)
        return ECRLINT_ERR_NOMEM;
    if (!bytes)
        bytes = "";
    bool embedded = el_ctx_embed_pointer(cx) != NULL;

    char digest[EL_DIGEST_BUF];
    if (!el_digest_of("sha256", bytes, len, digest)) {
        json_decref(m.extra);
        return ECRLINT_ERR_INTERNAL;
    }
    mf_extra_set(&m, "digest", json_string(digest));
    mf_extra_set(&m, "size", json_integer((json_int_t)len));

    char num[EL_INT_TEXT];
    /* The registry API's limit is in bytes; a manifest sent in PutImage's imageManifest is
     * held to the model's length instead, in characters (ECR4002), which its member checks. */
    if (len > EL_MANIFEST_MAX && !embedded)
        mf_report(&m, "ECR5001", "", EL_LOCATE_VALUE,
                  (el_var[]){{"size", el_fmt_int(num, (long long)len)}, {NULL, NULL}});
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0)
        mf_report(&m, "ECR5013", "", EL_LOCATE_VALUE, NULL);

    char decl[256];
    el_mf_type dt = el_mf_declared_type(declared, decl, sizeof decl);
    if (decl[0] && dt == EL_MF_NONE) {
        char hint[160];
        near_type(decl, hint, sizeof hint);
        mf_report(&m, "ECR5003", "", EL_LOCATE_VALUE,
                  (el_var[]){{"value", decl}, {"hint", hint}, {NULL, NULL}});
    }

    if (!json_is_object(root)) {
        /* A standalone file that is not JSON was reported by the input layer already. */
        if (root || embedded)
            mf_report(&m, "ECR5002", "", EL_LOCATE_VALUE,
                      (el_var[]){{"detail", root ? "the top-level value is not an object"
                                                 : "it is not valid JSON"},
                                 {NULL, NULL}});
        else
            m.spec_broken = true;
        goto done;
    }
    if (embedded)
        check_duplicates(&m, bytes, len);

    const json_t *body_mt = json_object_get(root, "mediaType");
    if (body_mt && !json_is_string(body_mt))
        mf_report(&m, "ECR5004", "/mediaType", EL_LOCATE_VALUE, NULL);
    else if (body_mt &&
             el_mf_media_type_has_params(json_string_value(body_mt), json_string_length(body_mt)))
        mf_report(&m, "ECR5801", "/mediaType", EL_LOCATE_VALUE,
                  (el_var[]){{"value", json_string_value(body_mt)}, {NULL, NULL}});

    bool go_differs = false;
    m.type = dt != EL_MF_NONE ? dt : el_mf_guess(root, &go_differs);
    if (m.type != EL_MF_NONE)
        cross_check(&m, dt, decl, dt == EL_MF_NONE, go_differs);
    /* ECR needs a media type from the body or the request (PutImage, imageManifestMediaType:
     * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html). */
    if (!json_is_string(body_mt) && !decl[0])
        mf_report(&m, "ECR5800", "", EL_LOCATE_VALUE, NULL);
    if (m.type == EL_MF_NONE) {
        const json_t *sv = json_object_get(root, "schemaVersion");
        mf_report(&m, "ECR5005", sv ? "/schemaVersion" : "", EL_LOCATE_VALUE, NULL);
        goto done;
    }

    switch (m.type) {
    case EL_MF_OCI:
        check_config(&m, D_OCI);
        check_layers(&m, D_OCI);
        check_oci_extras(&m);
        break;
    case EL_MF_V2S2:
        check_config(&m, D_DOCKER);
        check_layers(&m, D_DOCKER);
        break;
    case EL_MF_INDEX:
        check_children(&m, D_OCI);
        check_oci_extras(&m);
        break;
    case EL_MF_LIST:
        check_children(&m, D_DOCKER_LIST);
        break;
    case EL_MF_S1:
    case EL_MF_S1_SIGNED:
        mf_check_schema1(&m, bytes, len);
        break;
    case EL_MF_NONE:
        break;
    }
    if (accept)
        check_accept(&m, accept);

done:
    if (m.st == ECRLINT_OK) {
        const json_t *sv = json_is_object(root) ? json_object_get(root, "schemaVersion") : NULL;
        mf_extra_set(&m, "mediaType",
                     m.type != EL_MF_NONE ? json_string(el_mf_type_name(m.type)) : json_null());
        mf_extra_set(&m, "schemaVersion",
                     json_is_integer(sv) ? json_integer(json_integer_value(sv)) : json_null());
        mf_extra_set(&m, "artifactType", artifact_type(root, m.type));
        if (!json_object_get(m.extra, "configMediaType"))
            mf_extra_set(&m, "configMediaType", json_null());
        if (!json_object_get(m.extra, "layers"))
            mf_extra_set(&m, "layers", json_integer(0));
        if (!json_object_get(m.extra, "layersSize"))
            mf_extra_set(&m, "layersSize", json_integer(0));
        if (!json_object_get(m.extra, "manifests"))
            mf_extra_set(&m, "manifests", json_array());
        if (!json_object_get(m.extra, "signed"))
            mf_extra_set(&m, "signed", json_false());
        mf_extra_set(&m, "conforms", json_boolean(m.type != EL_MF_NONE && !m.spec_broken));
        if (accept && !json_object_get(m.extra, "accepted"))
            mf_extra_set(&m, "accepted", json_pack("{s:n, s:n}", "byTag", "byDigest"));
    }
    el_buf_free(&m.ptr);
    /* The facts in a fixed order, whatever order the checks found them in. */
    static const char *const order[] = {
        "mediaType",       "digest",      "size",       "schemaVersion", "artifactType",
        "configMediaType", "layers",      "layersSize", "manifests",     "signed",
        "payloadDigest",   "payloadSize", "conforms",   "accepted",      NULL};
    json_t *facts = m.st == ECRLINT_OK ? json_object() : NULL;
    if (m.st == ECRLINT_OK && !facts)
        mf_nomem(&m);
    for (const char *const *k = order; facts && *k && m.st == ECRLINT_OK; k++) {
        json_t *v = json_object_get(m.extra, *k);
        if (v && json_object_set(facts, *k, v) != 0)
            mf_nomem(&m);
    }
    json_decref(m.extra);
    if (m.st != ECRLINT_OK) {
        json_decref(facts);
        return m.st;
    }
    if (cx->opt && cx->opt->no_facts)
        json_decref(facts); /* nobody reads them: not written out */
    else
        el_ctx_set_extra(cx, facts); /* sets cx->status when memory runs out */
    return cx->status;
}

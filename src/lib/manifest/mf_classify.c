/* mf_classify.c - which format a manifest is (containers/image GuessMIMEType), automatic
 * detection, and what BatchGetImage returns for a set of accepted media types (the ECR user
 * guide's conversion table). Sources: el_manifest.h. */
#include <string.h>

#include "manifest/el_manifest.h"

static const char *const type_names[] = {NULL,       EL_MT_S1,  EL_MT_S1_SIGNED, EL_MT_V2S2,
                                         EL_MT_LIST, EL_MT_OCI, EL_MT_INDEX};

const char *el_mf_type_name(el_mf_type t)
{
    return (unsigned)t < sizeof type_names / sizeof type_names[0] ? type_names[t] : NULL;
}

el_mf_type el_mf_type_of(const char *mt)
{
    if (!mt)
        return EL_MF_NONE;
    for (int t = EL_MF_S1; t <= EL_MF_INDEX; t++)
        if (strcmp(mt, type_names[t]) == 0)
            return (el_mf_type)t;
    return EL_MF_NONE;
}

bool el_mf_is_s1(el_mf_type t)
{
    return t == EL_MF_S1 || t == EL_MF_S1_SIGNED;
}

el_mf_type el_mf_declared_type(const char *declared, char *out, size_t outsize)
{
    if (outsize == 0)
        return EL_MF_NONE;
    out[0] = '\0';
    if (!declared)
        return EL_MF_NONE;
    const char *b = declared;
    while (*b == ' ' || *b == '\t')
        b++;
    const char *e = strchr(b, ';');
    if (!e)
        e = b + strlen(b);
    while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    size_t n = (size_t)(e - b);
    if (n >= outsize)
        n = outsize - 1;
    memcpy(out, b, n);
    out[n] = '\0';
    if ((size_t)(e - b) != n)
        return EL_MF_NONE; /* truncated: no known type is that long */
    if (strcmp(out, "application/json") == 0)
        return EL_MF_S1_SIGNED;
    return el_mf_type_of(out);
}

/* A string member without embedded NUL bytes, or NULL. */
static const char *str_of(const json_t *v)
{
    if (!json_is_string(v))
        return NULL;
    const char *s = json_string_value(v);
    return strlen(s) == json_string_length(v) ? s : NULL;
}

/* Would Go decode `v` into a Descriptor without error? (A loose check of the member types
 * GuessMIMEType's []Descriptor decode trips over.) */
static bool go_descriptor(const json_t *v)
{
    if (json_is_null(v))
        return true;
    if (!json_is_object(v))
        return false;
    static const char *const strs[] = {"mediaType", "digest", "artifactType", "data", NULL};
    for (const char *const *k = strs; *k; k++) {
        const json_t *m = json_object_get(v, *k);
        if (m && !json_is_null(m) && !json_is_string(m))
            return false;
    }
    const json_t *size = json_object_get(v, "size");
    if (size && !json_is_null(size) && !json_is_integer(size))
        return false;
    const json_t *urls = json_object_get(v, "urls");
    if (urls && !json_is_null(urls) && !json_is_array(urls))
        return false;
    const json_t *ann = json_object_get(v, "annotations");
    if (ann && !json_is_null(ann) && !json_is_object(ann))
        return false;
    const json_t *plat = json_object_get(v, "platform");
    if (plat && !json_is_null(plat) && !json_is_object(plat))
        return false;
    return true;
}

el_mf_type el_mf_guess(const json_t *root, bool *go_differs)
{
    bool dummy;
    if (!go_differs)
        go_differs = &dummy;
    *go_differs = false;
    if (!json_is_object(root))
        return EL_MF_NONE;
    el_mf_type t = el_mf_type_of(str_of(json_object_get(root, "mediaType")));
    if (t == EL_MF_V2S2 || t == EL_MF_LIST || t == EL_MF_OCI || t == EL_MF_INDEX)
        return t;
    const json_t *sv = json_object_get(root, "schemaVersion");
    if (!json_is_integer(sv))
        return EL_MF_NONE;
    if (json_integer_value(sv) == 1) {
        const json_t *sig = json_object_get(root, "signatures");
        return sig && !json_is_null(sig) ? EL_MF_S1_SIGNED : EL_MF_S1;
    }
    if (json_integer_value(sv) != 2)
        return EL_MF_NONE;

    const json_t *config = json_object_get(root, "config");
    if (config && !json_is_null(config) && !json_is_object(config))
        return EL_MF_NONE; /* Go: Unmarshal fails */
    const json_t *cmtv = json_is_object(config) ? json_object_get(config, "mediaType") : NULL;
    if (cmtv && !json_is_null(cmtv) && !json_is_string(cmtv))
        return EL_MF_NONE;
    const char *cmt = str_of(cmtv);
    if (cmt && strcmp(cmt, EL_MT_OCI_CONFIG) == 0)
        return EL_MF_OCI;
    if (cmt && strcmp(cmt, EL_MT_DOCKER_CONFIG) == 0)
        return EL_MF_V2S2;

    const json_t *ms = json_object_get(root, "manifests");
    if (ms && !json_is_null(ms)) {
        if (!json_is_array(ms))
            return EL_MF_NONE;
        size_t i;
        const json_t *e;
        json_array_foreach(ms, i, e)
        {
            if (!go_descriptor(e))
                return EL_MF_NONE;
        }
    }
    bool has_config = config && !json_is_null(config);
    if (json_is_array(ms) && json_array_size(ms) > 0) {
        if (!cmt || !*cmt)
            return EL_MF_INDEX;
        /* Go's FIXME branch returns config.mediaType; the body is ambiguous either way. */
        *go_differs = true;
        return EL_MF_OCI;
    }
    if (json_is_array(ms) && !has_config) {
        /* manifests: [] without config: containers/image says OCI manifest ("artifact"),
         * distribution's read path an index (registry/storage/manifeststore.go Get). */
        *go_differs = true;
        return EL_MF_INDEX;
    }
    return EL_MF_OCI;
}

bool el_manifest_sniff(const json_t *root)
{
    if (!json_is_object(root))
        return false;
    const char *mt = str_of(json_object_get(root, "mediaType"));
    if (el_mf_type_of(mt) != EL_MF_NONE)
        return true;
    const json_t *sv = json_object_get(root, "schemaVersion");
    if (!json_is_integer(sv))
        return false;
    /* Kubernetes objects, package.json and the like carry none of these members; a document
     * with schemaVersion alone is not enough. */
    if (json_integer_value(sv) == 1)
        return json_is_array(json_object_get(root, "fsLayers")) ||
               json_is_array(json_object_get(root, "history"));
    if (json_integer_value(sv) == 2)
        return json_is_object(json_object_get(root, "config")) ||
               json_is_array(json_object_get(root, "layers")) ||
               json_is_array(json_object_get(root, "manifests"));
    return false;
}

/* ---- acceptedMediaTypes ------------------------------------------------------------------ */

static bool accepts(const char *const *accept, el_mf_type t)
{
    char norm[128];
    for (const char *const *a = accept; *a; a++) {
        el_mf_type at = el_mf_declared_type(*a, norm, sizeof norm);
        if (strcmp(norm, "application/json") == 0)
            continue;
        /* ECR documents one schema-1 format (the user guide's formats list) and one schema-1
         * value of acceptedMediaTypes (API_BatchGetImage.html), so either media type accepts
         * both forms; how ECR serves a signed one is not documented. */
        if (at == t || (el_mf_is_s1(at) && el_mf_is_s1(t)))
            return true;
    }
    return false;
}

void el_mf_accept(el_mf_type stored, const char *const *accept, el_mf_accept_answer *out)
{
    memset(out, 0, sizeof *out);
    if (stored == EL_MF_NONE || !accept)
        return;
    if (accepts(accept, stored)) {
        out->by_tag = out->by_digest = el_mf_type_name(stored);
        return;
    }
    /* By digest nothing is translated; by tag, the user guide's table. */
    switch (stored) {
    case EL_MF_V2S2:
        if (accepts(accept, EL_MF_OCI))
            out->by_tag = EL_MT_OCI;
        else if (accepts(accept, EL_MF_S1))
            out->by_tag = EL_MT_S1;
        break;
    case EL_MF_OCI:
        /* OCI to schema 1: the user guide's conversion table once said "translated" and its
         * current translations say "no translation available": not counted. */
        if (accepts(accept, EL_MF_V2S2))
            out->by_tag = EL_MT_V2S2;
        break;
    case EL_MF_LIST:
    case EL_MF_INDEX:
        out->undocumented = true;
        break;
    default:
        break;
    }
    out->by_tag_translated = out->by_tag != NULL;
}

/* image.c - an image layout or archive checked as a whole: the walk from the index (or a
 * docker-archive's manifest.json) through manifests and nested indexes to configs and layers,
 * every blob's presence, type, size, digest and content, the image configs, and for each push
 * the PutImage request it amounts to with ECR's predicted answer (el_image.h).
 *
 * Findings are results of their own, one per place inside the input (`L/blobs/sha256/ab…`,
 * `image.tar:manifest.json`), so that every output format names the place; the input's own
 * result comes first and carries one summary per image. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "check/el_ctx.h"
#include "image/el_image.h"
#include "manifest/el_manifest.h"
#include "report/el_result.h"
#include "rules/el_engine.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"
#include "util/el_json.h"

/* Nested indexes deeper than this are not followed (an index that reaches itself through a
 * chain of indexes ends here too, reported as the cycle it is). */
#define IM_MAX_DEPTH 8
/* ECR's quotas (Amazon ECR service quotas, see el_image.h): the largest layer, 52,000 MiB;
 * layers per image, 4,200; tags per image, 1,000. Each is named in its rule's help. */
#define ECR_MAX_LAYER_SIZE ((uint64_t)52000 * 1024 * 1024)
#define ECR_MAX_LAYERS 4200
#define ECR_MAX_TAGS 1000
/* A repository name that PutImage accepts, standing in when --repository is not given. */
#define PLACEHOLDER_REPOSITORY "ecrlint-placeholder"

/* A place inside the input that findings are reported at: its result, and the JSON text its
 * pointers are placed in (NULL for a blob that is not JSON). */
typedef struct place {
    ecrlint_result *res;
    char *text;
    size_t len;
    im_entry *entry; /* the entry it is, or NULL */
} place;

/* One image as the summary line tells it. */
typedef struct image_info {
    char *name;       /* repository:tag, tag, or @digest */
    char *repository; /* NULL: none known */
    char *tag;        /* NULL: untagged */
    char *digest;
    const char *type; /* "OCI manifest", ... */
    char platform[160];
    size_t layers;
    uint64_t size;
    size_t blob_errors; /* blobs missing or damaged */
    char *exc_code, *exc_message;
    /* a referrer (OCI 1.1): its subject's digest and its artifactType, or NULL */
    char *subject, *artifact_type;
} image_info;

/* A layer (or other blob) whose digest is verified after the walk, when the blobs of a
 * layout can be read in parallel. */
typedef struct blob_job {
    im_entry *e;
    char *digest;     /* the descriptor's */
    char *media_type; /* the descriptor's, or NULL */
    char *diff_id;    /* the config's rootfs.diff_ids entry, or NULL */
    size_t config;    /* the config's place (for a wrong diff_id), or SIZE_MAX */
    size_t diff_index;
    size_t image; /* image_info index */
    bool is_layer;
} blob_job;

typedef struct image_ck {
    const ecrlint_engine *eng;
    ecrlint_checker *ck;
    const ecrlint_check_options *opt;
    ecrlint_image_options io;
    const char *path;
    char sep;
    im_source src;
    place *places;
    size_t nplaces, cap_places;
    image_info *images;
    size_t nimages, cap_images;
    blob_job *jobs;
    size_t njobs, cap_jobs;
    /* manifests on the chain from the index being walked (cycle detection) */
    const char *chain[IM_MAX_DEPTH + 2];
    size_t nchain;
    size_t index_place; /* index.json's place (its descriptors are checked here) */
    ecrlint_status st;
    ecrlint_error *err;
    char *block; /* IM_BLOCK bytes for reading blobs on this thread */
} image_ck;

/* ---- places and reporting ------------------------------------------------------------------ */

static size_t max_file_size(const image_ck *k)
{
    size_t m = k->opt && k->opt->limits.max_file_size ? k->opt->limits.max_file_size
                                                      : ECRLINT_DEFAULT_MAX_FILE_SIZE;
    return m > ECRLINT_MAX_FILE_SIZE ? ECRLINT_MAX_FILE_SIZE : m;
}

static void set_st(image_ck *k, ecrlint_status st)
{
    if (st != ECRLINT_OK && k->st == ECRLINT_OK)
        k->st = st;
}

static size_t place_make(image_ck *k, const char *name, ecrlint_kind kind, im_entry *entry,
                         bool search);

/* The place named `name` inside the input ("" for the input itself); a new result of kind
 * `kind` when there is none yet. Index into k->places, or SIZE_MAX when memory ran out. */
static size_t place_at(image_ck *k, const char *name, ecrlint_kind kind, im_entry *entry)
{
    return place_make(k, name, kind, entry, true);
}

/* The same, for a place known to be new (no search: 100,000 unreferenced blobs are 100,000
 * places). */
static size_t place_new(image_ck *k, const char *name, ecrlint_kind kind, im_entry *entry)
{
    return place_make(k, name, kind, entry, false);
}

static size_t place_make(image_ck *k, const char *name, ecrlint_kind kind, im_entry *entry,
                         bool search)
{
    el_buf full;
    el_buf_init(&full);
    el_buf_puts(&full, k->path);
    if (name[0]) {
        el_buf_putc(&full, k->sep);
        el_buf_puts(&full, name);
    }
    if (full.failed) {
        el_buf_free(&full);
        set_st(k, ECRLINT_ERR_NOMEM);
        return SIZE_MAX;
    }
    for (size_t i = 0; search && i < k->nplaces; i++)
        if (strcmp(k->places[i].res->path, full.data) == 0) {
            el_buf_free(&full);
            return i;
        }
    size_t i = SIZE_MAX;
    if (el_grow(&k->places, &k->cap_places, k->nplaces + 1, sizeof *k->places, 16)) {
        ecrlint_result *r = el_result_new(full.data, k->opt ? k->opt->limits.max_diagnostics : 0);
        if (r) {
            r->kind = kind;
            i = k->nplaces++;
            k->places[i] = (place){r, NULL, 0, entry};
        }
    }
    el_buf_free(&full);
    if (i == SIZE_MAX)
        set_st(k, ECRLINT_ERR_NOMEM);
    return i;
}

/* Reports rule `rule` at place p: at `pointer` in its JSON text (NULL: the place as a whole). */
static void report(image_ck *k, size_t p, const char *rule, const char *pointer, const el_var *v)
{
    if (p == SIZE_MAX || k->st)
        return;
    el_ctx cx;
    el_ctx_init(&cx, k->eng->rs, k->opt, k->places[p].res);
    cx.predict = true;
    ecrlint_status st = pointer && k->places[p].text
                            ? el_report(&cx, rule, pointer, EL_LOCATE_VALUE, v)
                            : el_report_at(&cx, rule, 0, 0, v);
    el_ctx_free(&cx);
    set_st(k, st);
}

/* Gives place p its JSON text (a copy), for placing findings at pointers. */
static void place_text(image_ck *k, size_t p, const char *text, size_t len)
{
    if (p == SIZE_MAX || k->places[p].text)
        return;
    char *t = el_malloc(len + 1);
    if (!t) {
        set_st(k, ECRLINT_ERR_NOMEM);
        return;
    }
    memcpy(t, text, len);
    t[len] = '\0';
    k->places[p].text = t;
    k->places[p].len = len;
}

static const char *blob_name(const char *digest, char *out, size_t size)
{
    const char *colon = strchr(digest, ':');
    if (!colon)
        return NULL;
    snprintf(out, size, "blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
    return out;
}

static char *dupe(image_ck *k, const char *s)
{
    if (!s)
        return NULL;
    char *d = el_strdup(s);
    if (!d)
        set_st(k, ECRLINT_ERR_NOMEM);
    return d;
}

static void fmt_u64(char out[32], uint64_t v)
{
    snprintf(out, 32, "%" PRIu64, v);
}

/* ---- descriptors and blobs ------------------------------------------------------------------ */

/* A descriptor's fields, when it has them in the right types. */
typedef struct desc {
    const char *media_type;
    const char *digest;
    bool has_size;
    uint64_t size;
} desc;

static void desc_read(const json_t *d, desc *out)
{
    memset(out, 0, sizeof *out);
    out->media_type = json_string_value(json_object_get(d, "mediaType"));
    out->digest = json_string_value(json_object_get(d, "digest"));
    const json_t *sz = json_object_get(d, "size");
    if (json_is_integer(sz) && json_integer_value(sz) >= 0) {
        out->has_size = true;
        out->size = (uint64_t)json_integer_value(sz);
    }
}

/* The entry a descriptor points at, with its presence, type and size checked; NULL when there
 * is nothing to read there. Problems are reported at the referring place (missing) or at the
 * blob (everything else, once per blob). `report_grammar`: the descriptor is in index.json,
 * which the manifest checker does not read. */
static im_entry *visit_blob(image_ck *k, const desc *d, size_t from, const char *ptr,
                            const char *role, bool report_grammar, image_info *img)
{
    if (!d->digest || el_mf_digest_check(d->digest, strlen(d->digest), NULL) > EL_MF_DIGEST_OTHER) {
        if (report_grammar) {
            el_var v[] = {
                {"detail", d->digest ? "its digest is not algorithm:encoded" : "it has no digest"},
                {NULL, NULL}};
            report(k, from, "ECR8003", ptr, v);
        }
        if (img)
            img->blob_errors++;
        return NULL;
    }
    if (report_grammar && !d->has_size) {
        el_var v[] = {{"detail", "its size is not a non-negative integer"}, {NULL, NULL}};
        report(k, from, "ECR8003", ptr, v);
    }
    char name[300];
    if (!blob_name(d->digest, name, sizeof name))
        return NULL;
    im_entry *e = im_source_find(&k->src, name);
    if (!e) {
        el_var v[] = {{"role", role}, {"digest", d->digest}, {NULL, NULL}};
        report(k, from, "ECR8004", ptr, v);
        if (img)
            img->blob_errors++;
        return NULL;
    }
    e->referenced = true;
    if (e->type != IM_REGULAR) {
        if (!e->reported) {
            e->reported = true;
            size_t p = place_at(k, name, ECRLINT_KIND_IMAGE, e);
            el_var v[] = {{"what", e->type == IM_SYMLINK     ? "a symbolic link (not followed)"
                                   : e->type == IM_HARDLINK  ? "a hard link (not followed)"
                                   : e->type == IM_DIRECTORY ? "a directory"
                                                             : "not a regular file"},
                          {NULL, NULL}};
            report(k, p, "ECR8007", NULL, v);
        }
        if (img)
            img->blob_errors++;
        return NULL;
    }
    if (d->has_size && e->size != d->size) {
        size_t p = place_at(k, name, ECRLINT_KIND_IMAGE, e);
        char a[32], b[32];
        fmt_u64(a, e->size);
        fmt_u64(b, d->size);
        el_var v[] = {{"actual", a}, {"size", b}, {NULL, NULL}};
        report(k, p, "ECR8005", NULL, v);
        if (img)
            img->blob_errors++;
    }
    return e;
}

/* Checks that a blob read whole has the descriptor's digest. */
static bool digest_matches(image_ck *k, im_entry *e, const char *digest, const char *data,
                           size_t len, image_info *img)
{
    const char *colon = strchr(digest, ':');
    char alg[16];
    snprintf(alg, sizeof alg, "%.*s", (int)(colon - digest), digest);
    char got[EL_DIGEST_BUF];
    if (!el_digest_of(alg, data, len, got)) {
        size_t p = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
        el_var v[] = {{"digest", digest}, {NULL, NULL}};
        report(k, p, "ECR8011", NULL, v);
        return true;
    }
    if (strcmp(got, digest) == 0)
        return true;
    size_t p = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
    el_var v[] = {{"actual", got}, {"digest", digest}, {NULL, NULL}};
    report(k, p, "ECR8006", NULL, v);
    if (img)
        img->blob_errors++;
    return false;
}

/* The content of a blob the walk reads whole (a manifest, a config); NULL when it cannot be
 * read, reported. *owned says whether the caller frees it. */
static char *read_blob(image_ck *k, im_entry *e, size_t *len, bool *owned, image_info *img)
{
    char *data;
    int r = im_source_read(&k->src, e, max_file_size(k), &data, len, owned);
    if (r == 0)
        return data;
    if (r == ENOMEM) {
        set_st(k, ECRLINT_ERR_NOMEM);
        return NULL;
    }
    size_t p = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
    el_var v[] = {
        {"what", r == EFBIG ? "too large to be read as JSON (--max-file-size)" : "unreadable"},
        {NULL, NULL}};
    report(k, p, "ECR8007", NULL, v);
    if (img)
        img->blob_errors++;
    return NULL;
}

/* ---- image configs (OCI config.md; Docker's image JSON has the same members) --------------- */

static bool is_config_type(const char *mt)
{
    return mt && (strcmp(mt, EL_MT_OCI_CONFIG) == 0 || strcmp(mt, EL_MT_DOCKER_CONFIG) == 0);
}

/* Checks a config against its manifest (layers: the number of layers) and the platform an
 * index gave it (may be NULL, at place `pfrom`, pointer `pptr`). Returns the diff_ids array
 * (borrowed from root) or NULL. */
static const json_t *check_config(image_ck *k, size_t cp, const json_t *root, size_t layers,
                                  const json_t *platform, size_t pfrom, const char *pptr,
                                  image_info *img)
{
    if (!json_is_object(root)) {
        el_var v[] = {{"detail", "it is not a JSON object"}, {NULL, NULL}};
        report(k, cp, "ECR8020", "", v);
        return NULL;
    }
    const char *arch = json_string_value(json_object_get(root, "architecture"));
    const char *os = json_string_value(json_object_get(root, "os"));
    const char *variant = json_string_value(json_object_get(root, "variant"));
    if (!arch || !arch[0]) {
        el_var v[] = {{"detail", "architecture is missing or not a string"}, {NULL, NULL}};
        report(k, cp, "ECR8020", json_object_get(root, "architecture") ? "/architecture" : "", v);
    }
    if (!os || !os[0]) {
        el_var v[] = {{"detail", "os is missing or not a string"}, {NULL, NULL}};
        report(k, cp, "ECR8020", json_object_get(root, "os") ? "/os" : "", v);
    }
    if (img && arch && os)
        snprintf(img->platform, sizeof img->platform, "%s/%s%s%s", os, arch, variant ? "/" : "",
                 variant ? variant : "");
    const json_t *rootfs = json_object_get(root, "rootfs");
    const json_t *diff_ids = json_object_get(rootfs, "diff_ids");
    const char *rtype = json_string_value(json_object_get(rootfs, "type"));
    if (!json_is_object(rootfs) || !rtype || strcmp(rtype, "layers") != 0 ||
        !json_is_array(diff_ids)) {
        el_var v[] = {{"detail", !json_is_object(rootfs) ? "rootfs is missing"
                                 : !rtype || strcmp(rtype, "layers") != 0
                                     ? "rootfs.type is not \"layers\""
                                     : "rootfs.diff_ids is not an array"},
                      {NULL, NULL}};
        report(k, cp, "ECR8021", json_is_object(rootfs) ? "/rootfs" : "", v);
        diff_ids = NULL;
    } else if (json_array_size(diff_ids) != layers) {
        char a[32], b[32];
        fmt_u64(a, json_array_size(diff_ids));
        fmt_u64(b, layers);
        el_var v[] = {{"count", a}, {"layers", b}, {NULL, NULL}};
        report(k, cp, "ECR8022", "/rootfs/diff_ids", v);
    }
    const json_t *history = json_object_get(root, "history");
    if (json_is_array(history)) {
        size_t nonempty = 0, i;
        const json_t *h;
        json_array_foreach(history, i, h)
        {
            if (!json_is_true(json_object_get(h, "empty_layer")))
                nonempty++;
        }
        if (nonempty != layers) {
            char a[32], b[32];
            fmt_u64(a, nonempty);
            fmt_u64(b, layers);
            el_var v[] = {{"count", a}, {"layers", b}, {NULL, NULL}};
            report(k, cp, "ECR8023", "/history", v);
        }
    }
    if (platform && json_is_object(platform)) {
        static const char *const keys[] = {"architecture", "os", "variant", "os.version"};
        for (size_t i = 0; i < 4; i++) {
            const char *want = json_string_value(json_object_get(platform, keys[i]));
            const char *got = json_string_value(json_object_get(root, keys[i]));
            if (!want && (i >= 2))
                continue; /* optional in a platform: absent says nothing */
            if (want && got && strcmp(want, got) == 0)
                continue;
            el_buf ptr;
            el_buf_init(&ptr);
            el_buf_puts(&ptr, pptr);
            el_buf_puts(&ptr, "/platform");
            if (json_object_get(platform, keys[i])) {
                el_buf_putc(&ptr, '/');
                el_buf_puts(&ptr, keys[i]);
            }
            el_var v[] = {{"member", keys[i]},
                          {"value", want ? want : "(none)"},
                          {"config", got ? got : "(none)"},
                          {NULL, NULL}};
            if (ptr.failed)
                set_st(k, ECRLINT_ERR_NOMEM);
            else
                report(k, pfrom, "ECR8024", ptr.data, v);
            el_buf_free(&ptr);
        }
    }
    return diff_ids;
}

/* ---- pushes: the PutImage request a manifest amounts to ---------------------------------- */

static int no_manifest_rules(const char *rule_id, void *userdata)
{
    const ecrlint_check_options *opt = userdata;
    if (strncmp(rule_id, "ECR5", 4) == 0)
        return 0; /* the manifest's own result has them */
    return opt && opt->rule_enabled ? opt->rule_enabled(rule_id, opt->rule_userdata) : 1;
}

/* Copies a finding of the request into place p at pointer `ptr` (NULL: the place itself). */
static void copy_finding(image_ck *k, size_t p, const ecrlint_diag *d, const char *ptr)
{
    if (p == SIZE_MAX || k->st)
        return;
    ecrlint_result *r = k->places[p].res;
    bool dropped = false;
    el_diag *nd = el_result_add_diag(r, d->rule, d->severity, ptr && k->places[p].text ? ptr : "",
                                     d->message, &dropped);
    if (!nd && !dropped) {
        set_st(k, ECRLINT_ERR_NOMEM);
        return;
    }
    if (nd && !(ptr && k->places[p].text)) {
        nd->placed = true;
        nd->pub.line = nd->pub.column = 0;
    }
}

/* Checks the PutImage request that pushes `text` (the manifest; NULL for a docker-archive,
 * whose manifest the pushing tool writes) with `tag` (may be NULL) to `repository`; findings on
 * the tag go to place `tag_place` at `tag_ptr`, on the repository to the input's own place, on
 * the media type to `mt_place` at `mt_ptr`. The first exception is the image's answer unless it
 * has one. */
static void predict_push(image_ck *k, const char *text, size_t len, const char *media_type,
                         const char *repository, const char *tag, size_t tag_place,
                         const char *tag_ptr, size_t mt_place, const char *mt_ptr, image_info *img,
                         const char *manifest_exc, const char *manifest_msg)
{
    json_t *req = json_object();
    bool given_repo = repository != NULL;
    bool ok = req && json_object_set_new(
                         req, "repositoryName",
                         json_string(given_repo ? repository : PLACEHOLDER_REPOSITORY)) == 0;
    const char *stand_in = "{\"schemaVersion\":2,\"mediaType\":\"application/"
                           "vnd.docker.distribution.manifest.v2+json\"}";
    json_t *m = text ? json_stringn(text, len) : json_string(stand_in);
    if (!m) {
        /* not UTF-8: the manifest's own result says so; no request to predict */
        json_decref(req);
        if (manifest_exc && !img->exc_code) {
            img->exc_code = dupe(k, manifest_exc);
            img->exc_message = dupe(k, manifest_msg ? manifest_msg : "");
        }
        return;
    }
    ok = ok && json_object_set_new(req, "imageManifest", m) == 0;
    if (ok && media_type)
        ok = json_object_set_new(req, "imageManifestMediaType", json_string(media_type)) == 0;
    if (ok && tag)
        ok = json_object_set_new(req, "imageTag", json_stringn(tag, strlen(tag))) == 0;
    char *body = ok ? json_dumps(req, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(req);
    if (!body) {
        set_st(k, ECRLINT_ERR_NOMEM);
        return;
    }
    ecrlint_check_options o = {0};
    if (k->opt)
        o = *k->opt;
    o.operation = "PutImage";
    o.media_type = NULL;
    o.input = ECRLINT_INPUT_JSON;
    o.accept = NULL;
    o.first_line = 0;
    o.limits.max_file_size = ECRLINT_MAX_FILE_SIZE;
    o.rule_enabled = no_manifest_rules;
    o.rule_userdata = (void *)k->opt;
    o.no_facts = 1;
    ecrlint_result *r = NULL;
    ecrlint_status st =
        k->ck ? ecrlint_checker_check(k->ck, &o, "PutImage", body, strlen(body), &r, k->err)
              : ecrlint_check_buffer(k->eng, &o, "PutImage", body, strlen(body), &r, k->err);
    el_json_free(body);
    if (st) {
        set_st(k, st);
        return;
    }
    const char *repo_exc = NULL;
    for (size_t i = 0; i < r->ndiags; i++) {
        const ecrlint_diag *d = &r->diags[i].pub;
        if (strncmp(d->pointer, "/repositoryName", 15) == 0) {
            if (given_repo)
                copy_finding(k, 0, d, NULL);
            if (d->severity == ECRLINT_SEVERITY_ERROR)
                repo_exc = d->message;
        } else if (strncmp(d->pointer, "/imageTag", 9) == 0) {
            copy_finding(k, tag_place, d, tag_ptr);
        } else if (strncmp(d->pointer, "/imageManifestMediaType", 23) == 0) {
            copy_finding(k, mt_place, d, mt_ptr);
        } else if (text) {
            copy_finding(k, mt_place, d, NULL);
        }
    }
    if (!img->exc_code) {
        /* ECR answers the first violation in the request's member order: the repository name,
           then the manifest, then its media type and tag */
        const char *code = NULL, *msg = NULL;
        if (repo_exc && r->exc_code && given_repo) {
            code = r->exc_code;
            msg = r->exc_message;
        } else if (manifest_exc) {
            code = manifest_exc;
            msg = manifest_msg;
        } else if (r->exc_code && (given_repo || !repo_exc)) {
            code = r->exc_code;
            msg = r->exc_message;
        }
        if (code) {
            img->exc_code = dupe(k, code);
            img->exc_message = dupe(k, msg ? msg : "");
        }
    }
    ecrlint_result_free(r);
}

/* ---- the walk ------------------------------------------------------------------------------- */

static const char *type_name(el_mf_type t)
{
    switch (t) {
    case EL_MF_OCI:
        return "OCI manifest";
    case EL_MF_INDEX:
        return "OCI index";
    case EL_MF_V2S2:
        return "Docker manifest";
    case EL_MF_LIST:
        return "Docker manifest list";
    case EL_MF_S1:
    case EL_MF_S1_SIGNED:
        return "Docker schema 1 manifest";
    case EL_MF_NONE:
        break;
    }
    return "manifest";
}

static size_t add_image(image_ck *k)
{
    if (!el_grow(&k->images, &k->cap_images, k->nimages + 1, sizeof *k->images, 4)) {
        set_st(k, ECRLINT_ERR_NOMEM);
        return SIZE_MAX;
    }
    memset(&k->images[k->nimages], 0, sizeof *k->images);
    return k->nimages++;
}

static void add_job(image_ck *k, im_entry *e, const desc *d, const char *diff_id, size_t config,
                    size_t diff_index, size_t image, bool is_layer)
{
    if (!el_grow(&k->jobs, &k->cap_jobs, k->njobs + 1, sizeof *k->jobs, 16)) {
        set_st(k, ECRLINT_ERR_NOMEM);
        return;
    }
    blob_job *j = &k->jobs[k->njobs++];
    memset(j, 0, sizeof *j);
    j->e = e;
    j->digest = dupe(k, d->digest);
    j->media_type = dupe(k, d->media_type);
    j->diff_id = dupe(k, diff_id);
    j->config = config;
    j->diff_index = diff_index;
    j->image = image;
    j->is_layer = is_layer;
}

static void visit_manifest(image_ck *k, const json_t *dj, size_t from, const char *ptr, size_t img,
                           const char *repository, const char *tag, size_t tag_place,
                           const char *tag_ptr, const json_t *platform);

/* A layer over ECR's largest: what the push declares, its descriptor's size. */
static void layer_limit(image_ck *k, im_entry *e, const desc *d, size_t from, const char *ptr)
{
    if (!d->has_size || d->size <= ECR_MAX_LAYER_SIZE)
        return;
    char a[32];
    fmt_u64(a, d->size);
    el_var v[] = {{"size", a}, {NULL, NULL}};
    if (e)
        report(k, place_at(k, e->name, ECRLINT_KIND_IMAGE, e), "ECR8040", NULL, v);
    else
        report(k, from, "ECR8040", ptr, v);
}

/* The manifest (image or artifact) `root` at place p: its config and layers. */
static void walk_image_manifest(image_ck *k, size_t p, const json_t *root, size_t img,
                                const json_t *platform, size_t pfrom, const char *pptr)
{
    image_info *info = &k->images[img];
    const json_t *layers = json_object_get(root, "layers");
    size_t nlayers = json_array_size(layers);
    info->layers += nlayers;
    if (nlayers > ECR_MAX_LAYERS) {
        char a[32];
        fmt_u64(a, nlayers);
        el_var v[] = {{"count", a}, {NULL, NULL}};
        report(k, p, "ECR8041", "/layers", v);
    }
    /* the config */
    const json_t *cj = json_object_get(root, "config");
    const json_t *diff_ids = NULL;
    size_t cp = SIZE_MAX;
    if (json_is_object(cj)) {
        desc d;
        desc_read(cj, &d);
        im_entry *e = visit_blob(k, &d, p, "/config", "config", false, info);
        if (e && is_config_type(d.media_type)) {
            size_t len;
            bool owned;
            char *data = read_blob(k, e, &len, &owned, info);
            if (data) {
                digest_matches(k, e, d.digest, data, len, info);
                e->reported = true;
                cp = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
                place_text(k, cp, data, len);
                json_error_t jerr;
                bool oom = false;
                json_t *croot = el_json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr, &oom);
                if (oom)
                    set_st(k, ECRLINT_ERR_NOMEM);
                if (!croot) {
                    el_var v[] = {{"detail", "it is not JSON"}, {NULL, NULL}};
                    report(k, cp, "ECR8020", NULL, v);
                } else {
                    diff_ids = check_config(k, cp, croot, nlayers, platform, pfrom, pptr, info);
                    /* the diff_ids are kept as text in the jobs; the tree goes now */
                    for (size_t i = 0; i < nlayers && diff_ids; i++) {
                        const json_t *lj = json_array_get(layers, i);
                        if (!json_is_object(lj))
                            continue;
                        desc ld;
                        desc_read(lj, &ld);
                        char lptr[64];
                        snprintf(lptr, sizeof lptr, "/layers/%zu", i);
                        if (ld.has_size)
                            info->size += ld.size;
                        im_entry *le = visit_blob(k, &ld, p, lptr, "layer", false, info);
                        layer_limit(k, le, &ld, p, lptr);
                        if (le)
                            add_job(k, le, &ld, json_string_value(json_array_get(diff_ids, i)), cp,
                                    i, img, true);
                    }
                    bool done = diff_ids != NULL;
                    json_decref(croot);
                    if (owned)
                        el_free(data);
                    if (done)
                        return;
                    goto layers_only;
                }
                if (owned)
                    el_free(data);
            }
        } else if (e) {
            /* an artifact's config: its digest is verified like a layer's */
            add_job(k, e, &d, NULL, SIZE_MAX, 0, img, false);
        }
    }
layers_only:
    for (size_t i = 0; i < nlayers; i++) {
        const json_t *lj = json_array_get(layers, i);
        if (!json_is_object(lj))
            continue;
        desc ld;
        desc_read(lj, &ld);
        char lptr[64];
        snprintf(lptr, sizeof lptr, "/layers/%zu", i);
        if (ld.has_size)
            info->size += ld.size;
        im_entry *le = visit_blob(k, &ld, p, lptr, "layer", false, info);
        layer_limit(k, le, &ld, p, lptr);
        if (le)
            add_job(k, le, &ld, NULL, SIZE_MAX, i, img, true);
    }
}

/* A referrer (an OCI manifest or index with a subject, image-spec 1.1 manifest.md "subject";
 * distribution-spec 1.1 "Pushing Manifests with Subject"): the image it belongs to remembers
 * its subject, and a subject that is not in the layout or archive is said (the push sends the
 * referrer alone). The descriptor's grammar is the manifest checks' (ECR5100 and on). */
static void visit_subject(image_ck *k, size_t p, const json_t *root, image_info *info)
{
    const json_t *sj = json_object_get(root, "subject");
    if (!json_is_object(sj))
        return;
    desc sd;
    desc_read(sj, &sd);
    if (!sd.digest || el_mf_digest_check(sd.digest, strlen(sd.digest), NULL) > EL_MF_DIGEST_OTHER)
        return;
    if (!info->subject) {
        info->subject = dupe(k, sd.digest);
        const char *at = json_string_value(json_object_get(root, "artifactType"));
        if (!at) {
            /* without artifactType, the config's media type names the artifact (manifest.md) */
            const json_t *cj = json_object_get(root, "config");
            at = json_string_value(json_object_get(cj, "mediaType"));
        }
        if (at)
            info->artifact_type = dupe(k, at);
    }
    char name[300];
    const im_entry *se =
        blob_name(sd.digest, name, sizeof name) ? im_source_find(&k->src, name) : NULL;
    if (!se) {
        el_var v[] = {{"digest", sd.digest}, {NULL, NULL}};
        report(k, p, "ECR8044", "/subject", v);
    }
}

/* A manifest or index a descriptor points at: checked as a manifest, its push predicted, and
 * walked. `from`/`ptr`: where the descriptor is. */
static void visit_manifest(image_ck *k, const json_t *dj, size_t from, const char *ptr, size_t img,
                           const char *repository, const char *tag, size_t tag_place,
                           const char *tag_ptr, const json_t *platform)
{
    if (k->st)
        return;
    image_info *info = &k->images[img];
    desc d;
    desc_read(dj, &d);
    im_entry *e = visit_blob(k, &d, from, ptr, "manifest", from == k->index_place, info);
    if (!e)
        return;
    for (size_t i = 0; i < k->nchain; i++)
        if (strcmp(k->chain[i], e->name) == 0) {
            el_var v[] = {{"detail", "it leads back to a manifest list or index that contains it"},
                          {NULL, NULL}};
            report(k, from, "ECR8010", ptr, v);
            info->blob_errors++;
            return;
        }
    if (k->nchain >= IM_MAX_DEPTH) {
        el_var v[] = {{"detail", "indexes are nested deeper than 8 levels"}, {NULL, NULL}};
        report(k, from, "ECR8010", ptr, v);
        info->blob_errors++;
        return;
    }
    size_t len;
    bool owned;
    char *data = read_blob(k, e, &len, &owned, info);
    if (!data)
        return;
    bool digest_ok = digest_matches(k, e, d.digest, data, len, info);
    e->reported = true;
    (void)digest_ok;

    /* The manifest as the driver checks a manifest file, with its descriptor's media type. */
    size_t p = SIZE_MAX;
    bool seen = false;
    el_buf full;
    el_buf_init(&full);
    el_buf_puts(&full, k->path);
    el_buf_putc(&full, k->sep);
    el_buf_puts(&full, e->name);
    for (size_t i = 0; i < k->nplaces && !full.failed; i++)
        if (strcmp(k->places[i].res->path, full.data) == 0) {
            p = i;
            seen = k->places[i].res->kind == ECRLINT_KIND_MANIFEST;
        }
    ecrlint_result *mres = NULL;
    if (!seen && !full.failed) {
        ecrlint_check_options o = {0};
        if (k->opt)
            o = *k->opt;
        o.operation = "manifest";
        o.media_type = d.media_type;
        o.input = ECRLINT_INPUT_JSON;
        o.first_line = 0;
        ecrlint_status st =
            k->ck ? ecrlint_checker_check(k->ck, &o, full.data, data, len, &mres, k->err)
                  : ecrlint_check_buffer(k->eng, &o, full.data, data, len, &mres, k->err);
        set_st(k, st);
        if (mres) {
            if (p == SIZE_MAX) {
                p = place_at(k, e->name, ECRLINT_KIND_MANIFEST, e);
                if (p != SIZE_MAX) {
                    ecrlint_result_free(k->places[p].res);
                    k->places[p].res = mres;
                } else {
                    ecrlint_result_free(mres);
                }
            } else {
                /* findings about the blob came first: they join the manifest's result */
                ecrlint_result *old = k->places[p].res;
                for (size_t i = 0; i < old->ndiags; i++) {
                    bool dropped;
                    el_diag *nd =
                        el_result_add_diag(mres, old->diags[i].pub.rule, old->diags[i].pub.severity,
                                           "", old->diags[i].pub.message, &dropped);
                    if (nd) {
                        nd->placed = true;
                        nd->pub.line = nd->pub.column = 0;
                    } else if (!dropped) {
                        set_st(k, ECRLINT_ERR_NOMEM);
                    }
                }
                ecrlint_result_free(old);
                k->places[p].res = mres;
            }
            place_text(k, p, data, len);
        }
    }
    el_buf_free(&full);
    if (k->st || p == SIZE_MAX) {
        if (owned)
            el_free(data);
        return;
    }
    ecrlint_result *mr = k->places[p].res;
    json_error_t jerr;
    bool oom = false;
    json_t *root = el_json_loadb(data, len, 0, &jerr, &oom);
    if (oom)
        set_st(k, ECRLINT_ERR_NOMEM);
    char declared[128];
    el_mf_type t =
        d.media_type ? el_mf_declared_type(d.media_type, declared, sizeof declared) : EL_MF_NONE;
    bool go_differs;
    if (t == EL_MF_NONE && root)
        t = el_mf_guess(root, &go_differs);
    if (!info->type)
        info->type = type_name(t);
    if (!info->digest) {
        char dg[EL_SHA256_DIGEST_SIZE];
        el_sha256_digest(data, len, dg);
        info->digest = dupe(k, dg);
    }

    /* the push of this manifest: tagged when it is the index.json entry that names a tag */
    if (!seen)
        predict_push(k, data, len, d.media_type, repository, tag, tag_place, tag_ptr, from,
                     ptr[0] ? ptr : NULL, info, mr->exc_code, mr->exc_message);

    if (root && json_is_object(root) && !seen && (t == EL_MF_OCI || t == EL_MF_INDEX))
        visit_subject(k, p, root, info);
    if (root && json_is_object(root) && !seen) {
        k->chain[k->nchain++] = e->name;
        if (t == EL_MF_INDEX || t == EL_MF_LIST) {
            const json_t *ms = json_object_get(root, "manifests");
            size_t i;
            const json_t *c;
            size_t n = json_array_size(ms);
            snprintf(info->platform, sizeof info->platform, "%zu platform%s", n, n == 1 ? "" : "s");
            json_array_foreach(ms, i, c)
            {
                if (!json_is_object(c))
                    continue;
                char cptr[64];
                snprintf(cptr, sizeof cptr, "/manifests/%zu", i);
                char saved[160];
                memcpy(saved, info->platform, sizeof saved);
                visit_manifest(k, c, p, cptr, img, repository, NULL, SIZE_MAX, NULL,
                               json_object_get(c, "platform"));
                memcpy(info->platform, saved, sizeof saved);
            }
        } else if (t == EL_MF_OCI || t == EL_MF_V2S2) {
            walk_image_manifest(k, p, root, img, platform, from, ptr);
        }
        k->nchain--;
    }
    if (root)
        json_decref(root);
    if (owned)
        el_free(data);
}

/* ---- blobs verified after the walk (in parallel for a layout) ------------------------------ */

typedef struct pool {
    image_ck *k;
    im_entry **todo;
    bool *verify;
    size_t n;
    size_t next;
    pthread_mutex_t lock;
} pool;

static void *pool_worker(void *arg)
{
    pool *pl = arg;
    char *buf = el_malloc(IM_BLOCK);
    if (!buf)
        return NULL;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t i = pl->next < pl->n ? pl->next++ : SIZE_MAX;
        pthread_mutex_unlock(&pl->lock);
        if (i == SIZE_MAX)
            break;
        im_source_digest(&pl->k->src, pl->todo[i], pl->verify[i], buf);
    }
    el_free(buf);
    return NULL;
}

/* What a blob's first bytes say it is, for the media type its descriptor gives. */
static const char *content_mismatch(const char *mt, const im_digests *dg, const unsigned char *head,
                                    size_t n)
{
    (void)dg;
    if (!mt)
        return NULL;
    size_t ml = strlen(mt);
    bool gz = ml > 5 && strcmp(mt + ml - 5, "+gzip") == 0;
    bool zst = ml > 5 && strcmp(mt + ml - 5, "+zstd") == 0;
    if (gz && !(n >= 2 && head[0] == 0x1f && head[1] == 0x8b))
        return "gzip";
    if (zst &&
        !(n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd))
        return "zstd";
    return NULL;
}

static void verify_jobs(image_ck *k)
{
    if (k->st || !k->njobs)
        return;
    /* the distinct entries to read, each once */
    im_entry **todo = el_calloc(k->njobs, sizeof *todo);
    bool *verify = el_calloc(k->njobs, sizeof *verify);
    if (!todo || !verify) {
        el_free(todo);
        el_free(verify);
        set_st(k, ECRLINT_ERR_NOMEM);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < k->njobs; i++) {
        im_entry *e = k->jobs[i].e;
        if (e->digested)
            continue;
        size_t j;
        for (j = 0; j < n && todo[j] != e; j++)
            ;
        if (j == n)
            todo[n++] = e;
        verify[j] = verify[j] || (k->io.verify_layers && k->jobs[i].is_layer);
    }
    pool pl = {k, todo, verify, n, 0, PTHREAD_MUTEX_INITIALIZER};
    int threads = k->io.jobs > 1 ? k->io.jobs : 1;
    if ((size_t)threads > n)
        threads = (int)n;
    pthread_t tid[64];
    int started = 0;
    for (int t = 1; t < threads && t < 64; t++)
        if (pthread_create(&tid[started], NULL, pool_worker, &pl) == 0)
            started++;
    pool_worker(&pl);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    for (size_t i = 0; i < n; i++)
        if (!todo[i]->digested) /* no memory for a block buffer */
            set_st(k, ECRLINT_ERR_NOMEM);
    el_free(todo);
    el_free(verify);

    for (size_t i = 0; i < k->njobs && !k->st; i++) {
        blob_job *j = &k->jobs[i];
        im_entry *e = j->e;
        image_info *img = &k->images[j->image];
        if (e->reported && !j->is_layer)
            continue;
        bool first = !e->reported;
        e->reported = true;
        if (e->dg.read_failed) {
            if (first) {
                size_t p = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
                el_var v[] = {{"what", "unreadable"}, {NULL, NULL}};
                report(k, p, "ECR8007", NULL, v);
            }
            img->blob_errors++;
            continue;
        }
        const char *colon = strchr(j->digest, ':');
        size_t alen = colon ? (size_t)(colon - j->digest) : 0;
        bool known = (alen == 6 && (strncmp(j->digest, "sha256", 6) == 0 ||
                                    strncmp(j->digest, "sha384", 6) == 0 ||
                                    strncmp(j->digest, "sha512", 6) == 0));
        if (!known) {
            if (first) {
                size_t p = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
                el_var v[] = {{"digest", j->digest}, {NULL, NULL}};
                report(k, p, "ECR8011", NULL, v);
            }
            continue;
        }
        bool damaged = strcmp(e->dg.digest, j->digest) != 0;
        if (damaged) {
            if (first) {
                size_t p = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
                el_var v[] = {{"actual", e->dg.digest}, {"digest", j->digest}, {NULL, NULL}};
                report(k, p, "ECR8006", NULL, v);
            }
            img->blob_errors++;
            continue;
        }
        const char *want = content_mismatch(j->media_type, &e->dg, e->dg.head, e->dg.head_len);
        if (want && first) {
            size_t p = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
            el_var v[] = {{"mediaType", j->media_type}, {"format", want}, {NULL, NULL}};
            report(k, p, "ECR8008", NULL, v);
        }
        if (!k->io.verify_layers || !j->is_layer || !j->diff_id || j->config == SIZE_MAX)
            continue;
        if (!e->dg.have_diff) {
            if (first) {
                size_t p = place_at(k, e->name, ECRLINT_KIND_IMAGE, e);
                el_var v[] = {{"detail", e->dg.diff_error}, {NULL, NULL}};
                report(k, p, "ECR8026", NULL, v);
            }
            img->blob_errors++;
        } else if (strcmp(e->dg.diff, j->diff_id) != 0) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/rootfs/diff_ids/%zu", j->diff_index);
            el_var v[] = {{"actual", e->dg.diff}, {"digest", j->diff_id}, {NULL, NULL}};
            report(k, j->config, "ECR8025", ptr, v);
            img->blob_errors++;
        }
    }
}

/* ---- the input's top: oci-layout, index.json, a docker-archive's manifest.json ------------- */

/* The JSON file `name` at the top of the input, read and parsed into *root; its place in *p.
 * False (reported with `rule`) when it is missing or not JSON. */
static bool top_json(image_ck *k, const char *name, const char *rule, size_t *p, json_t **root)
{
    *root = NULL;
    *p = SIZE_MAX;
    im_entry *e = im_source_find(&k->src, name);
    *p = place_at(k, name, ECRLINT_KIND_IMAGE, e);
    if (!e || e->type != IM_REGULAR) {
        el_var v[] = {{"detail", !e                      ? "it is missing"
                                 : e->type == IM_SYMLINK ? "it is a symbolic link (not followed)"
                                                         : "it is not a regular file"},
                      {NULL, NULL}};
        report(k, *p, rule, NULL, v);
        return false;
    }
    e->referenced = true;
    size_t len;
    bool owned;
    char *data = read_blob(k, e, &len, &owned, NULL);
    if (!data)
        return false;
    place_text(k, *p, data, len);
    json_error_t jerr;
    bool oom = false;
    *root = el_json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr, &oom);
    if (owned)
        el_free(data);
    if (oom)
        set_st(k, ECRLINT_ERR_NOMEM);
    if (!*root) {
        el_var v[] = {{"detail", jerr.text}, {NULL, NULL}};
        report(k, *p, rule, NULL, v);
        return false;
    }
    return true;
}

/* Splits "name:tag" (a docker reference) at the last ':' after the last '/'. */
static void split_reference(image_ck *k, const char *ref, char **repo, char **tag)
{
    *repo = *tag = NULL;
    const char *slash = strrchr(ref, '/');
    const char *colon = strrchr(slash ? slash : ref, ':');
    if (!colon) {
        *tag = dupe(k, ref);
        return;
    }
    *repo = el_strndup(ref, (size_t)(colon - ref));
    *tag = dupe(k, colon + 1);
    if (!*repo)
        set_st(k, ECRLINT_ERR_NOMEM);
}

static void name_image(image_ck *k, image_info *info)
{
    el_buf b;
    el_buf_init(&b);
    if (info->repository && info->tag)
        el_buf_printf(&b, "%s:%s", info->repository, info->tag);
    else if (info->tag)
        el_buf_puts(&b, info->tag);
    else if (info->repository)
        el_buf_printf(&b, "%s@%s", info->repository, info->digest ? info->digest : "");
    else
        el_buf_printf(&b, "@%s", info->digest ? info->digest : "(unknown)");
    if (b.failed) {
        el_buf_free(&b);
        set_st(k, ECRLINT_ERR_NOMEM);
        return;
    }
    info->name = el_buf_take(&b);
}

static void check_layout_file(image_ck *k)
{
    im_entry *e = im_source_find(&k->src, "oci-layout");
    size_t p;
    json_t *root;
    if (!e) {
        p = place_at(k, "oci-layout", ECRLINT_KIND_IMAGE, NULL);
        el_var v[] = {{"detail", "it is missing"}, {NULL, NULL}};
        report(k, p, "ECR8001", NULL, v);
        return;
    }
    if (!top_json(k, "oci-layout", "ECR8001", &p, &root))
        return;
    const json_t *ver = json_object_get(root, "imageLayoutVersion");
    if (!json_is_string(ver)) {
        el_var v[] = {{"detail", "imageLayoutVersion is missing or not a string"}, {NULL, NULL}};
        report(k, p, "ECR8001", json_is_object(root) && ver ? "/imageLayoutVersion" : "", v);
    }
    json_decref(root);
}

static void walk_index(image_ck *k)
{
    size_t p;
    json_t *root;
    if (!top_json(k, "index.json", "ECR8002", &p, &root))
        return;
    k->index_place = p;
    const json_t *ms = json_object_get(root, "manifests");
    if (!json_is_object(root) || !json_is_array(ms)) {
        el_var v[] = {{"detail", "it is not an image index: no manifests array"}, {NULL, NULL}};
        report(k, p, "ECR8002", json_is_object(root) && ms ? "/manifests" : "", v);
        json_decref(root);
        return;
    }
    size_t i;
    const json_t *c;
    json_array_foreach(ms, i, c)
    {
        if (k->st)
            break;
        char ptr[64], tag_ptr[128];
        snprintf(ptr, sizeof ptr, "/manifests/%zu", i);
        snprintf(tag_ptr, sizeof tag_ptr,
                 "/manifests/%zu/annotations/org.opencontainers.image.ref.name", i);
        if (!json_is_object(c)) {
            el_var v[] = {{"detail", "it is not an object"}, {NULL, NULL}};
            report(k, p, "ECR8003", ptr, v);
            continue;
        }
        const char *ref = json_string_value(json_object_get(json_object_get(c, "annotations"),
                                                            "org.opencontainers.image.ref.name"));
        size_t img = add_image(k);
        if (img == SIZE_MAX)
            break;
        image_info *info = &k->images[img];
        char *repo = NULL, *tag = NULL;
        if (ref)
            split_reference(k, ref, &repo, &tag);
        info->tag = tag;
        info->repository = k->io.repository ? dupe(k, k->io.repository) : repo;
        if (k->io.repository)
            el_free(repo);
        /* the same tag given to another manifest earlier: the later push moves it */
        for (size_t j = 0; j + 1 < k->nimages && tag; j++) {
            image_info *o = &k->images[j];
            if (o->tag && strcmp(o->tag, tag) == 0 &&
                ((!o->repository && !info->repository) ||
                 (o->repository && info->repository &&
                  strcmp(o->repository, info->repository) == 0))) {
                el_var v[] = {{"tag", tag}, {NULL, NULL}};
                report(k, p, "ECR8043", tag_ptr, v);
                break;
            }
        }
        visit_manifest(k, c, p, ptr, img, info->repository, tag, p, tag_ptr,
                       json_object_get(c, "platform"));
        info = &k->images[img];
        name_image(k, info);
    }
    /* tags per image */
    for (size_t a = 0; a < k->nimages; a++) {
        size_t n = 0;
        for (size_t b = 0; b < k->nimages; b++)
            if (k->images[a].digest && k->images[b].digest && k->images[b].tag &&
                strcmp(k->images[a].digest, k->images[b].digest) == 0)
                n++;
        if (n > ECR_MAX_TAGS) {
            char cnt[32];
            fmt_u64(cnt, n);
            el_var v[] = {{"count", cnt}, {"digest", k->images[a].digest}, {NULL, NULL}};
            report(k, p, "ECR8042", "/manifests", v);
            break;
        }
    }
    json_decref(root);
}

/* "<64 hex>.json" or "blobs/sha256/<hex>": the digest a docker-archive's file name gives. */
static bool name_digest(const char *name, char out[EL_DIGEST_BUF])
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    size_t n = strlen(base);
    if (strncmp(name, "blobs/", 6) == 0) {
        const char *alg = name + 6;
        const char *slash = strchr(alg, '/');
        if (!slash)
            return false;
        snprintf(out, EL_DIGEST_BUF, "%.*s:%s", (int)(slash - alg), alg, slash + 1);
        return true;
    }
    if (n == 69 && strcmp(base + 64, ".json") == 0) {
        snprintf(out, EL_DIGEST_BUF, "sha256:%.64s", base);
        return true;
    }
    return false;
}

/* A docker-archive: manifest.json's entries, each an image with its config, layers and tags
 * (moby image/tarexport). The manifest a push sends is written by the pushing tool, so the
 * pushes predicted are of the tags and the repository. */
static void walk_docker(image_ck *k)
{
    size_t p;
    json_t *root;
    if (!top_json(k, "manifest.json", "ECR8014", &p, &root))
        return;
    if (!json_is_array(root)) {
        el_var v[] = {{"detail", "it is not an array of images"}, {NULL, NULL}};
        report(k, p, "ECR8014", "", v);
        json_decref(root);
        return;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(root, i, item)
    {
        if (k->st)
            break;
        char ptr[96];
        const char *config = json_string_value(json_object_get(item, "Config"));
        const json_t *layers = json_object_get(item, "Layers");
        const json_t *tags = json_object_get(item, "RepoTags");
        if (!json_is_object(item) || !config || !json_is_array(layers) ||
            (tags && !json_is_null(tags) && !json_is_array(tags))) {
            snprintf(ptr, sizeof ptr, "/%zu", i);
            el_var v[] = {{"detail", "an image needs Config (a file name), Layers (an array) and "
                                     "RepoTags (an array or null)"},
                          {NULL, NULL}};
            report(k, p, "ECR8014", ptr, v);
            continue;
        }
        size_t img = add_image(k);
        if (img == SIZE_MAX)
            break;
        k->images[img].type = "docker-archive image";
        size_t nlayers = json_array_size(layers);
        k->images[img].layers = nlayers;
        /* the config */
        snprintf(ptr, sizeof ptr, "/%zu/Config", i);
        im_entry *ce = im_source_find(&k->src, config);
        const json_t *diff_ids = NULL;
        json_t *croot = NULL;
        size_t cp = SIZE_MAX;
        if (!ce) {
            el_var v[] = {{"role", "config"}, {"digest", config}, {NULL, NULL}};
            report(k, p, "ECR8004", ptr, v);
            k->images[img].blob_errors++;
        } else if (ce->type != IM_REGULAR) {
            desc d = {NULL, config, false, 0};
            (void)d;
            cp = place_at(k, ce->name, ECRLINT_KIND_IMAGE, ce);
            el_var v[] = {{"what", "not a regular file"}, {NULL, NULL}};
            report(k, cp, "ECR8007", NULL, v);
            ce->referenced = ce->reported = true;
            k->images[img].blob_errors++;
        } else {
            ce->referenced = true;
            char want[EL_DIGEST_BUF];
            if (name_digest(ce->name, want) && strcmp(want, ce->dg.digest) != 0) {
                cp = place_at(k, ce->name, ECRLINT_KIND_IMAGE, ce);
                el_var v[] = {{"actual", ce->dg.digest}, {"digest", want}, {NULL, NULL}};
                report(k, cp, "ECR8006", NULL, v);
                k->images[img].blob_errors++;
            }
            k->images[img].digest = dupe(k, ce->dg.digest);
            size_t len;
            bool owned;
            char *data = read_blob(k, ce, &len, &owned, &k->images[img]);
            if (data) {
                cp = place_at(k, ce->name, ECRLINT_KIND_IMAGE, ce);
                place_text(k, cp, data, len);
                json_error_t jerr;
                bool oom = false;
                croot = el_json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr, &oom);
                if (oom)
                    set_st(k, ECRLINT_ERR_NOMEM);
                if (owned)
                    el_free(data);
                if (!croot) {
                    el_var v[] = {{"detail", "it is not JSON"}, {NULL, NULL}};
                    report(k, cp, "ECR8020", NULL, v);
                } else {
                    diff_ids =
                        check_config(k, cp, croot, nlayers, NULL, SIZE_MAX, "", &k->images[img]);
                }
            }
        }
        /* the layers: each one's sha256 is its diff_id (docker save writes them uncompressed;
           a compressed one is compared decompressed with --verify-layers) */
        size_t li;
        const json_t *lj;
        json_array_foreach(layers, li, lj)
        {
            snprintf(ptr, sizeof ptr, "/%zu/Layers/%zu", i, li);
            const char *ln = json_string_value(lj);
            im_entry *le = ln ? im_source_find(&k->src, ln) : NULL;
            if (!le) {
                el_var v[] = {
                    {"role", "layer"}, {"digest", ln ? ln : "(not a string)"}, {NULL, NULL}};
                report(k, p, "ECR8004", ptr, v);
                k->images[img].blob_errors++;
                continue;
            }
            le->referenced = true;
            if (le->type != IM_REGULAR) {
                if (!le->reported) {
                    size_t lp = place_at(k, le->name, ECRLINT_KIND_IMAGE, le);
                    el_var v[] = {{"what", le->type == IM_SYMLINK ? "a symbolic link (not followed)"
                                           : le->type == IM_HARDLINK ? "a hard link (not followed)"
                                                                     : "not a regular file"},
                                  {NULL, NULL}};
                    report(k, lp, "ECR8007", NULL, v);
                    le->reported = true;
                }
                k->images[img].blob_errors++;
                continue;
            }
            k->images[img].size += le->size;
            char want[EL_DIGEST_BUF];
            if (name_digest(le->name, want) && strcmp(want, le->dg.digest) != 0) {
                if (!le->reported) {
                    size_t lp = place_at(k, le->name, ECRLINT_KIND_IMAGE, le);
                    el_var v[] = {{"actual", le->dg.digest}, {"digest", want}, {NULL, NULL}};
                    report(k, lp, "ECR8006", NULL, v);
                    le->reported = true;
                }
                k->images[img].blob_errors++;
                continue;
            }
            if (le->size > ECR_MAX_LAYER_SIZE && !le->reported) {
                size_t lp = place_at(k, le->name, ECRLINT_KIND_IMAGE, le);
                char a[32];
                fmt_u64(a, le->size);
                el_var v[] = {{"size", a}, {NULL, NULL}};
                report(k, lp, "ECR8040", NULL, v);
            }
            const char *diff = json_string_value(json_array_get(diff_ids, li));
            if (!diff || cp == SIZE_MAX)
                continue;
            bool same = strcmp(diff, le->dg.digest) == 0 ||
                        (le->dg.have_diff && strcmp(diff, le->dg.diff) == 0);
            if (!same) {
                char cptr[64];
                snprintf(cptr, sizeof cptr, "/rootfs/diff_ids/%zu", li);
                el_var v[] = {{"actual", le->dg.have_diff ? le->dg.diff : le->dg.digest},
                              {"digest", diff},
                              {NULL, NULL}};
                report(k, cp, "ECR8025", cptr, v);
                k->images[img].blob_errors++;
            }
        }
        if (nlayers > ECR_MAX_LAYERS) {
            char a[32];
            fmt_u64(a, nlayers);
            el_var v[] = {{"count", a}, {NULL, NULL}};
            snprintf(ptr, sizeof ptr, "/%zu/Layers", i);
            report(k, p, "ECR8041", ptr, v);
        }
        if (croot)
            json_decref(croot);
        /* the pushes: one per tag */
        size_t ntags = json_array_size(tags);
        for (size_t t = 0; t < ntags || (t == 0 && ntags == 0); t++) {
            const char *ref = json_string_value(json_array_get(tags, t));
            char *repo = NULL, *tag = NULL;
            if (ref)
                split_reference(k, ref, &repo, &tag);
            const char *use_repo = k->io.repository ? k->io.repository : repo;
            char tptr[96];
            snprintf(tptr, sizeof tptr, "/%zu/RepoTags/%zu", i, t);
            image_info *info = &k->images[img];
            if (t == 0) {
                info->tag = tag;
                info->repository = dupe(k, use_repo);
                tag = NULL;
            }
            predict_push(k, NULL, 0, EL_MT_V2S2, use_repo, t == 0 ? info->tag : tag, p, tptr, p,
                         NULL, info, NULL, NULL);
            el_free(repo);
            el_free(tag);
            if (ntags == 0)
                break;
        }
        name_image(k, &k->images[img]);
    }
    json_decref(root);
}

/* Blobs nothing points at (a warning: a push does not send them), and links among them. */
static void check_unreferenced(image_ck *k)
{
    for (size_t i = 0; i < k->src.n && !k->st; i++) {
        im_entry *e = &k->src.entries[i];
        if (e->referenced || strncmp(e->name, "blobs/", 6) != 0)
            continue;
        const char *rest = strchr(e->name + 6, '/');
        if (e->type == IM_DIRECTORY || (rest && strchr(rest + 1, '/')))
            continue;
        if (!rest && e->type == IM_REGULAR)
            continue; /* a file beside the algorithm folders: not a blob */
        /* a blob nothing refers to, or a link in place of a blob or an algorithm's folder; the
           place is new: a referenced entry is not here, and each entry is met once. A blob
           that is nothing else gets its result when it is passed on (emit). */
        if (e->type == IM_REGULAR && !e->reported) {
            e->unused = true;
            continue;
        }
        size_t p = e->reported ? place_at(k, e->name, ECRLINT_KIND_IMAGE, e)
                               : place_new(k, e->name, ECRLINT_KIND_IMAGE, e);
        if (e->type == IM_REGULAR) {
            report(k, p, "ECR8009", NULL, NULL);
        } else if (!e->reported) {
            el_var v[] = {{"what", e->type == IM_SYMLINK    ? "a symbolic link (not followed)"
                                   : e->type == IM_HARDLINK ? "a hard link (not followed)"
                                                            : "not a regular file"},
                          {NULL, NULL}};
            report(k, p, "ECR8007", NULL, v);
        }
    }
}

/* ---- the input's own result: one summary per image ---------------------------------------- */

static void size_text(char *out, size_t n, uint64_t v)
{
    if (v < 1000)
        snprintf(out, n, "%" PRIu64 " B", v);
    else if (v < 1000000)
        snprintf(out, n, "%.1f kB", (double)v / 1e3);
    else if (v < 10000000)
        snprintf(out, n, "%.1f MB", (double)v / 1e6);
    else if (v < 1000000000)
        snprintf(out, n, "%.0f MB", (double)v / 1e6);
    else
        snprintf(out, n, "%.1f GB", (double)v / 1e9);
}

static void build_facts(image_ck *k, const char *format)
{
    json_t *o = json_object();
    json_t *arr = json_array();
    bool ok = o && arr && json_object_set_new(o, "format", json_string(format)) == 0;
    for (size_t i = 0; ok && i < k->nimages; i++) {
        image_info *m = &k->images[i];
        char sz[32];
        size_text(sz, sizeof sz, m->size);
        el_buf ans;
        el_buf_init(&ans);
        if (m->blob_errors)
            el_buf_printf(&ans, "the push fails: %zu blob%s missing or damaged", m->blob_errors,
                          m->blob_errors == 1 ? "" : "s");
        else if (m->exc_code)
            el_buf_printf(&ans, "ECR refuses it: %s: %s", m->exc_code,
                          m->exc_message ? m->exc_message : "");
        else
            el_buf_puts(&ans, "ECR accepts it");
        el_buf summary;
        el_buf_init(&summary);
        el_buf_printf(&summary, "%s %s %s", m->name ? m->name : "",
                      m->platform[0] ? m->platform : "unknown platform",
                      m->type ? m->type : "manifest");
        if (m->subject) {
            /* a referrer: what it is and what it refers to, its digest cut as docker does */
            const char *hex = strchr(m->subject, ':');
            el_buf_printf(&summary, " (%s%sreferrer of %.*s)",
                          m->artifact_type ? m->artifact_type : "", m->artifact_type ? ", " : "",
                          hex ? (int)(hex - m->subject) + 13 : 19, m->subject);
        }
        el_buf_printf(&summary, ", %zu layer%s, %s: %s", m->layers, m->layers == 1 ? "" : "s", sz,
                      ans.failed ? "" : ans.data);
        json_t *img =
            json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:I, s:I, s:b}", "name", m->name,
                      "repository", m->repository, "tag", m->tag, "digest", m->digest, "type",
                      m->type, "platform", m->platform[0] ? m->platform : NULL, "layers",
                      (json_int_t)m->layers, "size", (json_int_t)m->size, "blobProblems",
                      (json_int_t)m->blob_errors, "accepted", !m->blob_errors && !m->exc_code);
        if (img && m->subject &&
            (json_object_set_new(img, "subject", json_string(m->subject)) != 0 ||
             json_object_set_new(img, "artifactType",
                                 m->artifact_type ? json_string(m->artifact_type) : json_null()) !=
                 0))
            set_st(k, ECRLINT_ERR_NOMEM);
        json_t *ecr = m->exc_code ? json_pack("{s:s, s:s}", "exception", m->exc_code, "message",
                                              m->exc_message ? m->exc_message : "")
                                  : json_pack("{s:n}", "exception");
        ok = img && ecr && !ans.failed && !summary.failed &&
             json_object_set_new(img, "ecr", ecr) == 0 &&
             json_object_set_new(img, "summary", json_string(summary.data)) == 0 &&
             json_array_append_new(arr, img) == 0;
        if (!ok) {
            json_decref(img);
            if (!img)
                json_decref(ecr);
        }
        el_buf_free(&ans);
        el_buf_free(&summary);
    }
    ok = ok && json_object_set_new(o, "images", arr) == 0;
    if (!ok)
        json_decref(arr);
    char *text = ok ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!text) {
        set_st(k, ECRLINT_ERR_NOMEM);
        return;
    }
    ecrlint_result *r = k->places[0].res;
    if (!el_result_set_string(&r->extra_json, text))
        set_st(k, ECRLINT_ERR_NOMEM);
    el_json_free(text);
}

/* ---- the API ------------------------------------------------------------------------------- */

ecrlint_image_format ecrlint_image_sniff(const char *path)
{
    struct stat sb;
    if (!path || lstat(path, &sb) != 0) {
        /* the named path itself may be a link the user gave: follow that one */
        if (!path || stat(path, &sb) != 0)
            return ECRLINT_IMAGE_NONE;
    }
    if (S_ISLNK(sb.st_mode) && stat(path, &sb) != 0)
        return ECRLINT_IMAGE_NONE;
    if (S_ISDIR(sb.st_mode)) {
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return ECRLINT_IMAGE_NONE;
        struct stat lb;
        bool yes = fstatat(fd, "oci-layout", &lb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(lb.st_mode);
        close(fd);
        return yes ? ECRLINT_IMAGE_LAYOUT : ECRLINT_IMAGE_NONE;
    }
    if (!S_ISREG(sb.st_mode) || sb.st_size < 6)
        return ECRLINT_IMAGE_NONE;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return ECRLINT_IMAGE_NONE;
    unsigned char hdr[512];
    ssize_t n = pread(fd, hdr, sizeof hdr, 0);
    close(fd);
    /* POSIX ustar and GNU tar headers: "ustar" at offset 257 */
    if (n == 512 && memcmp(hdr + 257, "ustar", 5) == 0)
        return ECRLINT_IMAGE_ARCHIVE;
    /* a tar compressed as a whole: the magic numbers of gzip (RFC 1952, section 2.3.1) and
       zstd (RFC 8878, section 3.1.1), then a tar header behind them */
    static const struct {
        unsigned char len, magic[4];
    } magics[] = {{2, {0x1f, 0x8b}}, {4, {0x28, 0xb5, 0x2f, 0xfd}}};
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (n >= magics[i].len && memcmp(hdr, magics[i].magic, magics[i].len) == 0)
            return im_source_compressed_tar(path) ? ECRLINT_IMAGE_ARCHIVE : ECRLINT_IMAGE_NONE;
    return ECRLINT_IMAGE_NONE;
}

static void image_ck_free(image_ck *k)
{
    for (size_t i = 0; i < k->nplaces; i++) {
        ecrlint_result_free(k->places[i].res);
        el_free(k->places[i].text);
    }
    el_free(k->places);
    for (size_t i = 0; i < k->nimages; i++) {
        image_info *m = &k->images[i];
        el_free(m->name);
        el_free(m->repository);
        el_free(m->tag);
        el_free(m->digest);
        el_free(m->exc_code);
        el_free(m->exc_message);
        el_free(m->subject);
        el_free(m->artifact_type);
    }
    el_free(k->images);
    for (size_t i = 0; i < k->njobs; i++) {
        el_free(k->jobs[i].digest);
        el_free(k->jobs[i].media_type);
        el_free(k->jobs[i].diff_id);
    }
    el_free(k->jobs);
    im_source_free(&k->src);
}

/* Places each place's findings in its text and passes the results on: the input's own first,
 * then the places that have something to say, in the order they were met. */
static ecrlint_status emit(image_ck *k, ecrlint_result_sink sink, void *ud)
{
    for (size_t i = 0; i < k->nplaces; i++) {
        place *pl = &k->places[i];
        if (i > 0 && pl->res->ndiags == 0 && pl->res->dropped == 0 &&
            pl->res->kind != ECRLINT_KIND_MANIFEST)
            continue;
        el_ctx cx;
        el_ctx_init(&cx, k->eng->rs, k->opt, pl->res);
        cx.unique_keys = false;
        ecrlint_status st = el_ctx_place(&cx, pl->text ? pl->text : "", pl->text ? pl->len : 0, 1);
        el_ctx_free(&cx);
        if (st)
            return st;
        /* findings with no position (about a whole blob) first */
        el_result_sort(pl->res);
        ecrlint_result *r = pl->res;
        pl->res = NULL;
        if (sink(r, ud) != 0)
            return ECRLINT_ERR_IO;
    }
    /* then the blobs nothing refers to, each made, said and passed on in turn (they come after
       every other place, in the order of the entries, as check_unreferenced met them) */
    for (size_t i = 0; i < k->src.n; i++) {
        im_entry *e = &k->src.entries[i];
        if (!e->unused)
            continue;
        size_t p = place_new(k, e->name, ECRLINT_KIND_IMAGE, e);
        report(k, p, "ECR8009", NULL, NULL);
        if (k->st)
            return k->st;
        ecrlint_result *r = k->places[p].res;
        k->places[p].res = NULL;
        k->nplaces--; /* the place was the last: its slot is used again */
        el_ctx cx;
        el_ctx_init(&cx, k->eng->rs, k->opt, r);
        cx.unique_keys = false;
        ecrlint_status st = el_ctx_place(&cx, "", 0, 1);
        el_ctx_free(&cx);
        if (st) {
            ecrlint_result_free(r);
            return st;
        }
        if (sink(r, ud) != 0)
            return ECRLINT_ERR_IO;
    }
    return ECRLINT_OK;
}

ecrlint_status ecrlint_check_image(const ecrlint_engine *engine, ecrlint_checker *checker,
                                   const ecrlint_check_options *options,
                                   const ecrlint_image_options *image, const char *path,
                                   const char *open_path, ecrlint_result_sink sink, void *userdata,
                                   ecrlint_error *err)
{
    if (!engine || !path || !sink)
        return el_error_set(err, ECRLINT_ERR_USAGE, path, 0, 0, "invalid arguments");
    if (!open_path)
        open_path = path;
    unsigned long failures_before = el_alloc_failures();
    image_ck k;
    memset(&k, 0, sizeof k);
    k.src.dirfd = -1;
    k.eng = engine;
    k.ck = checker;
    k.opt = options;
    if (image)
        k.io = *image;
    k.path = path;
    k.err = err;
    k.index_place = SIZE_MAX;
    place_at(&k, "", ECRLINT_KIND_IMAGE, NULL);
    ecrlint_image_format f = ecrlint_image_sniff(open_path);
    const char *format = "oci-layout";
    if (k.st == ECRLINT_OK) {
        char why[300] = "";
        const char *why_layout = NULL;
        ecrlint_status st;
        if (f == ECRLINT_IMAGE_LAYOUT) {
            k.sep = '/';
            st = im_source_layout(&k.src, open_path, &why_layout);
            if (why_layout)
                snprintf(why, sizeof why, "%s", why_layout);
        } else {
            k.sep = ':';
            st = im_source_archive(&k.src, open_path, k.io.verify_layers != 0, why, sizeof why);
        }
        if (st == ECRLINT_ERR_IO) {
            k.places[0].res->kind = ECRLINT_KIND_ERROR;
            el_var v[] = {{"detail", why}, {NULL, NULL}};
            report(&k, 0, "ECR8012", NULL, v);
        } else {
            set_st(&k, st);
        }
        if (st == ECRLINT_OK) {
            for (size_t i = 0; i < k.src.nproblems && !k.st; i++) {
                im_problem *pr = &k.src.problems[i];
                im_entry *pe = pr->name ? im_source_find(&k.src, pr->name) : NULL;
                if (pe) /* said once: not also unreferenced */
                    pe->referenced = pe->reported = true;
                size_t p = pr->name ? place_at(&k, pr->name, ECRLINT_KIND_IMAGE,
                                               im_source_find(&k.src, pr->name))
                                    : 0;
                el_var v[] = {{"detail", pr->detail}, {NULL, NULL}};
                report(&k, p, pr->rule, NULL, v);
            }
            bool oci = f == ECRLINT_IMAGE_LAYOUT || im_source_find(&k.src, "oci-layout") ||
                       !im_source_find(&k.src, "manifest.json");
            if (f != ECRLINT_IMAGE_LAYOUT)
                format = oci ? "oci-archive" : "docker-archive";
            if (oci) {
                k.src.format = f == ECRLINT_IMAGE_LAYOUT ? IM_LAYOUT : IM_OCI_ARCHIVE;
                check_layout_file(&k);
                walk_index(&k);
                verify_jobs(&k);
            } else {
                k.src.format = IM_DOCKER_ARCHIVE;
                walk_docker(&k);
            }
            check_unreferenced(&k);
        }
    }
    if (k.st == ECRLINT_OK)
        build_facts(&k, format);
    if (k.st == ECRLINT_OK && el_alloc_failures() != failures_before)
        k.st = ECRLINT_ERR_NOMEM;
    ecrlint_status st = k.st;
    if (st == ECRLINT_OK)
        st = emit(&k, sink, userdata);
    image_ck_free(&k);
    if (st != ECRLINT_OK)
        return el_error_set(err, st, path, 0, 0, "%s", ecrlint_status_str(st));
    return ECRLINT_OK;
}

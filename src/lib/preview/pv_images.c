/* pv_images.c - the images a preview runs over, read as ECR and its SDKs write them.
 *
 * - A DescribeImages response: {"imageDetails": [ImageDetail, ...], "nextToken": ...}, as
 *   `aws ecr describe-images --output json` saves it (one page per file).
 * - JSON Lines: one ImageDetail object per line.
 * - A BatchGetImage response: {"images": [{"imageId": ..., "imageManifest": ...}]}: the
 *   manifests of image indexes and manifest lists, whose children ECR does not act on.
 *
 * Times are epoch seconds (the AWS JSON protocol: a number, possibly fractional) or ISO 8601
 * text (the AWS CLI's and most SDKs' output): https://docs.aws.amazon.com/AmazonECR/latest/
 * APIReference/API_ImageDetail.html. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "preview/el_preview.h"
#include "util/el_alloc.h"
#include "util/el_error.h"
#include "util/el_json.h"

#define US 1000000
/* 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds */
#define MIN_SECONDS (-62135596800LL)
#define MAX_SECONDS 253402300800LL

/* Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days algorithm of
 * http://howardhinnant.github.io/date_algorithms.html#days_from_civil, rewritten). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* n digits at *s as a number; false when one is not a digit */
static bool digits(const char **s, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return false;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return true;
}

/* ".123456...": the fraction in microseconds (digits past the sixth are dropped) */
static bool fraction(const char **s, int64_t *us)
{
    *us = 0;
    if (**s != '.')
        return true;
    (*s)++;
    if (!isdigit((unsigned char)**s))
        return false;
    int64_t scale = US / 10;
    for (; isdigit((unsigned char)**s); (*s)++, scale /= 10)
        *us += (**s - '0') * scale;
    return true;
}

static bool epoch_text(const char *s, int64_t *out)
{
    bool neg = *s == '-';
    s += neg;
    if (!isdigit((unsigned char)*s))
        return false;
    int64_t sec = 0;
    for (; isdigit((unsigned char)*s); s++) {
        sec = sec * 10 + (*s - '0');
        if (sec > MAX_SECONDS)
            return false;
    }
    int64_t us;
    if (!fraction(&s, &us) || *s)
        return false;
    if (neg && -sec < MIN_SECONDS)
        return false;
    *out = neg ? -(sec * US + us) : sec * US + us;
    return true;
}

bool el_pv_time_parse(const char *s, int64_t *out)
{
    if (!s)
        return false;
    const char *p = s;
    int64_t y, mo, d, h = 0, mi = 0, sec = 0, us = 0, off = 0;
    if (!digits(&p, 4, &y) || *p != '-')
        return epoch_text(s, out);
    p++;
    if (!digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
        return false;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return false;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &sec) || !fraction(&p, &us))
                return false;
        }
        if (h > 23 || mi > 59 || sec > 60)
            return false;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1;
            int64_t oh, om;
            if (!digits(&p, 2, &oh))
                return false;
            if (*p == ':')
                p++;
            if (!digits(&p, 2, &om) || oh > 23 || om > 59)
                return false;
            off = sign * (oh * 3600 + om * 60);
        }
    }
    if (*p)
        return false;
    int64_t days = days_from_civil(y, mo, d);
    int dd, mm;
    int64_t yy;
    civil_from_days(days, &yy, &mm, &dd);
    if (yy != y || mm != mo || dd != d) /* 2026-02-30 */
        return false;
    *out = ((days * 86400 + h * 3600 + mi * 60 + sec) - off) * US + us;
    return true;
}

bool el_pv_time_json(const json_t *v, int64_t *out)
{
    if (json_is_string(v))
        return el_pv_time_parse(json_string_value(v), out);
    if (json_is_integer(v)) {
        json_int_t s = json_integer_value(v);
        if (s < MIN_SECONDS || s >= MAX_SECONDS)
            return false;
        *out = (int64_t)s * US;
        return true;
    }
    if (json_is_real(v)) {
        double x = json_real_value(v);
        if (!(x >= (double)MIN_SECONDS && x < (double)MAX_SECONDS))
            return false;
        double us = x * US;
        *out = (int64_t)(us >= 0 ? us + 0.5 : us - 0.5);
        return true;
    }
    return false;
}

static void split(int64_t t, int64_t *sec, int64_t *us)
{
    *sec = t / US;
    *us = t % US;
    if (*us < 0) {
        *us += US;
        *sec -= 1;
    }
}

/* ".123" for 123000 microseconds: the fraction without trailing zeros, or "" */
static void fraction_text(int64_t us, char out[8])
{
    out[0] = '\0';
    if (!us)
        return;
    snprintf(out, 8, ".%06lld", (long long)us);
    size_t n = strlen(out);
    while (out[n - 1] == '0')
        out[--n] = '\0';
}

char *el_pv_time_format(int64_t t, char out[40])
{
    int64_t sec, us, y;
    split(t, &sec, &us);
    int64_t days = sec / 86400, rem = sec % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int m, d;
    civil_from_days(days, &y, &m, &d);
    char frac[8];
    fraction_text(us, frac);
    snprintf(out, 40, "%04lld-%02d-%02dT%02d:%02d:%02d%sZ", (long long)y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60), frac);
    return out;
}

char *el_pv_time_epoch(int64_t t, char out[40])
{
    /* times are within years 1 to 9999: -t does not overflow */
    int64_t a = t < 0 ? -t : t;
    char frac[8];
    fraction_text(a % US, frac);
    snprintf(out, 40, "%s%lld%s", t < 0 ? "-" : "", (long long)(a / US), frac);
    return out;
}

/* ---- where the entries are ------------------------------------------------------------ */

static size_t skip_string(const char *b, size_t len, size_t i)
{
    for (i++; i < len && b[i] != '"'; i++)
        if (b[i] == '\\')
            i++;
    return i + 1;
}

static size_t skip_space(const char *b, size_t len, size_t i)
{
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
        i++;
    return i;
}

/* The offsets of the elements of the array that is member `key` of the top-level object of
 * the valid JSON text b[0..len) (jansson parsed it, without duplicate keys): up to n of them
 * into offs; returns how many were found. */
static size_t element_starts(const char *b, size_t len, const char *key, size_t *offs, size_t n)
{
    size_t klen = strlen(key), i = 0;
    int depth = 0;
    while (i < len) {
        char c = b[i];
        if (c != '"') {
            depth += (c == '{' || c == '[') - (c == '}' || c == ']');
            i++;
            continue;
        }
        size_t end = skip_string(b, len, i);
        size_t j = skip_space(b, len, end);
        if (depth == 1 && j < len && b[j] == ':' && end - i - 2 == klen &&
            memcmp(b + i + 1, key, klen) == 0) {
            j = skip_space(b, len, j + 1);
            if (j >= len || b[j] != '[')
                return 0;
            size_t k = 0;
            j = skip_space(b, len, j + 1);
            if (j < len && b[j] == ']')
                return 0;
            int d = 0;
            if (k < n)
                offs[k++] = j;
            while (j < len) {
                char x = b[j];
                if (x == '"') {
                    j = skip_string(b, len, j);
                    continue;
                }
                if (x == '{' || x == '[') {
                    d++;
                } else if (x == '}' || x == ']') {
                    if (d-- == 0)
                        return k;
                } else if (x == ',' && d == 0) {
                    j = skip_space(b, len, j + 1);
                    if (k < n)
                        offs[k++] = j;
                    continue;
                }
                j++;
            }
            return k;
        }
        i = end;
    }
    return 0;
}

/* ---- entries ------------------------------------------------------------------------ */

static ecrlint_status entry_error(ecrlint_error *err, const char *source, int line, int column,
                                  const char *digest, const char *what)
{
    if (digest)
        return el_error_set(err, ECRLINT_ERR_USAGE, source, line, column, "image %s: %s", digest,
                            what);
    return el_error_set(err, ECRLINT_ERR_USAGE, source, line, column, "image entry: %s", what);
}

static ecrlint_status oom(ecrlint_error *err, const char *source)
{
    return el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
}

static ecrlint_status read_entry(el_pv_images *im, el_pv_pool *pool, const json_t *e,
                                 const char *source, int line, int column, int32_t index,
                                 ecrlint_error *err)
{
    if (!json_is_object(e))
        return el_error_set(err, ECRLINT_ERR_USAGE, source, line, column,
                            "image entry: a %s, not an object", el_json_type_name(e));
    const json_t *dg = json_object_get(e, "imageDigest");
    if (!json_is_string(dg))
        return entry_error(err, source, line, column, NULL, "no imageDigest");
    if (!el_grow(&im->items, &im->cap, im->n + 1, sizeof *im->items, 256))
        return oom(err, source);
    el_pv_image *x = &im->items[im->n];
    memset(x, 0, sizeof *x);
    if (!(x->digest = el_pv_pool_strdup(pool, json_string_value(dg), json_string_length(dg))))
        return oom(err, source);
    const char *digest = x->digest;
    const json_t *tags = json_object_get(e, "imageTags");
    if (tags && !json_is_array(tags) && !json_is_null(tags))
        return entry_error(err, source, line, column, digest, "imageTags is not an array");
    size_t nt = json_array_size(tags);
    if (nt) {
        const char **t = el_pv_pool_alloc(pool, nt * sizeof *t);
        if (!t)
            return oom(err, source);
        for (size_t k = 0; k < nt; k++) {
            const json_t *v = json_array_get(tags, k);
            if (!json_is_string(v))
                return entry_error(err, source, line, column, digest,
                                   "imageTags holds a value that is not a string");
            if (!(t[k] = el_pv_pool_strdup(pool, json_string_value(v), json_string_length(v))))
                return oom(err, source);
        }
        x->tags = t;
        x->ntags = (uint32_t)nt;
    }
    static const char *const times[] = {"imagePushedAt", "lastRecordedPullTime", "lastArchivedAt",
                                        "lastActivatedAt"};
    int64_t *slots[] = {&x->pushed, &x->pulled, &x->archived, &x->activated};
    for (size_t k = 0; k < 4; k++) {
        const json_t *v = json_object_get(e, times[k]);
        *slots[k] = EL_PV_NO_TIME;
        if (v && !json_is_null(v) && !el_pv_time_json(v, slots[k]))
            return el_error_set(err, ECRLINT_ERR_USAGE, source, line, column,
                                "image %s: %s is not a time (epoch seconds or ISO 8601, years 1 "
                                "to 9999)",
                                digest, times[k]);
    }
    const json_t *status = json_object_get(e, "imageStatus");
    if (status && !json_is_null(status)) {
        const char *s = json_string_value(status);
        if (s && strcmp(s, "ACTIVE") == 0)
            x->status = EL_PV_ACTIVE;
        else if (s && strcmp(s, "ARCHIVED") == 0)
            x->status = EL_PV_ARCHIVED;
        else if (s && strcmp(s, "ACTIVATING") == 0)
            x->status = EL_PV_ACTIVATING;
        else
            return entry_error(err, source, line, column, digest,
                               "imageStatus is not ACTIVE, ARCHIVED or ACTIVATING");
    }
    static const char *const ids[] = {"registryId", "repositoryName"};
    const char **seen[] = {&im->registry_id, &im->repository_name};
    for (size_t k = 0; k < 2; k++) {
        const char *v = json_string_value(json_object_get(e, ids[k]));
        if (!v)
            continue;
        if (!*seen[k]) {
            if (!(*seen[k] = el_pv_pool_strdup(pool, v, strlen(v))))
                return oom(err, source);
        } else if (strcmp(*seen[k], v) != 0) {
            return el_error_set(err, ECRLINT_ERR_USAGE, source, line, column,
                                "image %s: %s is %.80s, another image's is %.80s: a preview is "
                                "of one repository",
                                digest, ids[k], v, *seen[k]);
        }
    }
    x->source = (uint32_t)(im->nsources - 1);
    x->line = line;
    x->column = column;
    x->index = index;
    x->rule = -1;
    im->n++;
    return ECRLINT_OK;
}

/* The children an index or manifest list names, from one BatchGetImage image. */
static ecrlint_status read_manifest(el_pv_images *im, el_pv_pool *pool, const json_t *e,
                                    const char *source, ecrlint_error *err)
{
    const char *parent =
        json_string_value(json_object_get(json_object_get(e, "imageId"), "imageDigest"));
    const json_t *text = json_object_get(e, "imageManifest");
    if (!parent || !json_is_string(text))
        return ECRLINT_OK; /* nothing to learn: no digest, or no manifest */
    json_error_t jerr;
    bool no_mem = false;
    json_t *m = el_json_loadb(json_string_value(text), json_string_length(text), 0, &jerr, &no_mem);
    if (!m)
        return no_mem ? oom(err, source) : ECRLINT_OK; /* the check of the file says why */
    const json_t *children = json_object_get(m, "manifests");
    const char *p = NULL;
    ecrlint_status st = ECRLINT_OK;
    for (size_t k = 0; k < json_array_size(children) && !st; k++) {
        const char *child =
            json_string_value(json_object_get(json_array_get(children, k), "digest"));
        if (!child)
            continue;
        if (!p && !(p = el_pv_pool_strdup(pool, parent, strlen(parent)))) {
            st = oom(err, source);
            break;
        }
        const char *c = el_pv_pool_strdup(pool, child, strlen(child));
        if (!c || !el_grow(&im->refs, &im->cap_refs, im->nrefs + 1, sizeof *im->refs, 64)) {
            st = oom(err, source);
            break;
        }
        im->refs[im->nrefs].child = c;
        im->refs[im->nrefs].parent = p;
        im->nrefs++;
    }
    json_decref(m);
    return st;
}

/* line and column (1-based, columns in code points) of each offset, in increasing order */
static void positions(const char *b, const size_t *offs, size_t n, int *lines, int *cols)
{
    size_t i = 0;
    int line = 1, col = 1;
    for (size_t k = 0; k < n; k++) {
        for (; i < offs[k]; i++) {
            if (b[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)b[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        lines[k] = line;
        cols[k] = col;
    }
}

static ecrlint_status read_array(el_pv_images *im, el_pv_pool *pool, const json_t *arr,
                                 const char *key, const char *source, const char *buf, size_t len,
                                 ecrlint_error *err)
{
    size_t n = json_array_size(arr);
    if (!n)
        return ECRLINT_OK;
    size_t *offs = el_malloc(n * sizeof *offs);
    int *lines = el_malloc(n * sizeof *lines), *cols = el_malloc(n * sizeof *cols);
    ecrlint_status st = ECRLINT_OK;
    if (!offs || !lines || !cols) {
        st = oom(err, source);
    } else {
        size_t found = element_starts(buf, len, key, offs, n);
        for (size_t k = found; k < n; k++) /* not expected: jansson and the scan agree */
            offs[k] = found ? offs[found - 1] : 0;
        positions(buf, offs, n, lines, cols);
        bool images = strcmp(key, "imageDetails") == 0;
        for (size_t k = 0; k < n && !st; k++)
            st = images ? read_entry(im, pool, json_array_get(arr, k), source, lines[k], cols[k],
                                     (int32_t)k, err)
                        : read_manifest(im, pool, json_array_get(arr, k), source, err);
    }
    el_free(offs);
    el_free(lines);
    el_free(cols);
    return st;
}

static ecrlint_status read_lines(el_pv_images *im, el_pv_pool *pool, const char *source,
                                 const char *buf, size_t len, ecrlint_error *err)
{
    int line = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - buf) : len;
        line++;
        size_t s = skip_space(buf, end, i);
        if (s < end) {
            json_error_t jerr;
            bool no_mem = false;
            json_t *e = el_json_loadb(buf + s, end - s, JSON_REJECT_DUPLICATES, &jerr, &no_mem);
            if (!e)
                return no_mem ? oom(err, source)
                              : el_error_set(err, ECRLINT_ERR_USAGE, source, line,
                                             (int)(s - i) + jerr.column,
                                             "not a JSON Lines record of an image: %s", jerr.text);
            ecrlint_status st = read_entry(im, pool, e, source, line, (int)(s - i) + 1, -1, err);
            json_decref(e);
            if (st)
                return st;
        }
        i = end + 1;
    }
    return ECRLINT_OK;
}

static ecrlint_status read_file(el_pv_images *im, el_pv_pool *pool, const char *source,
                                const char *buf, size_t len, ecrlint_error *err);

/* A file's JSON values come from an arena (util/arena.c) and are dropped with it: what is kept
 * is copied into the pool first. */
ecrlint_status el_pv_images_read(el_pv_images *im, el_pv_pool *pool, const char *source,
                                 const char *buf, size_t len, ecrlint_error *err)
{
    el_arena arena;
    el_arena_begin(&arena, NULL);
    ecrlint_status st = read_file(im, pool, source, buf, len, err);
    el_arena_end(&arena);
    return st;
}

static ecrlint_status read_file(el_pv_images *im, el_pv_pool *pool, const char *source,
                                const char *buf, size_t len, ecrlint_error *err)
{
    if (im->nsources >= UINT32_MAX ||
        !el_grow(&im->sources, &im->cap_sources, im->nsources + 1, sizeof *im->sources, 8) ||
        !(im->sources[im->nsources] = el_strdup(source ? source : "-")))
        return oom(err, source);
    im->nsources++;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) { /* a byte-order mark */
        buf += 3;
        len -= 3;
    }
    json_error_t jerr;
    bool no_mem = false;
    json_t *doc = el_json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr, &no_mem);
    if (!doc) {
        if (no_mem)
            return oom(err, source);
        /* JSON Lines when the first line holds a whole JSON object */
        size_t s = skip_space(buf, len, 0);
        const char *nl = memchr(buf + s, '\n', len - s);
        json_error_t lerr;
        json_t *first =
            nl ? el_json_loadb(buf + s, (size_t)(nl - buf) - s, 0, &lerr, &no_mem) : NULL;
        bool lines = json_is_object(first);
        json_decref(first);
        if (no_mem)
            return oom(err, source);
        if (lines)
            return read_lines(im, pool, source, buf, len, err);
        return el_error_set(err, ECRLINT_ERR_USAGE, source, jerr.line, jerr.column, "not JSON: %s",
                            jerr.text);
    }
    ecrlint_status st;
    const json_t *details = json_object_get(doc, "imageDetails");
    const json_t *images = json_object_get(doc, "images");
    if (json_is_array(details))
        st = read_array(im, pool, details, "imageDetails", source, buf, len, err);
    else if (json_is_array(images))
        st = read_array(im, pool, images, "images", source, buf, len, err);
    else if (json_object_get(doc, "imageDigest"))
        st = read_entry(im, pool, doc, source, 1, (int)skip_space(buf, len, 0) + 1, -1, err);
    else
        st = el_error_set(err, ECRLINT_ERR_USAGE, source, 0, 0,
                          "neither a DescribeImages response (imageDetails), JSON Lines of "
                          "imageDetails entries nor a BatchGetImage response (images)");
    json_decref(doc);
    return st;
}

void el_pv_images_free(el_pv_images *im)
{
    for (size_t i = 0; i < im->nsources; i++)
        el_free(im->sources[i]);
    el_free(im->sources);
    el_free(im->items);
    el_free(im->refs);
    memset(im, 0, sizeof *im);
}

/* cli_baseline.c - baselines: adopt ecrlint on an existing tree and fail only on new findings.
 *
 * A baseline records findings by what identifies them independently of formatting: the input
 * path (relative to the baseline file's directory), the JSON Lines record line (0 for whole
 * files), the rule and the JSON pointer - never the line or column, so that edits elsewhere in
 * a file do not resurrect accepted findings. Each recorded finding suppresses one current
 * finding with the same key ("count" when there are several), so a second, new occurrence at the
 * same place is still reported. Inputs that could not be read (ECR0000, ECR0004) are never
 * recorded or suppressed.
 *
 *   {"version": 1,
 *    "findings": [
 *      {"path": "requests/a.json", "rule": "ECR1012", "pointer": "/repositoryName"},
 *      {"path": "batch.jsonl", "record": 3, "rule": "ECR2003", "pointer": "/imageIds", "count": 2}
 *    ]}
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define BASELINE_VERSION 1

typedef struct entry {
    char *path;
    int record;
    const char *rule; /* borrowed from the loaded document or the report */
    const char *pointer;
    long count;
} entry;

struct cli_baseline {
    json_t *doc;
    char *base; /* absolute directory of the baseline file */
    entry *e;
    size_t n;
};

static bool input_trouble(const char *rule)
{
    return strcmp(rule, "ECR0000") == 0 || strcmp(rule, "ECR0004") == 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    if (x->record != y->record)
        return x->record < y->record ? -1 : 1;
    if ((c = strcmp(x->rule, y->rule)))
        return c;
    return strcmp(x->pointer, y->pointer);
}

/* The absolute directory holding `file` (which need not exist yet); new string or NULL. */
static char *dir_of(const char *file)
{
    if (!file || strcmp(file, "-") == 0)
        return getcwd(NULL, 0);
    const char *slash = strrchr(file, '/');
    char *dir = slash ? strndup(file, (size_t)(slash - file) + (slash == file)) : strdup(".");
    char *abs = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    return abs;
}

void cli_baseline_free(cli_baseline *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        free(b->e[i].path);
    free(b->e);
    free(b->base);
    json_decref(b->doc);
    free(b);
}

cli_baseline *cli_baseline_load(const char *file, FILE *err)
{
    json_error_t jerr;
    cli_baseline *b = calloc(1, sizeof *b);
    if (!b) {
        cli_errorf(err, "out of memory");
        return NULL;
    }
    b->doc = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
    if (!b->doc) {
        if (jerr.line > 0)
            cli_errorf(err, "%s:%d:%d: malformed baseline: %s", file, jerr.line, jerr.column,
                       jerr.text);
        else
            cli_errorf(err, "%s: cannot read baseline: %s", file, jerr.text);
        goto fail;
    }
    if (!(b->base = dir_of(file))) {
        cli_errorf(err, "%s: %s", file, strerror(errno));
        goto fail;
    }
    json_t *findings = NULL;
    json_int_t version = 0;
    json_error_t uerr;
    if (json_unpack_ex(b->doc, &uerr, JSON_STRICT, "{s:I, s:o}", "version", &version, "findings",
                       &findings) != 0 ||
        !json_is_array(findings)) {
        cli_errorf(err, "%s: malformed baseline: %s", file,
                   findings ? "'findings' must be an array" : uerr.text);
        goto fail;
    }
    if (version != BASELINE_VERSION) {
        cli_errorf(err, "%s: baseline version %lld is not supported (expected %d)", file,
                   (long long)version, BASELINE_VERSION);
        goto fail;
    }
    b->e = calloc(json_array_size(findings) + 1, sizeof *b->e);
    if (!b->e) {
        cli_errorf(err, "out of memory");
        goto fail;
    }
    size_t i;
    json_t *item;
    json_array_foreach(findings, i, item)
    {
        const char *path = NULL, *rule = NULL, *pointer = NULL;
        json_int_t record = 0, count = 1;
        if (json_unpack_ex(item, &uerr, JSON_STRICT, "{s:s, s?I, s:s, s:s, s?I}", "path", &path,
                           "record", &record, "rule", &rule, "pointer", &pointer, "count",
                           &count) != 0 ||
            record < 0 || record > INT_MAX || count < 1) {
            cli_errorf(err, "%s: malformed baseline: findings[%zu]: %s", file, i,
                       record < 0 || record > INT_MAX || count < 1
                           ? "'record' must be >= 0 and 'count' >= 1"
                           : uerr.text);
            goto fail;
        }
        entry *e = &b->e[b->n];
        /* Paths are stored relative to the baseline's directory, '/'-separated. */
        e->path = strdup(path);
        if (!e->path) {
            cli_errorf(err, "out of memory");
            goto fail;
        }
        e->record = (int)record;
        e->rule = rule;
        e->pointer = pointer;
        e->count = (long)count;
        b->n++;
    }
    qsort(b->e, b->n, sizeof *b->e, cmp_entry);
    return b;
fail:
    cli_baseline_free(b);
    return NULL;
}

size_t cli_baseline_apply(cli_baseline *b, ecrlint_result *r)
{
    if (!b || !b->n)
        return 0;
    char *rel = cli_path_relative(b->base, ecrlint_result_path(r));
    if (!rel)
        return 0;
    size_t hits = 0;
    for (size_t i = 0; i < ecrlint_result_diag_count(r); i++) {
        const ecrlint_diag *d = ecrlint_result_diag(r, i);
        if (input_trouble(d->rule))
            continue;
        entry key = {rel, ecrlint_result_record_line(r), d->rule, d->pointer, 0};
        entry *e = bsearch(&key, b->e, b->n, sizeof *b->e, cmp_entry);
        /* bsearch finds any of equal entries; use the first with count left */
        while (e && e > b->e && cmp_entry(e - 1, &key) == 0)
            e--;
        while (e && e < b->e + b->n && cmp_entry(e, &key) == 0 && e->count == 0)
            e++;
        if (e && e < b->e + b->n && cmp_entry(e, &key) == 0 && e->count > 0) {
            e->count--;
            ecrlint_result_set_suppressed(r, i, 1);
            hits++;
        }
    }
    free(rel);
    return hits;
}

typedef struct write_ctx {
    entry *e;
    size_t n;
} write_ctx;

static int produce(FILE *f, void *ud)
{
    write_ctx *w = ud;
    fprintf(f, "{\n  \"version\": %d,\n  \"findings\": [", BASELINE_VERSION);
    for (size_t i = 0; i < w->n; i++) {
        const entry *e = &w->e[i];
        json_t *o = json_object();
        if (!o)
            return ENOMEM;
        json_object_set_new(o, "path", json_string(e->path));
        if (e->record > 0)
            json_object_set_new(o, "record", json_integer(e->record));
        json_object_set_new(o, "rule", json_string(e->rule));
        json_object_set_new(o, "pointer", json_string(e->pointer));
        if (e->count > 1)
            json_object_set_new(o, "count", json_integer(e->count));
        char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        json_decref(o);
        if (!text)
            return ENOMEM;
        fprintf(f, "%s\n    %s", i ? "," : "", text);
        free(text);
    }
    fputs(w->n ? "\n  ]\n}\n" : "]\n}\n", f);
    return ferror(f) ? EIO : 0;
}

bool cli_baseline_write(const ecrlint_report *rep, const char *file, size_t *count, FILE *err)
{
    char *base = dir_of(file);
    if (!base) {
        cli_errorf(err, "%s: %s", file, strerror(errno));
        return false;
    }
    write_ctx w = {NULL, 0};
    size_t cap = 0;
    size_t total = 0;
    int e = 0;
    for (size_t i = 0; !e && i < ecrlint_report_count(rep); i++) {
        const ecrlint_result *r = ecrlint_report_result(rep, i);
        for (size_t k = 0; !e && k < ecrlint_result_diag_count(r); k++) {
            const ecrlint_diag *d = ecrlint_result_diag(r, k);
            if (input_trouble(d->rule))
                continue;
            if (w.n == cap) {
                entry *p = cli_grow(w.e, &cap, sizeof *p, 64);
                if (!p) {
                    e = ENOMEM;
                    break;
                }
                w.e = p;
            }
            entry *en = &w.e[w.n];
            en->path = cli_path_relative(base, ecrlint_result_path(r));
            if (!en->path) {
                e = ENOMEM;
                break;
            }
            en->record = ecrlint_result_record_line(r);
            en->rule = d->rule;
            en->pointer = d->pointer;
            en->count = 1;
            w.n++;
            total++;
        }
    }
    if (!e && w.n) {
        qsort(w.e, w.n, sizeof *w.e, cmp_entry);
        size_t out = 0;
        for (size_t i = 0; i < w.n; i++) {
            if (out && cmp_entry(&w.e[out - 1], &w.e[i]) == 0) {
                w.e[out - 1].count++;
                free(w.e[i].path);
            } else {
                w.e[out++] = w.e[i];
            }
        }
        w.n = out;
    }
    if (!e)
        e = cli_write_atomic(file, produce, &w);
    for (size_t i = 0; i < w.n; i++)
        free(w.e[i].path);
    free(w.e);
    free(base);
    if (e) {
        cli_errorf(err, "cannot write baseline %s: %s", file, strerror(e));
        return false;
    }
    *count = total;
    return true;
}

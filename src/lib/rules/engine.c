/* engine.c - the engine: the loaded pack documents and the ruleset built from them. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/el_builtin.h"
#include "rules/el_engine.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"
#include "util/el_file.h"
#include "util/el_json.h"

static void packs_free_one(el_pack_doc *p)
{
    el_free(p->name);
    el_free(p->source);
    json_decref(p->doc);
    memset(p, 0, sizeof *p);
}

static void packs_free(el_pack_doc *packs, size_t n)
{
    if (!packs)
        return;
    for (size_t i = 0; i < n; i++)
        packs_free_one(&packs[i]);
    el_free(packs);
}

void ecrlint_engine_free(ecrlint_engine *e)
{
    if (!e)
        return;
    el_ruleset_free(e->rs);
    packs_free(e->packs, e->npacks);
    el_free(e);
}

/* Parses one pack document; the pack's "name" (or its file name) identifies it. */
static ecrlint_status parse_pack(const char *source, const char *buf, size_t len, el_pack_doc *out,
                                 ecrlint_error *err)
{
    json_error_t jerr;
    bool oom;
    json_t *doc = el_json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr, &oom);
    if (!doc) {
        if (oom)
            return el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
        return el_error_set(err, ECRLINT_ERR_RULES, source, jerr.line, jerr.column,
                            "invalid JSON: %s", jerr.text);
    }
    const json_t *name = json_object_get(doc, "name");
    if (!json_is_string(name)) {
        json_decref(doc);
        return el_error_set(err, ECRLINT_ERR_RULES, source, 0, 0,
                            "name: a rule pack needs a \"name\" string");
    }
    out->name = el_strdup(json_string_value(name));
    out->source = el_strdup(source);
    out->doc = doc;
    if (!out->name || !out->source) {
        el_free(out->name);
        el_free(out->source);
        json_decref(doc);
        return el_error_set(err, ECRLINT_ERR_NOMEM, source, 0, 0, "out of memory");
    }
    return ECRLINT_OK;
}

ecrlint_engine *ecrlint_engine_new(ecrlint_error *err)
{
    ecrlint_engine *e = el_calloc(1, sizeof *e);
    if (!e) {
        el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    /* The built-in ruleset was compiled into the binary (src/tools/packgen.c): nothing to parse.
     * The packs' JSON is parsed only if --rules asks for a rebuild. */
    e->rs = &el_builtin_ruleset;
    return e;
}

/* Parses the built-in packs' JSON, the base that user packs are added to. */
static ecrlint_status parse_builtin(ecrlint_engine *e, ecrlint_error *err)
{
    if (e->packs)
        return ECRLINT_OK;
    el_pack_doc *packs = el_calloc(el_builtin_pack_count, sizeof *packs);
    if (!packs)
        return el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < el_builtin_pack_count; i++) {
        const el_builtin_pack *bp = &el_builtin_packs[i];
        ecrlint_status st = parse_pack(bp->name, bp->text, bp->len, &packs[i], err);
        if (st != ECRLINT_OK) {
            packs_free(packs, i);
            return st;
        }
    }
    e->packs = packs;
    e->npacks = el_builtin_pack_count;
    return ECRLINT_OK;
}

/* Adds the parsed packs to the engine (a pack with a known name replaces it) and rebuilds the
 * ruleset from copies, so that on failure the engine is unchanged. Takes ownership of `add`. */
static ecrlint_status add_packs(ecrlint_engine *e, el_pack_doc *add, size_t nadd,
                                ecrlint_error *err)
{
    ecrlint_status st = parse_builtin(e, err);
    if (st != ECRLINT_OK) {
        packs_free(add, nadd);
        return st;
    }
    el_pack_doc *all = el_calloc(e->npacks + nadd + 1, sizeof *all);
    size_t n = 0;
    if (!all)
        goto nomem;
    for (size_t i = 0; i < e->npacks; i++, n++) {
        all[n].name = el_strdup(e->packs[i].name);
        all[n].source = el_strdup(e->packs[i].source);
        all[n].doc = json_incref(e->packs[i].doc);
        if (!all[n].name || !all[n].source) {
            n++;
            goto nomem;
        }
    }
    for (size_t j = 0; j < nadd; j++) {
        size_t at = n;
        for (size_t i = 0; i < n; i++)
            if (strcmp(all[i].name, add[j].name) == 0)
                at = i;
        if (at < n)
            packs_free_one(&all[at]);
        else
            n++;
        all[at] = add[j];
        memset(&add[j], 0, sizeof add[j]);
    }
    unsigned long failures_before = el_alloc_failures();
    el_ruleset *rs = el_ruleset_build(all, n, true, err);
    if (el_alloc_failures() != failures_before) {
        /* A pack that failed to load because memory ran out is not a bad pack. */
        el_ruleset_free(rs);
        rs = NULL;
        if (err)
            err->code = ECRLINT_OK; /* the out-of-memory error replaces any other */
        el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (!rs) {
        packs_free(all, n);
        packs_free(add, nadd);
        return err && err->code ? err->code : ECRLINT_ERR_RULES;
    }
    el_ruleset_free(e->rs);
    packs_free(e->packs, e->npacks);
    e->rs = rs;
    e->packs = all;
    e->npacks = n;
    packs_free(add, nadd); /* every entry was moved out */
    return ECRLINT_OK;
nomem:
    packs_free(all, n);
    packs_free(add, nadd);
    return el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

ecrlint_status ecrlint_engine_load_rules_buffer(ecrlint_engine *e, const char *name,
                                                const char *buf, size_t len, ecrlint_error *err)
{
    if (!e || !buf)
        return el_error_set(err, ECRLINT_ERR_USAGE, name, 0, 0, "invalid arguments");
    el_pack_doc *p = el_calloc(1, sizeof *p);
    if (!p)
        return el_error_set(err, ECRLINT_ERR_NOMEM, name, 0, 0, "out of memory");
    ecrlint_status st = parse_pack(name ? name : "(buffer)", buf, len, p, err);
    if (st != ECRLINT_OK) {
        el_free(p);
        return st;
    }
    return add_packs(e, p, 1, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a whole rule pack (they are at most a few hundred KiB; over 16 MiB is refused). */
static ecrlint_status read_pack_file(const char *path, char **out, size_t *len, ecrlint_error *err)
{
    el_file f = {0};
    el_file_status fs = el_file_read(&f, path, (size_t)16 * 1024 * 1024);
    if (fs == EL_FILE_OK) {
        *len = f.len;
        *out = el_file_take(&f);
        return ECRLINT_OK;
    }
    el_file_free(&f);
    switch (fs) {
    case EL_FILE_OPEN_ERROR:
        return el_error_set(err, ECRLINT_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(f.sys_error));
    case EL_FILE_TOO_LARGE:
        return el_error_set(err, ECRLINT_ERR_LIMIT, path, 0, 0,
                            "a rule pack may be at most 16 MiB");
    case EL_FILE_NOMEM:
        return el_error_set(err, ECRLINT_ERR_NOMEM, path, 0, 0, "out of memory");
    case EL_FILE_DIRECTORY:
    case EL_FILE_NOT_REGULAR:
        return el_error_set(err, ECRLINT_ERR_IO, path, 0, 0, "not a regular file");
    default:
        return el_error_set(err, ECRLINT_ERR_IO, path, 0, 0, "read error");
    }
}

ecrlint_status ecrlint_engine_load_rules_dir(ecrlint_engine *e, const char *dir, ecrlint_error *err)
{
    if (!e || !dir)
        return el_error_set(err, ECRLINT_ERR_USAGE, dir, 0, 0, "invalid arguments");
    DIR *d = opendir(dir);
    if (!d)
        return el_error_set(err, ECRLINT_ERR_IO, dir, 0, 0, "cannot open rules directory: %s",
                            strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    ecrlint_status st = ECRLINT_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0 || de->d_name[0] == '.')
            continue;
        if (!el_grow(&names, &cap, n + 1, sizeof *names, 8)) {
            st = el_error_set(err, ECRLINT_ERR_NOMEM, dir, 0, 0, "out of memory");
            break;
        }
        if (!(names[n] = el_strdup(de->d_name))) {
            st = el_error_set(err, ECRLINT_ERR_NOMEM, dir, 0, 0, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    el_pack_doc *packs = NULL;
    size_t np = 0;
    if (st == ECRLINT_OK && n == 0)
        st = el_error_set(err, ECRLINT_ERR_RULES, dir, 0, 0, "no *.json rule packs in directory");
    if (st == ECRLINT_OK) {
        qsort(names, n, sizeof *names, cmp_str);
        packs = el_calloc(n, sizeof *packs);
        if (!packs)
            st = el_error_set(err, ECRLINT_ERR_NOMEM, dir, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n && st == ECRLINT_OK; i++) {
        el_buf path;
        el_buf_init(&path);
        el_buf_printf(&path, "%s/%s", dir, names[i]);
        char *text = NULL;
        size_t len = 0;
        if (path.failed)
            st = el_error_set(err, ECRLINT_ERR_NOMEM, dir, 0, 0, "out of memory");
        else
            st = read_pack_file(path.data, &text, &len, err);
        if (st == ECRLINT_OK) {
            st = parse_pack(path.data, text, len, &packs[np], err);
            if (st == ECRLINT_OK)
                np++;
        }
        el_free(text);
        el_buf_free(&path);
    }
    for (size_t i = 0; i < n; i++)
        el_free(names[i]);
    el_free(names);
    if (st != ECRLINT_OK) {
        packs_free(packs, np);
        return st;
    }
    return add_packs(e, packs, np, err);
}

const char *ecrlint_engine_rules_version(const ecrlint_engine *e)
{
    return e->rs->version;
}

size_t ecrlint_engine_rule_count(const ecrlint_engine *e)
{
    return e->rs->nrules;
}

const ecrlint_rule_info *ecrlint_engine_rule(const ecrlint_engine *e, size_t i)
{
    return i < e->rs->nrules ? &e->rs->rules[i].info : NULL;
}

size_t ecrlint_engine_operation_count(const ecrlint_engine *e)
{
    return e->rs->nops;
}

ecrlint_operation_info ecrlint_engine_operation(const ecrlint_engine *e, size_t i)
{
    ecrlint_operation_info info = {NULL, ECRLINT_KIND_REQUEST, NULL};
    if (i < e->rs->nops) {
        const el_operation *op = &e->rs->ops[i];
        info.name = op->name;
        info.kind = op->kind;
        info.target = op->target;
    }
    return info;
}

const ecrlint_rule_info *ecrlint_engine_find_rule(const ecrlint_engine *e, const char *id)
{
    const el_rule *r = el_ruleset_find(e->rs, id);
    return r ? &r->info : NULL;
}

int ecrlint_rule_is_builtin(const char *id)
{
    return id && el_ruleset_find(&el_builtin_ruleset, id) != NULL;
}

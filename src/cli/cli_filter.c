/* cli_filter.c - which rules are reported for an input, at which severity, and what the input
 * is checked as: --disable/--enable, the configuration's "disable"/"enable"/"severity" and its
 * per-path "paths" settings (which may also set the operation). Disabled rules are not reported
 * (the library asks through ecrlint_check_options.rule_enabled; a rule that predicts ECR's
 * answer still predicts it), and severities go through rule_severity. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool matches(const char *pattern, const char *id)
{
    return strncmp(id, pattern, strlen(pattern)) == 0;
}

bool cli_filter_rule_on(const cli_filter *f, const char *id)
{
    const cli_rule_entry *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < f->n; i++) {
        const cli_rule_entry *e = f->e[i];
        size_t len = strlen(e->pattern);
        if (e->level < 0 && matches(e->pattern, id) && (!best || len >= best_len)) {
            best = e;
            best_len = len;
        }
    }
    return best ? best->on : true;
}

int cli_filter_severity(const cli_filter *f, const char *id, int severity)
{
    const cli_rule_entry *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < f->n; i++) {
        const cli_rule_entry *e = f->e[i];
        size_t len = strlen(e->pattern);
        if (e->level >= 0 && matches(e->pattern, id) && (!best || len >= best_len)) {
            best = e;
            best_len = len;
        }
    }
    return best ? best->level : severity;
}

int cli_rule_severity_cb(const char *rule_id, int severity, void *userdata)
{
    return cli_filter_severity(userdata, rule_id, severity);
}

static bool add_all(cli_filter *f, const cli_rule_entries *src)
{
    if (!src->n)
        return true;
    const cli_rule_entry **p = realloc(f->e, (f->n + src->n) * sizeof *p);
    if (!p)
        return false;
    f->e = p;
    for (size_t i = 0; i < src->n; i++)
        f->e[f->n++] = &src->items[i];
    return true;
}

bool cli_filter_build(const cli_options *o, const char *path, cli_filter *f)
{
    memset(f, 0, sizeof *f);
    f->client = o->client;
    bool ok = add_all(f, &o->rules);
    for (size_t i = 0; ok && i < o->npath_rules; i++)
        if (path && cli_glob_matches_input(&o->path_rules[i].glob, path)) {
            ok = add_all(f, &o->path_rules[i].rules);
            if (o->path_rules[i].operation)
                f->operation = o->path_rules[i].operation;
            if (o->path_rules[i].client >= 0 && !o->set_client)
                f->client = o->path_rules[i].client;
        }
    ok = ok && add_all(f, &o->cli_rules);
    if (!ok)
        cli_filter_free(f);
    return ok;
}

void cli_filter_free(cli_filter *f)
{
    free(f->e);
    memset(f, 0, sizeof *f);
}

static bool known(const ecrlint_engine *eng, const char *pattern)
{
    if (!*pattern)
        return false;
    for (size_t i = 0; i < ecrlint_engine_rule_count(eng); i++)
        if (matches(pattern, ecrlint_engine_rule(eng, i)->id))
            return true;
    return false;
}

static bool check_entries(const cli_rule_entries *e, const ecrlint_engine *eng, const char *where,
                          FILE *err)
{
    for (size_t i = 0; i < e->n; i++) {
        if (!known(eng, e->items[i].pattern)) {
            cli_errorf(err, "%s: '%s' is no rule ID or prefix of one (see ecrlint rules)", where,
                       e->items[i].pattern);
            return false;
        }
    }
    return true;
}

bool cli_filter_validate(const cli_options *o, const ecrlint_engine *eng, FILE *err)
{
    const char *cfg = o->config_used ? o->config_used : "configuration";
    if (!check_entries(&o->rules, eng, cfg, err) ||
        !check_entries(&o->cli_rules, eng, "--disable/--enable", err))
        return false;
    for (size_t i = 0; i < o->npath_rules; i++)
        if (!check_entries(&o->path_rules[i].rules, eng, cfg, err))
            return false;
    return true;
}

int cli_rule_enabled_cb(const char *rule_id, void *userdata)
{
    return cli_filter_rule_on(userdata, rule_id);
}

/* cli_config.c - the configuration file, .ecrlint.json.
 *
 * Found by walking up from the working directory (stopping at the file-system root, and after
 * a directory that contains .git: the repository root), or named with --config; --no-config
 * uses none. Keys (unknown keys are an error, so that a typo never silently does nothing):
 *
 *   {"disable": ["ECR0020", "ECR3"], "enable": ["ECR3001"],
 *    "severity": "info", "failOn": "error", "format": "text" | ["text", "sarif:out.sarif"],
 *    "operation": "BatchGetImage", "exclude": ["vendor/"], "rules": "ecr-rules",
 *    "baseline": "ecrlint-baseline.json",
 *    "paths": {"legacy/": {"disable": ["ECR1022"], "enable": [...]}}}
 *
 * Relative paths (rules, baseline, format files, globs) are relative to the file's directory.
 * The command line wins over every key; its --disable/--enable entries come after the file's. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define CONFIG_NAME ".ecrlint.json"

static const char *const known_keys[] = {"$schema", "disable", "enable", "severity", "failOn",
                                         "format",  "operation", "exclude", "paths", "rules",
                                         "baseline"};

static bool exists(const char *dir, const char *name, bool want_file)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (!p)
        return false;
    snprintf(p, len, "%s/%s", dir, name);
    struct stat st;
    bool ok = stat(p, &st) == 0 && (!want_file || S_ISREG(st.st_mode));
    free(p);
    return ok;
}

char *cli_config_find(const char *start)
{
    char *dir = strdup(start);
    while (dir) {
        if (exists(dir, CONFIG_NAME, true)) {
            size_t len = strlen(dir) + sizeof CONFIG_NAME + 1;
            char *p = malloc(len);
            if (p)
                snprintf(p, len, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, CONFIG_NAME);
            free(dir);
            return p;
        }
        char *slash = strrchr(dir, '/');
        if (exists(dir, ".git", false) || !slash || strcmp(dir, "/") == 0)
            break;
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    free(dir);
    return NULL;
}

static char *join(const char *base, const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    size_t len = strlen(base) + strlen(path) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%s", base, path);
    return p;
}

/* Adds the strings of a "disable"/"enable" array (items may be comma lists). */
static cli_status rule_list(const char *file, const char *key, json_t *v, cli_rule_entries *e,
                            bool on, FILE *err)
{
    if (json_is_string(v)) {
        if (!cli_rule_entries_add_list(e, json_string_value(v), on))
            goto nomem;
        return CLI_OK;
    }
    if (!json_is_array(v))
        goto bad;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item))
            goto bad;
        if (!cli_rule_entries_add_list(e, json_string_value(item), on))
            goto nomem;
    }
    return CLI_OK;
bad:
    cli_errorf(err, "%s: '%s' must be an array of rule IDs or prefixes", file, key);
    return CLI_USAGE;
nomem:
    cli_errorf(err, "out of memory");
    return CLI_USAGE;
}

static cli_status level(const char *file, const char *key, json_t *v, bool none, int *out,
                        FILE *err)
{
    int lvl = json_is_string(v) ? cli_parse_level(json_string_value(v), none) : -1;
    if (lvl < 0) {
        cli_errorf(err, "%s: '%s' must be \"info\", \"warning\", \"error\"%s", file, key,
                   none ? " or \"none\"" : "");
        return CLI_USAGE;
    }
    *out = lvl;
    return CLI_OK;
}

static cli_status paths_section(cli_options *o, const char *file, const char *base, json_t *v,
                                FILE *err)
{
    if (!json_is_object(v)) {
        cli_errorf(err,
                   "%s: 'paths' must be an object of glob: {\"disable\": [...], "
                   "\"enable\": [...]}",
                   file);
        return CLI_USAGE;
    }
    const char *glob;
    json_t *sect;
    json_object_foreach(v, glob, sect)
    {
        if (!json_is_object(sect)) {
            cli_errorf(err, "%s: 'paths.%s' must be an object", file, glob);
            return CLI_USAGE;
        }
        cli_path_rules *p = realloc(o->path_rules, (o->npath_rules + 1) * sizeof *p);
        if (!p) {
            cli_errorf(err, "out of memory");
            return CLI_USAGE;
        }
        o->path_rules = p;
        cli_path_rules *pr = &p[o->npath_rules];
        memset(pr, 0, sizeof *pr);
        if (!cli_glob_set(&pr->glob, glob, base)) {
            cli_errorf(err, "out of memory");
            return CLI_USAGE;
        }
        o->npath_rules++;
        const char *key;
        json_t *val;
        json_object_foreach(sect, key, val)
        {
            if (strcmp(key, "disable") != 0 && strcmp(key, "enable") != 0) {
                cli_errorf(err, "%s: unknown key 'paths.%s.%s' (known: disable, enable)", file,
                           glob, key);
                return CLI_USAGE;
            }
        }
        char where[64];
        snprintf(where, sizeof where, "paths.%.40s.disable", glob);
        json_t *d = json_object_get(sect, "disable");
        if (d && rule_list(file, where, d, &pr->rules, false, err) != CLI_OK)
            return CLI_USAGE;
        snprintf(where, sizeof where, "paths.%.40s.enable", glob);
        json_t *e = json_object_get(sect, "enable");
        if (e && rule_list(file, where, e, &pr->rules, true, err) != CLI_OK)
            return CLI_USAGE;
    }
    return CLI_OK;
}

static cli_status string_key(const char *file, const char *key, json_t *v, FILE *err)
{
    if (json_is_string(v) && json_string_length(v) > 0)
        return CLI_OK;
    cli_errorf(err, "%s: '%s' must be a non-empty string", file, key);
    return CLI_USAGE;
}

cli_status cli_config_load(cli_options *o, const char *file, FILE *err)
{
    json_error_t jerr;
    json_t *cfg = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
    if (!cfg) {
        if (jerr.line > 0)
            cli_errorf(err, "%s:%d:%d: invalid configuration: %s", file, jerr.line, jerr.column,
                       jerr.text);
        else
            cli_errorf(err, "%s: cannot read configuration: %s", file, jerr.text);
        return CLI_USAGE;
    }
    json_decref(o->config);
    o->config = cfg;
    free(o->config_used);
    if (!(o->config_used = strdup(file))) {
        cli_errorf(err, "out of memory");
        return CLI_USAGE;
    }
    if (!json_is_object(cfg)) {
        cli_errorf(err, "%s: the configuration must be a JSON object", file);
        return CLI_USAGE;
    }
    const char *key;
    json_t *v;
    json_object_foreach(cfg, key, v)
    {
        bool ok = false;
        for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++)
            ok = ok || strcmp(key, known_keys[i]) == 0;
        if (!ok) {
            cli_errorf(err,
                       "%s: unknown key '%s' (known: disable, enable, severity, failOn, "
                       "format, operation, exclude, paths, rules, baseline)",
                       file, key);
            return CLI_USAGE;
        }
    }
    /* The directory relative paths are resolved against. */
    char *slash = strrchr(file, '/');
    char *dir = slash ? strndup(file, (size_t)(slash - file) + (slash == file)) : strdup(".");
    char *base = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    if (!base) {
        cli_errorf(err, "%s: %s", file, strerror(errno));
        return CLI_USAGE;
    }
    cli_status st = CLI_OK;
    int lvl;
    if ((v = json_object_get(cfg, "disable")))
        st = rule_list(file, "disable", v, &o->rules, false, err);
    if (st == CLI_OK && (v = json_object_get(cfg, "enable")))
        st = rule_list(file, "enable", v, &o->rules, true, err);
    if (st == CLI_OK && (v = json_object_get(cfg, "severity")) &&
        (st = level(file, "severity", v, false, &lvl, err)) == CLI_OK && !o->set_severity)
        o->severity = lvl;
    if (st == CLI_OK && (v = json_object_get(cfg, "failOn")) &&
        (st = level(file, "failOn", v, true, &lvl, err)) == CLI_OK && !o->set_fail_on)
        o->fail_on = lvl;
    if (st == CLI_OK && (v = json_object_get(cfg, "operation")) &&
        (st = string_key(file, "operation", v, err)) == CLI_OK && !o->set_operation)
        o->operation = json_string_value(v);
    if (st == CLI_OK && (v = json_object_get(cfg, "format"))) {
        char what[PATH_MAX + 16];
        snprintf(what, sizeof what, "%s: format", file);
        json_t *one = json_is_string(v) ? v : NULL;
        if (!one && (!json_is_array(v) || json_array_size(v) == 0)) {
            cli_errorf(err, "%s: 'format' must be \"FORMAT[:FILE]\" or an array of them", file);
            st = CLI_USAGE;
        }
        size_t n = one ? 1 : json_array_size(v);
        for (size_t i = 0; st == CLI_OK && i < n; i++) {
            json_t *item = one ? one : json_array_get(v, i);
            if (!json_is_string(item)) {
                cli_errorf(err, "%s: 'format' items must be strings", file);
                st = CLI_USAGE;
            } else if (o->command == CLI_CMD_CHECK && !o->set_format) {
                st = cli_output_add(o, json_string_value(item), base, what, err);
            }
        }
    }
    if (st == CLI_OK && (v = json_object_get(cfg, "exclude"))) {
        size_t i;
        json_t *item;
        if (!json_is_array(v)) {
            cli_errorf(err, "%s: 'exclude' must be an array of globs", file);
            st = CLI_USAGE;
        }
        json_array_foreach(v, i, item)
        {
            if (st != CLI_OK)
                break;
            if (!json_is_string(item)) {
                cli_errorf(err, "%s: 'exclude' must be an array of globs", file);
                st = CLI_USAGE;
                break;
            }
            cli_glob *p = realloc(o->excludes, (o->nexcludes + 1) * sizeof *p);
            if (!p || !cli_glob_set(&p[o->nexcludes], json_string_value(item), base)) {
                if (p)
                    o->excludes = p;
                cli_errorf(err, "out of memory");
                st = CLI_USAGE;
                break;
            }
            o->excludes = p;
            o->nexcludes++;
        }
    }
    if (st == CLI_OK && (v = json_object_get(cfg, "paths")))
        st = paths_section(o, file, base, v, err);
    if (st == CLI_OK && (v = json_object_get(cfg, "rules")) &&
        (st = string_key(file, "rules", v, err)) == CLI_OK && !o->set_rules_dir) {
        free(o->rules_dir);
        if (!(o->rules_dir = join(base, json_string_value(v))))
            st = CLI_USAGE;
    }
    if (st == CLI_OK && (v = json_object_get(cfg, "baseline")) &&
        (st = string_key(file, "baseline", v, err)) == CLI_OK && !o->set_baseline &&
        o->command == CLI_CMD_CHECK) {
        free(o->baseline);
        if (!(o->baseline = join(base, json_string_value(v))))
            st = CLI_USAGE;
    }
    free(base);
    return st;
}

cli_status cli_config_apply(cli_options *o, FILE *err)
{
    if (o->no_config) {
        if (o->verbose)
            cli_notef(err, "no configuration file (--no-config)");
        return CLI_OK;
    }
    char *file = NULL;
    if (o->config_file) {
        struct stat st;
        errno = 0;
        if (stat(o->config_file, &st) != 0 || !S_ISREG(st.st_mode)) {
            cli_errorf(err, "%s: cannot read configuration: %s", o->config_file,
                       errno ? strerror(errno) : "not a regular file");
            return CLI_USAGE;
        }
        file = strdup(o->config_file);
    } else {
        char *cwd = getcwd(NULL, 0);
        file = cwd ? cli_config_find(cwd) : NULL;
        free(cwd);
    }
    if (!file) {
        if (o->verbose)
            cli_notef(err, "no configuration file found");
        return CLI_OK;
    }
    if (o->verbose)
        cli_notef(err, "using configuration %s", file);
    cli_status st = cli_config_load(o, file, err);
    free(file);
    return st;
}

/* cli_config.c - the configuration file, .ecrlint.json.
 *
 * Found by walking up from the working directory (stopping at the file-system root, and after
 * a directory that contains .git: the repository root), or named with --config; --no-config
 * uses none. Keys (unknown keys are an error, so that a typo never silently does nothing):
 *
 *   {"disable": ["ECR0020", "ECR3"], "enable": ["ECR3001"],
 *    "severity": "info" | {"ECR0020": "error", "ECR2": "warning"},
 *    "failOn": "error", "format": "text" | ["text", "sarif:out.sarif"],
 *    "operation": "BatchGetImage", "exclude": ["vendor/"], "rules": "ecr-rules",
 *    "baseline": "ecrlint-baseline.json", "protect": ["release-*"], "client": "botocore",
 *    "paths": {"legacy/": {"disable": ["ECR1022"], "enable": [...], "severity": {...},
 *                          "operation": "BatchGetImage", "client": "none"}}}
 *
 * "severity" as a string is the minimum reported (as -s); as an object it gives rules (IDs or
 * prefixes, the most specific winning) the severity their findings get, as eslint's "rules".
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

/* The keys of the file's top level that messages list ("$schema" is allowed too, unlisted). */
#define CONFIG_KEYS                                                                                \
    "disable, enable, severity, failOn, format, operation, exclude, paths, rules, baseline, "      \
    "protect, client"

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

/* The key json_unpack_ex refused under JSON_STRICT: it lists the keys it left, in `obj`'s
 * order ("2 object item(s) left unpacked: a, b", cut at the length of its text); the first of
 * them is the first of obj's keys the list starts with. NULL when the error is another one. */
static const char *left_over_key(json_t *obj, const json_error_t *e)
{
    static const char lead[] = "left unpacked: ";
    const char *list = strstr(e->text, lead);
    if (json_error_code(e) != json_error_end_of_input_expected || !list)
        return NULL;
    list += sizeof lead - 1;
    size_t have = strlen(list);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t n = strlen(key);
        if (n >= have ? strncmp(key, list, have) == 0
                      : strncmp(key, list, n) == 0 && list[n] == ',')
            return key;
    }
    return NULL;
}

/* Says why strict unpacking of object `obj` (at key path `where`, "" for the top level) failed:
 * mostly a key it does not know, so that a typo never silently does nothing. */
static bool unpack_failed(const char *file, const char *where, json_t *obj, const json_error_t *e,
                          const char *known, FILE *err)
{
    const char *key = left_over_key(obj, e);
    if (key)
        cli_errorf(err, "%s: unknown key '%s%s%s' (known: %s)", file, where, *where ? "." : "", key,
                   known);
    else if (json_error_code(e) == json_error_out_of_memory)
        cli_errorf(err, "out of memory");
    else
        cli_errorf(err, "%s: %s%s%s", file, where, *where ? ": " : "", e->text);
    return false;
}

/* Adds the strings of a "disable"/"enable" array (items may be comma lists). */
static bool rule_list(const char *file, const char *key, json_t *v, cli_rule_entries *e, bool on,
                      FILE *err)
{
    if (!v)
        return true;
    if (json_is_string(v)) {
        if (!cli_rule_entries_add_list(e, json_string_value(v), on))
            goto nomem;
        return true;
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
    return true;
bad:
    cli_errorf(err, "%s: '%s' must be an array of rule IDs or prefixes", file, key);
    return false;
nomem:
    cli_errorf(err, "out of memory");
    return false;
}

/* "severity" as an object: each rule ID or prefix with the severity its findings get. */
static bool severity_map(const char *file, const char *key, json_t *v, cli_rule_entries *e,
                         FILE *err)
{
    const char *id;
    json_t *lvl;
    json_object_foreach(v, id, lvl)
    {
        int n = json_is_string(lvl) ? cli_parse_level(json_string_value(lvl), false) : -1;
        if (n < 0) {
            cli_errorf(err, "%s: '%s.%s' must be \"info\", \"warning\" or \"error\"", file, key,
                       id);
            return false;
        }
        if (!cli_rule_entries_add_level(e, id, n)) {
            cli_errorf(err, "out of memory");
            return false;
        }
    }
    return true;
}

/* "severity" or "failOn" into *out, unless the command line gave it (`set`). */
static bool level(const char *file, const char *key, json_t *v, bool none, bool set, int *out,
                  FILE *err)
{
    if (!v)
        return true;
    int lvl = json_is_string(v) ? cli_parse_level(json_string_value(v), none) : -1;
    if (lvl < 0) {
        cli_errorf(err, "%s: '%s' must be \"info\", \"warning\", \"error\"%s", file, key,
                   none ? " or \"none\"" : " or an object of rule ID: level");
        return false;
    }
    if (!set)
        *out = lvl;
    return true;
}

static bool string_key(const char *file, const char *key, json_t *v, FILE *err)
{
    if (json_is_string(v) && json_string_length(v) > 0)
        return true;
    cli_errorf(err, "%s: '%s' must be a non-empty string", file, key);
    return false;
}

/* "rules" and "baseline": a path relative to the file's directory into *out, unless the
 * command line gave one (`set`). */
static bool path_key(const char *file, const char *key, json_t *v, const char *base, bool set,
                     char **out, FILE *err)
{
    if (!v)
        return true;
    if (!string_key(file, key, v, err))
        return false;
    if (set)
        return true;
    free(*out);
    if (!(*out = join(base, json_string_value(v)))) {
        cli_errorf(err, "out of memory");
        return false;
    }
    return true;
}

/* "client": "botocore" or "none" into *out. */
static bool client_key(const char *file, const char *key, json_t *v, int *out, FILE *err)
{
    if (!v)
        return true;
    int c = json_is_string(v) ? ecrlint_client_parse(json_string_value(v)) : -1;
    if (c < 0) {
        cli_errorf(err, "%s: '%s' must be \"botocore\" or \"none\"", file, key);
        return false;
    }
    *out = c;
    return true;
}

static bool paths_section(cli_options *o, const char *file, const char *base, json_t *v, FILE *err)
{
    if (!v)
        return true;
    if (!json_is_object(v)) {
        cli_errorf(err,
                   "%s: 'paths' must be an object of glob: {\"disable\": [...], "
                   "\"enable\": [...]}",
                   file);
        return false;
    }
    const char *glob;
    json_t *sect;
    json_object_foreach(v, glob, sect)
    {
        if (!json_is_object(sect)) {
            cli_errorf(err, "%s: 'paths.%s' must be an object", file, glob);
            return false;
        }
        cli_path_rules *p = realloc(o->path_rules, (o->npath_rules + 1) * sizeof *p);
        if (!p) {
            cli_errorf(err, "out of memory");
            return false;
        }
        o->path_rules = p;
        cli_path_rules *pr = &p[o->npath_rules];
        memset(pr, 0, sizeof *pr);
        pr->client = -1;
        if (!cli_glob_set(&pr->glob, glob, base)) {
            cli_errorf(err, "out of memory");
            return false;
        }
        o->npath_rules++;
        json_t *disable = NULL, *enable = NULL, *severity = NULL, *operation = NULL, *client = NULL;
        json_error_t jerr;
        if (json_unpack_ex(sect, &jerr, JSON_STRICT, "{s?o, s?o, s?o, s?o, s?o}", "disable",
                           &disable, "enable", &enable, "severity", &severity, "operation",
                           &operation, "client", &client) != 0) {
            char where[PATH_MAX];
            snprintf(where, sizeof where, "paths.%s", glob);
            return unpack_failed(file, where, sect, &jerr,
                                 "disable, enable, severity, operation, client", err);
        }
        char cwhere[64];
        snprintf(cwhere, sizeof cwhere, "paths.%.40s.client", glob);
        if (!client_key(file, cwhere, client, &pr->client, err))
            return false;
        char where[64];
        snprintf(where, sizeof where, "paths.%.40s.disable", glob);
        if (!rule_list(file, where, disable, &pr->rules, false, err))
            return false;
        snprintf(where, sizeof where, "paths.%.40s.enable", glob);
        if (!rule_list(file, where, enable, &pr->rules, true, err))
            return false;
        snprintf(where, sizeof where, "paths.%.40s.severity", glob);
        if (severity && !json_is_object(severity)) {
            cli_errorf(err, "%s: '%s' must be an object of rule ID: level", file, where);
            return false;
        }
        if (severity && !severity_map(file, where, severity, &pr->rules, err))
            return false;
        snprintf(where, sizeof where, "paths.%.40s.operation", glob);
        if (operation && !string_key(file, where, operation, err))
            return false;
        pr->operation = operation ? json_string_value(operation) : NULL;
    }
    return true;
}

/* "format": one report "FORMAT[:FILE]" or an array of them. */
static bool format_key(cli_options *o, const char *file, const char *base, json_t *v, FILE *err)
{
    if (!v)
        return true;
    json_t *one = json_is_string(v) ? v : NULL;
    if (!one && (!json_is_array(v) || json_array_size(v) == 0)) {
        cli_errorf(err, "%s: 'format' must be \"FORMAT[:FILE]\" or an array of them", file);
        return false;
    }
    char what[PATH_MAX + 16];
    snprintf(what, sizeof what, "%s: format", file);
    size_t n = one ? 1 : json_array_size(v);
    for (size_t i = 0; i < n; i++) {
        json_t *item = one ? one : json_array_get(v, i);
        if (!json_is_string(item)) {
            cli_errorf(err, "%s: 'format' items must be strings", file);
            return false;
        }
        if (o->command == CLI_CMD_CHECK && !o->set_format &&
            cli_output_add(o, json_string_value(item), base, what, err) != CLI_OK)
            return false;
    }
    return true;
}

/* "exclude": globs relative to the file's directory. */
static bool exclude_key(cli_options *o, const char *file, const char *base, json_t *v, FILE *err)
{
    if (!v)
        return true;
    if (!json_is_array(v)) {
        cli_errorf(err, "%s: 'exclude' must be an array of globs", file);
        return false;
    }
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item)) {
            cli_errorf(err, "%s: 'exclude' must be an array of globs", file);
            return false;
        }
        cli_glob *p = realloc(o->excludes, (o->nexcludes + 1) * sizeof *p);
        if (p)
            o->excludes = p;
        if (!p || !cli_glob_set(&p[o->nexcludes], json_string_value(item), base)) {
            cli_errorf(err, "out of memory");
            return false;
        }
        o->nexcludes++;
    }
    return true;
}

/* The file's directory, absolute: what relative paths in it are relative to. */
static char *base_of(const char *file, FILE *err)
{
    char *slash = strrchr(file, '/');
    char *dir = slash ? strndup(file, (size_t)(slash - file) + (slash == file)) : strdup(".");
    char *base = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    if (!base)
        cli_errorf(err, "%s: %s", file, strerror(errno));
    return base;
}

/* "protect": tag globs that `ecrlint preview` must never see expired. */
static bool protect_key(cli_options *o, const char *file, const json_t *v, FILE *err)
{
    if (!v)
        return true;
    bool ok = json_is_array(v);
    for (size_t i = 0; ok && i < json_array_size(v); i++)
        ok = json_string_length(json_array_get(v, i)) > 0;
    if (!ok) {
        cli_errorf(err, "%s: \"protect\" must be an array of non-empty tag patterns", file);
        return false;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        if (!cli_strv_push(&o->protect, json_string_value(json_array_get(v, i)))) {
            cli_errorf(err, "out of memory");
            return false;
        }
    }
    return true;
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
    json_t *schema = NULL, *disable = NULL, *enable = NULL, *severity = NULL, *fail_on = NULL,
           *format = NULL, *operation = NULL, *exclude = NULL, *paths = NULL, *rules = NULL,
           *baseline = NULL, *protect = NULL, *client = NULL;
    if (json_unpack_ex(cfg, &jerr, JSON_STRICT,
                       "{s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o, s?o}",
                       "$schema", &schema, "disable", &disable, "enable", &enable, "severity",
                       &severity, "failOn", &fail_on, "format", &format, "operation", &operation,
                       "exclude", &exclude, "paths", &paths, "rules", &rules, "baseline", &baseline,
                       "protect", &protect, "client", &client) != 0) {
        unpack_failed(file, "", cfg, &jerr, CONFIG_KEYS, err);
        return CLI_USAGE;
    }
    char *base = base_of(file, err);
    if (!base)
        return CLI_USAGE;
    bool ok = rule_list(file, "disable", disable, &o->rules, false, err) &&
              rule_list(file, "enable", enable, &o->rules, true, err) &&
              (json_is_object(severity) ? severity_map(file, "severity", severity, &o->rules, err)
                                        : level(file, "severity", severity, false, o->set_severity,
                                                &o->severity, err)) &&
              level(file, "failOn", fail_on, true, o->set_fail_on, &o->fail_on, err) &&
              (!operation || string_key(file, "operation", operation, err)) &&
              (o->set_client || client_key(file, "client", client, &o->client, err)) &&
              format_key(o, file, base, format, err) && exclude_key(o, file, base, exclude, err) &&
              paths_section(o, file, base, paths, err) &&
              path_key(file, "rules", rules, base, o->set_rules_dir, &o->rules_dir, err) &&
              path_key(file, "baseline", baseline, base,
                       o->set_baseline || o->command != CLI_CMD_CHECK, &o->baseline, err) &&
              protect_key(o, file, protect, err);
    if (ok && operation && !o->set_operation)
        o->operation = json_string_value(operation);
    free(base);
    return ok ? CLI_OK : CLI_USAGE;
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

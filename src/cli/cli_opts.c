/* cli_opts.c - table-driven option parsing. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef enum opt_id {
    O_HELP,
    O_VERSION,
    O_FORMAT,
    O_OPERATION,
    O_CLIENT,
    O_MEDIA_TYPE,
    O_RULES,
    O_STDIN_NAME,
    O_ACCEPT,
    O_REQUEST,
    O_SEVERITY,
    O_FAIL_ON,
    O_JOBS,
    O_COLOR,
    O_NO_COLOR,
    O_QUIET,
    O_VERBOSE,
    O_JSONL,
    O_MAX_FILE_SIZE,
    O_MAX_DEPTH,
    O_MAX_DIAGS,
    O_DISABLE,
    O_ENABLE,
    O_CONFIG,
    O_NO_CONFIG,
    O_EXCLUDE,
    O_BASELINE,
    O_WRITE_BASELINE,
    O_ALLOW_EMPTY,
    O_REPOSITORY,
    O_VERIFY_LAYERS
} opt_id;

/* Which commands take an option. */
#define W_CHECK 1u
#define W_RULES 2u
#define W_EXPLAIN 4u
#define W_ALL (W_CHECK | W_RULES | W_EXPLAIN)

typedef struct opt_def {
    const char *lng;
    char shrt;
    bool arg;
    opt_id id;
    unsigned where;
} opt_def;

static const opt_def opts[] = {
    {"help", 'h', false, O_HELP, W_ALL},
    {"version", 'V', false, O_VERSION, W_ALL},
    {"format", 'f', true, O_FORMAT, W_CHECK | W_RULES},
    {"operation", 0, true, O_OPERATION, W_CHECK},
    {"client", 0, true, O_CLIENT, W_CHECK},
    {"media-type", 0, true, O_MEDIA_TYPE, W_CHECK},
    {"rules", 0, true, O_RULES, W_ALL},
    {"stdin-filename", 0, true, O_STDIN_NAME, W_CHECK},
    {"accept", 0, true, O_ACCEPT, W_CHECK},
    {"request", 0, true, O_REQUEST, W_CHECK},
    {"severity", 's', true, O_SEVERITY, W_CHECK},
    {"fail-on", 0, true, O_FAIL_ON, W_CHECK},
    {"jobs", 'j', true, O_JOBS, W_CHECK},
    {"color", 0, true, O_COLOR, W_CHECK},
    {"no-color", 0, false, O_NO_COLOR, W_CHECK},
    {"quiet", 'q', false, O_QUIET, W_CHECK},
    {"verbose", 'v', false, O_VERBOSE, W_ALL},
    {"jsonl", 0, false, O_JSONL, W_CHECK},
    {"max-file-size", 0, true, O_MAX_FILE_SIZE, W_CHECK},
    {"max-depth", 0, true, O_MAX_DEPTH, W_CHECK},
    {"max-diagnostics", 0, true, O_MAX_DIAGS, W_CHECK},
    {"disable", 'd', true, O_DISABLE, W_CHECK},
    {"enable", 'e', true, O_ENABLE, W_CHECK},
    {"config", 'c', true, O_CONFIG, W_ALL},
    {"no-config", 0, false, O_NO_CONFIG, W_ALL},
    {"exclude", 0, true, O_EXCLUDE, W_CHECK},
    {"baseline", 0, true, O_BASELINE, W_CHECK},
    {"write-baseline", 0, true, O_WRITE_BASELINE, W_CHECK},
    {"allow-empty", 0, false, O_ALLOW_EMPTY, W_CHECK},
    {"repository", 0, true, O_REPOSITORY, W_CHECK},
    {"verify-layers", 0, false, O_VERIFY_LAYERS, W_CHECK},
};

static const char usage_text[] =
    "Usage: ecrlint [OPTIONS] [PATH...]\n"
    "       ecrlint rules [--format text|json|markdown]\n"
    "       ecrlint explain RULE-ID\n"
    "       ecrlint preview --policy POLICY --images IMAGES [--now TIME] [--protect GLOB]...\n"
    "Check Amazon ECR API request bodies, responses and image manifests offline, and say what\n"
    "ECR would answer. PATH is a file, a directory (searched for *.json, *.http, *.jsonl,\n"
    "*.ndjson; with oci-layout: an image), an image tar, or '-' for stdin (default unless a tty).\n"
    "\n"
    "Output:\n"
    "  -f, --format FMT[:FILE]  text (default), json, gcc, sarif, github, junit; repeatable;\n"
    "                           FILE is replaced atomically ('-' = standard output)\n"
    "  -s, --severity LEVEL     report findings at or above LEVEL: info (default), warning, error\n"
    "                           (findings at or above --fail-on are reported in any case)\n"
    "      --fail-on LEVEL      exit 1 for findings at or above LEVEL: error (default), warning,\n"
    "                           info, none\n"
    "  -q, --quiet              text: no summary and no per-input answer lines\n"
    "      --color WHEN         auto (default), always, never; NO_COLOR turns auto off\n"
    "      --stdin-filename P   name standard input P in reports and path settings\n"
    "Rules:\n"
    "  -d, --disable ID,...     do not run these rules (IDs or prefixes like ECR1); repeatable\n"
    "  -e, --enable ID,...      run them after all; the most specific entry wins\n"
    "      --rules DIR          load extra or replacement rule packs from DIR\n"
    "      --baseline FILE      hide the findings recorded in FILE (sarif marks them suppressed)\n"
    "      --write-baseline F   record the current findings in F and exit 0\n"
    "Configuration:\n"
    "  -c, --config FILE        use FILE instead of the nearest .ecrlint.json\n"
    "      --no-config          use no configuration file\n"
    "      --exclude GLOB       leave out matching inputs (repeatable)\n"
    "  -v, --verbose            name the config file, list skipped inputs, link rule docs\n"
    "Input:\n"
    "      --operation NAME     an operation, manifest, repository-policy, registry-policy, "
    "iam-policy\n"
    "                           (default: from X-Amz-Target, else from the members)\n"
    "      --media-type TYPE    declared media type of a manifest\n"
    "      --accept TYPE        accepted manifest media type for BatchGetImage (repeatable)\n"
    "      --request FILE       take the accepted types from a BatchGetImage request file\n"
    "      --jsonl              inputs are JSON Lines: one request per line\n"
    "      --allow-empty        a directory without inputs is no error (else exit 2)\n"
    "      --client NAME        botocore (default; none for .http): what aws CLI/boto3 refuse\n"
    "      --repository NAME    images: checked as repositoryName; --verify-layers: diff_ids too\n"
    "  -j, --jobs N             threads (files, JSON Lines records, image blobs); default: online\n"
    "                           CPUs, 1 when PRE_COMMIT is set; 0: online CPUs; same output order\n"
    "      --max-file-size N    bytes, or k, M, G (default 64 MiB, at most 1 GiB); larger: unread\n"
    "      --max-depth N        JSON nesting checked (default 512)\n"
    "      --max-diagnostics N  findings kept per input (default 1000)\n"
    "  -V, --version            print versions and exit\n"
    "  -h, --help               print this help and exit\n"
    "\n"
    "Settings: built-in defaults < .ecrlint.json (nearest, up to the repository root) < options.\n"
    "Exit status: 0 no findings at or above --fail-on, 1 such findings, 2 usage, configuration,\n"
    "baseline, I/O or rule-pack error. More in ecrlint(1) and ecrlint preview --help.\n";

void cli_usage_short(FILE *to)
{
    const char *end = strstr(usage_text, "Check Amazon ECR");
    fwrite(usage_text, 1, end ? (size_t)(end - usage_text) : strlen(usage_text), to);
    fputs("Try 'ecrlint --help' for more, 'ecrlint .' to check the current directory.\n", to);
}

bool cli_strv_push(cli_strv *v, const char *s)
{
    if (v->n == v->cap) {
        char **p = cli_grow(v->items, &v->cap, sizeof *p, 8);
        if (!p)
            return false;
        v->items = p;
    }
    if (!(v->items[v->n] = strdup(s)))
        return false;
    v->n++;
    return true;
}

void cli_strv_free(cli_strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->items[i]);
    free(v->items);
    memset(v, 0, sizeof *v);
}

bool cli_rule_entries_add(cli_rule_entries *e, const char *pattern, bool on)
{
    if (e->n == e->cap) {
        cli_rule_entry *p = cli_grow(e->items, &e->cap, sizeof *p, 8);
        if (!p)
            return false;
        e->items = p;
    }
    if (!(e->items[e->n].pattern = strdup(pattern)))
        return false;
    e->items[e->n].level = -1;
    e->items[e->n++].on = on;
    return true;
}

bool cli_rule_entries_add_level(cli_rule_entries *e, const char *pattern, int level)
{
    if (!cli_rule_entries_add(e, pattern, true))
        return false;
    e->items[e->n - 1].level = level;
    return true;
}

bool cli_rule_entries_add_list(cli_rule_entries *e, const char *list, bool on)
{
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len) {
            char *item = strndup(p, len);
            bool ok = item && cli_rule_entries_add(e, item, on);
            free(item);
            if (!ok)
                return false;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    return true;
}

void cli_rule_entries_free(cli_rule_entries *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->items[i].pattern);
    free(e->items);
    memset(e, 0, sizeof *e);
}

void cli_options_free(cli_options *o)
{
    for (size_t i = 0; i < o->noutputs; i++) {
        free(o->outputs[i].format);
        free(o->outputs[i].file);
    }
    o->noutputs = 0;
    free(o->paths);
    free(o->rules_dir);
    free(o->config_used);
    json_decref(o->config);
    cli_rule_entries_free(&o->rules);
    cli_rule_entries_free(&o->cli_rules);
    for (size_t i = 0; i < o->npath_rules; i++) {
        cli_glob_free(&o->path_rules[i].glob);
        cli_rule_entries_free(&o->path_rules[i].rules);
    }
    free(o->path_rules);
    for (size_t i = 0; i < o->nexcludes; i++)
        cli_glob_free(&o->excludes[i]);
    free(o->excludes);
    free(o->baseline);
    free(o->write_baseline);
    cli_strv_free(&o->protect);
    memset(o, 0, sizeof *o);
}

static bool parse_size(const char *s, size_t *out)
{
    if (!s || !*s || *s == '-')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    unsigned long long mult = 1;
    if (*end == 'k' || *end == 'K')
        mult = 1024ULL, end++;
    else if (*end == 'm' || *end == 'M')
        mult = 1024ULL * 1024, end++;
    else if (*end == 'g' || *end == 'G')
        mult = 1024ULL * 1024 * 1024, end++;
    if (*end || v == 0 || v > (unsigned long long)SIZE_MAX / mult)
        return false;
    *out = (size_t)(v * mult);
    return true;
}

/* Adds a report "FORMAT[:FILE]"; `base` (or NULL) is the directory a relative FILE is in;
 * `what` names the source in messages ("--format", "CONFIG: format"). */
cli_status cli_output_add(cli_options *o, const char *spec, const char *base, const char *what,
                          FILE *err)
{
    const char *colon = strchr(spec, ':');
    size_t flen = colon ? (size_t)(colon - spec) : strlen(spec);
    char name[32];
    if (flen >= sizeof name)
        flen = sizeof name - 1;
    memcpy(name, spec, flen);
    name[flen] = '\0';
    bool known = o->command == CLI_CMD_RULES
                     ? strcmp(name, "text") == 0 || strcmp(name, "json") == 0 ||
                           strcmp(name, "markdown") == 0
                     : ecrlint_format_known(name) != 0;
    if (!known) {
        cli_errorf(err, "%s: unknown format '%s' (known: %s)", what, name,
                   o->command == CLI_CMD_RULES ? "text, json, markdown" : ecrlint_format_names());
        return CLI_USAGE;
    }
    if (colon && (!colon[1] || o->command == CLI_CMD_RULES)) {
        cli_errorf(err, "%s: '%s' needs a file name after ':'%s", what, spec,
                   o->command == CLI_CMD_RULES ? " (ecrlint rules writes to standard output)" : "");
        return CLI_USAGE;
    }
    if (o->noutputs >= CLI_MAX_OUTPUTS) {
        cli_errorf(err, "at most %d reports", CLI_MAX_OUTPUTS);
        return CLI_USAGE;
    }
    cli_output *out = &o->outputs[o->noutputs];
    out->format = strdup(name);
    out->file = NULL;
    if (colon && strcmp(colon + 1, "-") != 0) {
        const char *f = colon + 1;
        if (base && f[0] != '/') {
            size_t len = strlen(base) + strlen(f) + 2;
            if ((out->file = malloc(len)))
                snprintf(out->file, len, "%s/%s", base, f);
        } else {
            out->file = strdup(f);
        }
        if (!out->file) {
            free(out->format);
            out->format = NULL;
        }
    }
    if (!out->format) {
        cli_errorf(err, "out of memory");
        return CLI_USAGE;
    }
    o->noutputs++;
    return CLI_OK;
}

static cli_status oom(FILE *err)
{
    cli_errorf(err, "out of memory");
    return CLI_USAGE;
}

static cli_status set_string(char **field, const char *val, FILE *err)
{
    char *copy = strdup(val);
    if (!copy)
        return oom(err);
    free(*field);
    *field = copy;
    return CLI_OK;
}

static cli_status apply(const opt_def *d, const char *val, cli_options *o, FILE *out, FILE *err)
{
    switch (d->id) {
    case O_HELP:
        fputs(usage_text, out);
        return CLI_EXIT_NOW;
    case O_VERSION: {
        ecrlint_error e = {0};
        ecrlint_engine *eng = ecrlint_engine_new(&e);
        fprintf(out, "ecrlint %s (report format %d, rules %s, %zu rules)\n", ECRLINT_VERSION,
                ECRLINT_REPORT_VERSION, eng ? ecrlint_engine_rules_version(eng) : "unavailable",
                eng ? ecrlint_engine_rule_count(eng) : (size_t)0);
        ecrlint_engine_free(eng);
        return CLI_EXIT_NOW;
    }
    case O_FORMAT:
        if (o->command == CLI_CMD_RULES && o->noutputs) { /* one listing: the last -f wins */
            free(o->outputs[0].format);
            free(o->outputs[0].file);
            o->noutputs = 0;
        }
        o->set_format = true;
        return cli_output_add(o, val, NULL, "--format", err);
    case O_OPERATION:
        o->operation = val;
        o->set_operation = true;
        break;
    case O_MEDIA_TYPE:
        o->media_type = val;
        break;
    case O_CLIENT: {
        int c = ecrlint_client_parse(val);
        if (c < 0) {
            cli_errorf(err, "--client: '%s' is not botocore or none", val);
            return CLI_USAGE;
        }
        o->client = c;
        o->set_client = true;
        break;
    }
    case O_RULES:
        o->set_rules_dir = true;
        return set_string(&o->rules_dir, val, err);
    case O_STDIN_NAME:
        o->stdin_filename = val;
        break;
    case O_REQUEST:
        o->request_file = val;
        break;
    case O_ACCEPT:
        if (o->naccept >= CLI_MAX_ACCEPT) {
            cli_errorf(err, "at most %d --accept types", CLI_MAX_ACCEPT);
            return CLI_USAGE;
        }
        o->accept[o->naccept++] = val;
        break;
    case O_SEVERITY:
    case O_FAIL_ON: {
        int lvl = cli_parse_level(val, d->id == O_FAIL_ON);
        if (lvl < 0) {
            cli_errorf(err, "--%s takes info, warning, error%s; not '%s'", d->lng,
                       d->id == O_FAIL_ON ? " or none" : "", val);
            return CLI_USAGE;
        }
        if (d->id == O_SEVERITY) {
            o->severity = lvl;
            o->set_severity = true;
        } else {
            o->fail_on = lvl;
            o->set_fail_on = true;
        }
        break;
    }
    case O_JOBS: {
        size_t n = 0;
        if ((strcmp(val, "0") != 0 && !parse_size(val, &n)) || n > CLI_MAX_JOBS) {
            cli_errorf(err, "--jobs takes a number from 0 (one per CPU) to %d; not '%s'",
                       CLI_MAX_JOBS, val);
            return CLI_USAGE;
        }
        o->jobs = n == 0 ? cli_online_cpus() : (int)n;
        break;
    }
    case O_COLOR:
        if (strcmp(val, "auto") == 0)
            o->color = -1;
        else if (strcmp(val, "always") == 0)
            o->color = 1;
        else if (strcmp(val, "never") == 0)
            o->color = 0;
        else {
            cli_errorf(err, "--color takes auto, always or never; not '%s'", val);
            return CLI_USAGE;
        }
        break;
    case O_NO_COLOR:
        o->color = 0;
        break;
    case O_QUIET:
        o->quiet = true;
        break;
    case O_VERBOSE:
        o->verbose = true;
        break;
    case O_JSONL:
        o->jsonl = true;
        break;
    case O_ALLOW_EMPTY:
        o->allow_empty = true;
        break;
    case O_REPOSITORY:
        o->repository = val;
        break;
    case O_VERIFY_LAYERS:
        o->verify_layers = true;
        break;
    case O_MAX_FILE_SIZE:
    case O_MAX_DEPTH:
    case O_MAX_DIAGS: {
        size_t n;
        if (!parse_size(val, &n)) {
            cli_errorf(err, "--%s takes a positive number; not '%s'", d->lng, val);
            return CLI_USAGE;
        }
        if (d->id == O_MAX_FILE_SIZE && n > ECRLINT_MAX_FILE_SIZE) {
            cli_errorf(err, "--max-file-size is at most 1G (%zu bytes); not '%s'",
                       (size_t)ECRLINT_MAX_FILE_SIZE, val);
            return CLI_USAGE;
        }
        if (d->id == O_MAX_FILE_SIZE)
            o->limits.max_file_size = n;
        else if (d->id == O_MAX_DEPTH)
            o->limits.max_depth = n;
        else
            o->limits.max_diagnostics = n;
        break;
    }
    case O_DISABLE:
    case O_ENABLE:
        /* Command-line entries are kept apart and appended after the configuration's. */
        if (!cli_rule_entries_add_list(&o->cli_rules, val, d->id == O_ENABLE))
            return oom(err);
        break;
    case O_CONFIG:
        o->config_file = val;
        break;
    case O_NO_CONFIG:
        o->no_config = true;
        break;
    case O_EXCLUDE: {
        char *cwd = getcwd(NULL, 0);
        if (!cwd)
            return oom(err);
        cli_glob *p = realloc(o->excludes, (o->nexcludes + 1) * sizeof *p);
        bool ok = p != NULL;
        if (p) {
            o->excludes = p;
            ok = cli_glob_set(&p[o->nexcludes], val, cwd);
            if (ok)
                o->nexcludes++;
        }
        free(cwd);
        if (!ok)
            return oom(err);
        break;
    }
    case O_BASELINE:
        o->set_baseline = true;
        return set_string(&o->baseline, val, err);
    case O_WRITE_BASELINE:
        return set_string(&o->write_baseline, val, err);
    }
    return CLI_OK;
}

int cli_online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > CLI_MAX_JOBS ? CLI_MAX_JOBS : (int)n;
}

int cli_default_jobs(void)
{
    /* pre-commit runs hooks in parallel batches itself (about one per CPU): threads in each
       would multiply. */
    const char *pc = getenv("PRE_COMMIT");
    if (pc && pc[0])
        return 1;
    return cli_online_cpus();
}

int cli_parse_level(const char *s, bool allow_none)
{
    if (allow_none && strcmp(s, "none") == 0)
        return CLI_LEVEL_NONE;
    return ecrlint_severity_parse(s);
}

static const char *command_name(cli_command c)
{
    return c == CLI_CMD_RULES ? "rules" : c == CLI_CMD_EXPLAIN ? "explain" : "check";
}

cli_status cli_parse_args(int argc, char **argv, cli_options *o, FILE *out, FILE *err)
{
    memset(o, 0, sizeof *o);
    o->severity = ECRLINT_SEVERITY_INFO;
    o->fail_on = ECRLINT_SEVERITY_ERROR;
    o->jobs = 0; /* cli_default_jobs(), looked up only when there is more than one input */
    o->color = -1;
    o->paths = (const char **)calloc((size_t)(argc > 0 ? argc : 1), sizeof *o->paths);
    if (!o->paths)
        return oom(err);
    int first = 1;
    /* A subcommand is only ever the first argument: "ecrlint ./rules" checks a directory. */
    if (argc > 1 && strcmp(argv[1], "rules") == 0) {
        o->command = CLI_CMD_RULES;
        first = 2;
    } else if (argc > 1 && strcmp(argv[1], "explain") == 0) {
        o->command = CLI_CMD_EXPLAIN;
        first = 2;
    }
    unsigned where = o->command == CLI_CMD_RULES     ? W_RULES
                     : o->command == CLI_CMD_EXPLAIN ? W_EXPLAIN
                                                     : W_CHECK;
    bool only_paths = false;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
            o->paths[o->npaths++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_paths = true;
            continue;
        }
        const opt_def *d = NULL;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
                if (strlen(opts[k].lng) == len && strncmp(opts[k].lng, name, len) == 0)
                    d = &opts[k];
            if (!d) {
                cli_errorf(err, "unknown option '%s' (see ecrlint --help)", a);
                return CLI_USAGE;
            }
            if (eq) {
                if (!d->arg) {
                    cli_errorf(err, "option '--%s' takes no value", d->lng);
                    return CLI_USAGE;
                }
                val = eq + 1;
            }
        } else {
            for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
                if (opts[k].shrt && opts[k].shrt == a[1])
                    d = &opts[k];
            if (!d) {
                cli_errorf(err, "unknown option '%s' (see ecrlint --help)", a);
                return CLI_USAGE;
            }
            if (a[2]) {
                if (!d->arg) {
                    cli_errorf(err, "option '-%c' takes no value", d->shrt);
                    return CLI_USAGE;
                }
                val = a + 2;
            }
        }
        if (!(d->where & where)) {
            cli_errorf(err, "option '--%s' does not apply to 'ecrlint %s'", d->lng,
                       command_name(o->command));
            return CLI_USAGE;
        }
        if (d->arg && !val) {
            if (i + 1 >= argc) {
                cli_errorf(err, "option '%s' needs a value", a);
                return CLI_USAGE;
            }
            val = argv[++i];
        }
        cli_status st = apply(d, val, o, out, err);
        if (st != CLI_OK)
            return st;
    }
    if (o->command == CLI_CMD_RULES && o->npaths) {
        cli_errorf(err,
                   "'ecrlint rules' takes no path ('%s'); to check a directory named "
                   "rules, write ./rules",
                   o->paths[0]);
        return CLI_USAGE;
    }
    if (o->command == CLI_CMD_EXPLAIN) {
        if (o->npaths != 1) {
            cli_errorf(err, "usage: ecrlint explain RULE-ID (list them with: ecrlint rules)");
            return CLI_USAGE;
        }
        o->explain_id = o->paths[0];
        o->npaths = 0;
    }
    return CLI_OK;
}

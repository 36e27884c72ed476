/* cli_opts.c - table-driven option parsing. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef enum opt_id {
    O_HELP, O_VERSION, O_FORMAT, O_OPERATION, O_MEDIA_TYPE, O_RULES, O_STDIN_NAME, O_ACCEPT,
    O_SEVERITY, O_FAIL_ON, O_JOBS, O_COLOR, O_NO_COLOR, O_QUIET, O_JSONL, O_MAX_FILE_SIZE,
    O_MAX_DEPTH, O_MAX_DIAGS
} opt_id;

typedef struct opt_def {
    const char *lng;
    char shrt;
    bool arg;
    opt_id id;
} opt_def;

static const opt_def opts[] = {
    {"help", 'h', false, O_HELP},
    {"version", 'V', false, O_VERSION},
    {"format", 'f', true, O_FORMAT},
    {"operation", 0, true, O_OPERATION},
    {"media-type", 0, true, O_MEDIA_TYPE},
    {"rules", 0, true, O_RULES},
    {"stdin-filename", 0, true, O_STDIN_NAME},
    {"accept", 0, true, O_ACCEPT},
    {"severity", 's', true, O_SEVERITY},
    {"fail-on", 0, true, O_FAIL_ON},
    {"jobs", 'j', true, O_JOBS},
    {"color", 0, true, O_COLOR},
    {"no-color", 0, false, O_NO_COLOR},
    {"quiet", 'q', false, O_QUIET},
    {"jsonl", 0, false, O_JSONL},
    {"max-file-size", 0, true, O_MAX_FILE_SIZE},
    {"max-depth", 0, true, O_MAX_DEPTH},
    {"max-diagnostics", 0, true, O_MAX_DIAGS},
};

static const char usage_text[] =
    "Usage: ecrlint [OPTIONS] [PATH...]\n"
    "Check Amazon ECR API request bodies, responses and image manifests offline, and say what\n"
    "ECR would answer. PATH is a file, a directory (searched for *.json, *.http, *.jsonl,\n"
    "*.ndjson) or '-' for standard input; with no PATH, standard input is read.\n"
    "\n"
    "  -f, --format FORMAT      text (default), json, gcc\n"
    "      --operation NAME     BatchGetImage, DescribeImages, PutImage or manifest\n"
    "                           (default: from X-Amz-Target, else from the members)\n"
    "      --media-type TYPE    declared media type of a manifest\n"
    "      --accept TYPE        accepted manifest media type for BatchGetImage (repeatable)\n"
    "      --rules DIR          load extra or replacement rule packs from DIR\n"
    "      --jsonl              inputs are JSON Lines: one request per line\n"
    "      --stdin-filename P   name standard input P in reports\n"
    "  -s, --severity LEVEL     report findings at or above LEVEL: info (default), warning, error\n"
    "      --fail-on LEVEL      exit 1 for findings at or above LEVEL: error (default), warning,\n"
    "                           info, none\n"
    "  -j, --jobs N             check N files at once (default 1); output order stays the same\n"
    "      --color WHEN         auto (default), always, never; NO_COLOR turns auto off\n"
    "  -q, --quiet              no summary and no per-input answer lines in text output\n"
    "      --max-file-size N    bytes (default 64 MiB); larger files are refused unread\n"
    "      --max-depth N        JSON nesting checked (default 512)\n"
    "      --max-diagnostics N  findings kept per input (default 1000)\n"
    "  -V, --version            print versions and exit\n"
    "  -h, --help               print this help and exit\n"
    "\n"
    "Exit status: 0 no findings at or above --fail-on, 1 such findings, 2 usage, I/O or rule\n"
    "pack error.\n";

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

static int parse_level(const char *s, bool allow_none)
{
    if (allow_none && strcmp(s, "none") == 0)
        return 3;
    return ecrlint_severity_parse(s);
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
        if (!ecrlint_format_known(val)) {
            fprintf(err, "ecrlint: unknown format '%s' (known: %s)\n", val, ecrlint_format_names());
            return CLI_USAGE;
        }
        o->format = val;
        break;
    case O_OPERATION: o->operation = val; break;
    case O_MEDIA_TYPE: o->media_type = val; break;
    case O_RULES: o->rules_dir = val; break;
    case O_STDIN_NAME: o->stdin_filename = val; break;
    case O_ACCEPT:
        if (o->naccept >= CLI_MAX_ACCEPT) {
            fprintf(err, "ecrlint: at most %d --accept types\n", CLI_MAX_ACCEPT);
            return CLI_USAGE;
        }
        o->accept[o->naccept++] = val;
        break;
    case O_SEVERITY:
    case O_FAIL_ON: {
        int lvl = parse_level(val, d->id == O_FAIL_ON);
        if (lvl < 0) {
            fprintf(err, "ecrlint: --%s takes info, warning, error%s; not '%s'\n", d->lng,
                    d->id == O_FAIL_ON ? " or none" : "", val);
            return CLI_USAGE;
        }
        if (d->id == O_SEVERITY)
            o->severity = lvl;
        else
            o->fail_on = lvl;
        break;
    }
    case O_JOBS: {
        size_t n;
        if (!parse_size(val, &n) || n > 256) {
            fprintf(err, "ecrlint: --jobs takes a number from 1 to 256; not '%s'\n", val);
            return CLI_USAGE;
        }
        o->jobs = (int)n;
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
            fprintf(err, "ecrlint: --color takes auto, always or never; not '%s'\n", val);
            return CLI_USAGE;
        }
        break;
    case O_NO_COLOR: o->color = 0; break;
    case O_QUIET: o->quiet = true; break;
    case O_JSONL: o->jsonl = true; break;
    case O_MAX_FILE_SIZE:
    case O_MAX_DEPTH:
    case O_MAX_DIAGS: {
        size_t n;
        if (!parse_size(val, &n)) {
            fprintf(err, "ecrlint: --%s takes a positive number; not '%s'\n", d->lng, val);
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
    }
    return CLI_OK;
}

cli_status cli_parse_args(int argc, char **argv, cli_options *o, FILE *out, FILE *err)
{
    memset(o, 0, sizeof *o);
    o->format = "text";
    o->severity = ECRLINT_SEVERITY_INFO;
    o->fail_on = ECRLINT_SEVERITY_ERROR;
    o->jobs = 1;
    o->color = -1;
    o->paths = (const char **)calloc((size_t)(argc > 0 ? argc : 1), sizeof *o->paths);
    if (!o->paths) {
        fputs("ecrlint: out of memory\n", err);
        return CLI_USAGE;
    }
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
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
                fprintf(err, "ecrlint: unknown option '%s' (see ecrlint --help)\n", a);
                return CLI_USAGE;
            }
            if (eq) {
                if (!d->arg) {
                    fprintf(err, "ecrlint: option '--%s' takes no value\n", d->lng);
                    return CLI_USAGE;
                }
                val = eq + 1;
            }
        } else {
            for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
                if (opts[k].shrt && opts[k].shrt == a[1])
                    d = &opts[k];
            if (!d) {
                fprintf(err, "ecrlint: unknown option '%s' (see ecrlint --help)\n", a);
                return CLI_USAGE;
            }
            if (a[2]) {
                if (!d->arg) {
                    fprintf(err, "ecrlint: option '-%c' takes no value\n", d->shrt);
                    return CLI_USAGE;
                }
                val = a + 2;
            }
        }
        if (d->arg && !val) {
            if (i + 1 >= argc) {
                fprintf(err, "ecrlint: option '%s' needs a value\n", a);
                return CLI_USAGE;
            }
            val = argv[++i];
        }
        cli_status st = apply(d, val, o, out, err);
        if (st != CLI_OK)
            return st;
    }
    return CLI_OK;
}

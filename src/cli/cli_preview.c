/* cli_preview.c - `ecrlint preview`: which images a lifecycle policy would expire or move to
 * archive, answered offline as ECR's GetLifecyclePolicyPreview answers online.
 *
 *   ecrlint preview --policy POLICY --images IMAGES [--now TIME] [--protect GLOB]... [-f FMT]
 *
 * The policy file is checked first, as `ecrlint POLICY` checks it: when ECR would refuse it,
 * that answer is written and there is no preview (exit 1). Then the images (files, or folders
 * of *.json / *.jsonl pages) are read, the policy evaluated (ecrlint_preview_*), and the
 * outcome written: text tables, the GetLifecyclePolicyPreview response (json), or the
 * findings of --protect in a report format (sarif, github, junit, gcc). An image with a
 * protected tag that would be expired makes the exit status 1. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "util/el_file.h"

static const char preview_usage[] =
    "Usage: ecrlint preview --policy POLICY --images IMAGES [OPTIONS]\n"
    "Say which images a lifecycle policy would expire or move to archive, as ECR's\n"
    "GetLifecyclePolicyPreview would, offline.\n"
    "\n"
    "  --policy FILE        a lifecycle policy, a PutLifecyclePolicy or "
    "StartLifecyclePolicyPreview\n"
    "                       request (lifecyclePolicyText), or a repository creation template\n"
    "                       (lifecyclePolicy); checked first: an invalid policy gets ECR's answer\n"
    "  --images PATH        a DescribeImages response (aws ecr describe-images --output json), a\n"
    "                       folder of such pages (*.json, *.jsonl), or JSON Lines of imageDetails\n"
    "                       entries; BatchGetImage responses among them give the children of\n"
    "                       image indexes, which ECR keeps while the index stays; repeatable\n"
    "  --now TIME           the evaluation time: ISO 8601 or epoch seconds (default: now)\n"
    "  --protect GLOB       tags that must never be expired ('*', '?'); repeatable, and\n"
    "                       \"protect\" in .ecrlint.json; a protected image the policy would\n"
    "                       expire is an error (ECR9001) and exit 1\n"
    "  -f, --format FMT     text (default): a table per rule and a summary; json: the\n"
    "                       GetLifecyclePolicyPreview response; sarif, github, junit, gcc: the\n"
    "                       --protect findings\n"
    "  -c, --config FILE    use FILE instead of the nearest .ecrlint.json\n"
    "      --no-config      use no configuration file\n"
    "  -h, --help           print this help and exit\n"
    "\n"
    "Exit status: 0 no protected image expires, 1 one does or the policy is invalid, 2 usage,\n"
    "configuration or input error (an image lacking a time a rule needs). More in ecrlint(1).\n";

typedef struct preview_args {
    const char *policy;
    const char **images;
    size_t nimages;
    const char *now;
    cli_strv protect;
    const char *format;
    const char *config;
    bool no_config;
} preview_args;

static const char *value(int argc, char **argv, int *i, const char *opt)
{
    const char *a = argv[*i];
    size_t n = strlen(opt);
    if (strncmp(a, opt, n) == 0 && a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc) {
        cli_errorf(stderr, "%s needs a value (ecrlint preview --help)", opt);
        return NULL;
    }
    return argv[++*i];
}

static bool is_opt(const char *a, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(a, opt, n) == 0 && (a[n] == '\0' || (opt[1] == '-' && a[n] == '='));
}

/* CLI_OK, CLI_EXIT_NOW (--help) or CLI_USAGE */
static cli_status parse(int argc, char **argv, preview_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v = NULL;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(preview_usage, stdout);
            return CLI_EXIT_NOW;
        } else if (is_opt(arg, "--policy")) {
            if (!(a->policy = value(argc, argv, &i, "--policy")))
                return CLI_USAGE;
        } else if (is_opt(arg, "--images")) {
            if (!(v = value(argc, argv, &i, "--images")))
                return CLI_USAGE;
            a->images[a->nimages++] = v;
        } else if (is_opt(arg, "--now")) {
            if (!(a->now = value(argc, argv, &i, "--now")))
                return CLI_USAGE;
        } else if (is_opt(arg, "--protect")) {
            if (!(v = value(argc, argv, &i, "--protect")))
                return CLI_USAGE;
            if (!*v) {
                cli_errorf(stderr, "--protect needs a non-empty tag pattern");
                return CLI_USAGE;
            }
            if (!cli_strv_push(&a->protect, v)) {
                cli_errorf(stderr, "out of memory");
                return CLI_USAGE;
            }
        } else if (is_opt(arg, "-f") || is_opt(arg, "--format")) {
            if (!(a->format = value(argc, argv, &i, arg[1] == '-' ? "--format" : "-f")))
                return CLI_USAGE;
        } else if (is_opt(arg, "-c") || is_opt(arg, "--config")) {
            if (!(a->config = value(argc, argv, &i, arg[1] == '-' ? "--config" : "-c")))
                return CLI_USAGE;
        } else if (strcmp(arg, "--no-config") == 0) {
            a->no_config = true;
        } else {
            cli_errorf(stderr, "preview: unknown argument '%s' (ecrlint preview --help)", arg);
            return CLI_USAGE;
        }
    }
    if (!a->policy || !a->nimages) {
        cli_errorf(stderr, "preview needs --policy and --images (ecrlint preview --help)");
        return CLI_USAGE;
    }
    if (!a->format)
        a->format = "text";
    if (strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0 &&
        !ecrlint_format_known(a->format)) {
        cli_errorf(stderr, "unknown format '%s' (text, json, sarif, github, junit, gcc)",
                   a->format);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static bool read_file(const char *path, el_file *f)
{
    el_file_status st = el_file_read(f, path, ECRLINT_DEFAULT_MAX_FILE_SIZE);
    if (st == EL_FILE_OK)
        return true;
    const char *why = st == EL_FILE_OPEN_ERROR || st == EL_FILE_READ_ERROR ? strerror(f->sys_error)
                      : st == EL_FILE_DIRECTORY                            ? "a directory"
                      : st == EL_FILE_NOT_REGULAR                          ? "not a regular file"
                      : st == EL_FILE_TOO_LARGE                            ? "larger than 64 MiB"
                                                                           : "out of memory";
    cli_errorf(stderr, "%s: cannot read: %s", path, why);
    return false;
}

static int write_stdout(const char *data, size_t len, void *ud)
{
    (void)ud;
    return fwrite(data, 1, len, stdout) == len ? 0 : 1;
}

/* The policy file, checked as `ecrlint FILE` checks it. False (exit 1) when ECR would refuse
 * it: its findings are written in the chosen report format (text for text and json... json
 * writes ecrlint's JSON report, since there is no preview response to give). */
static int check_policy(const ecrlint_engine *eng, const preview_args *a, const el_file *f)
{
    ecrlint_result *res = NULL;
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    if (ecrlint_check_buffer(eng, NULL, a->policy, f->data, f->len, &res, &err)) {
        cli_print_error(stderr, &err);
        return CLI_EXIT_TROUBLE;
    }
    bool refused = ecrlint_result_exception_code(res) != NULL ||
                   ecrlint_result_kind(res) == ECRLINT_KIND_ERROR;
    for (size_t i = 0; i < ecrlint_result_diag_count(res); i++)
        refused |= ecrlint_result_diag(res, i)->severity == ECRLINT_SEVERITY_ERROR;
    int status = CLI_EXIT_OK;
    if (refused) {
        ecrlint_format_options fo;
        memset(&fo, 0, sizeof fo);
        fo.fail_on = ECRLINT_SEVERITY_ERROR;
        fo.tool_version = ECRLINT_VERSION;
        fo.rules_url = cli_rules_url();
        ecrlint_writer *w = ecrlint_writer_new(eng, a->format, &fo, write_stdout, NULL, &err);
        if (!w || ecrlint_writer_add(w, res, &err) || ecrlint_writer_finish(w, &err)) {
            cli_print_error(stderr, &err);
            status = CLI_EXIT_TROUBLE;
        } else {
            cli_errorf(stderr, "%s: the policy is not valid: no preview", a->policy);
            status = CLI_EXIT_FINDINGS;
        }
        ecrlint_writer_free(w);
    }
    ecrlint_result_free(res);
    return status;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool add_file(ecrlint_preview *p, const char *path, el_file *f)
{
    if (!read_file(path, f))
        return false;
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    if (ecrlint_preview_add_images(p, path, f->data ? f->data : "", f->len, &err)) {
        cli_print_error(stderr, &err);
        return false;
    }
    return true;
}

/* A file, or the *.json, *.jsonl and *.ndjson files of a folder in name order. */
static bool add_images(ecrlint_preview *p, const char *path, el_file *f)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return add_file(p, path, f);
    DIR *d = opendir(path);
    if (!d) {
        cli_errorf(stderr, "%s: %s", path, strerror(errno));
        return false;
    }
    cli_strv names = {0};
    bool ok = true;
    for (struct dirent *de; ok && (de = readdir(d)) != NULL;) {
        if (de->d_name[0] == '.' ||
            !(has_suffix(de->d_name, ".json") || has_suffix(de->d_name, ".jsonl") ||
              has_suffix(de->d_name, ".ndjson")))
            continue;
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        char *full = malloc(len);
        if (!full) {
            ok = false;
            break;
        }
        snprintf(full, len, "%s%s%s", path, has_suffix(path, "/") ? "" : "/", de->d_name);
        ok = cli_strv_push(&names, full);
        free(full);
    }
    closedir(d);
    if (!ok)
        cli_errorf(stderr, "out of memory");
    if (ok && names.n == 0) {
        cli_errorf(stderr, "%s: no *.json or *.jsonl files of images", path);
        ok = false;
    }
    if (names.n)
        qsort(names.items, names.n, sizeof *names.items, by_name);
    for (size_t i = 0; ok && i < names.n; i++)
        ok = add_file(p, names.items[i], f);
    cli_strv_free(&names);
    return ok;
}

/* ---- text ------------------------------------------------------------------------------- */

static const char *action_text(ecrlint_preview_action a)
{
    return a == ECRLINT_PREVIEW_EXPIRE ? "expire" : "transition to archive";
}

static void time_text(long long t, char out[40])
{
    time_t s = (time_t)(t / 1000000);
    struct tm tm;
    if (t == ECRLINT_NO_TIME || !gmtime_r(&s, &tm) || !strftime(out, 40, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 40, "%-20s", "-");
}

static void print_tags(const ecrlint_preview_image *x)
{
    if (!x->ntags)
        fputs("<untagged>", stdout);
    for (size_t t = 0; t < x->ntags; t++)
        printf("%s%s", t ? ", " : "", x->tags[t]);
}

static void print_row(const ecrlint_preview_image *x)
{
    char when[40];
    time_text(x->pushed_at, when);
    printf("  %-20s  %.19s  ", when, x->digest);
    print_tags(x);
    if (x->held_by)
        printf("  (kept: index %.19s references it)", x->held_by);
    if (x->protected_tag)
        printf("  PROTECTED (%s)", x->protected_tag);
    putchar('\n');
}

static void write_text(const ecrlint_preview *p)
{
    size_t n = ecrlint_preview_image_count(p), next = 0;
    for (size_t k = 0; k < ecrlint_preview_rule_count(p); k++) {
        const ecrlint_preview_rule *r = ecrlint_preview_rule_at(p, k);
        printf("Rule %lld", r->priority);
        if (r->description)
            printf(" \"%s\"", r->description);
        printf(" (%s", r->tag_status);
        if (r->tag_list)
            printf(" %s [%s]", r->tag_patterns ? "tagPatternList" : "tagPrefixList", r->tag_list);
        if (strcmp(r->storage_class, "archive") == 0)
            fputs(", archive", stdout);
        bool days = strcmp(r->count_type, "imageCountMoreThan") != 0;
        printf(", %s %lld%s): %s %zu image%s", r->count_type, r->count_number,
               !days                  ? ""
               : r->count_number == 1 ? " day"
                                      : " days",
               action_text(r->action), r->acted, r->acted == 1 ? "" : "s");
        if (r->held)
            printf(", %zu more kept by an index", r->held);
        putchar('\n');
        if (r->acted)
            printf("  %-20s  %-19s  %s\n", "PUSHED", "DIGEST", "TAGS");
        for (; next < n; next++) {
            const ecrlint_preview_image *x = ecrlint_preview_image_at(p, next);
            if (x->rule != k || x->action == ECRLINT_PREVIEW_KEEP)
                break;
            print_row(x);
        }
    }
    ecrlint_preview_summary s;
    ecrlint_preview_get_summary(p, &s);
    if (s.held) {
        printf("Kept because an image index or manifest list that stays references them: %zu\n",
               s.held);
        for (; next < n; next++) {
            const ecrlint_preview_image *x = ecrlint_preview_image_at(p, next);
            if (!x->held_by)
                break;
            print_row(x);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const ecrlint_preview_image *x = ecrlint_preview_image_at(p, i);
        if (x->protected_tag)
            printf("%s:%d:%d: error: image %s would be expired by rule %lld, but its tag '%s' "
                   "is protected ('%s') [ECR9001]\n",
                   x->source, x->line, x->column, x->digest,
                   ecrlint_preview_rule_at(p, x->rule)->priority, x->protected_tag,
                   x->protected_pattern);
    }
    printf("%zu image%s expire%s, %zu move%s to archive, %zu kept\n", s.expire,
           s.expire == 1 ? "" : "s", s.expire == 1 ? "s" : "", s.transition,
           s.transition == 1 ? "s" : "", s.kept);
}

/* ---- report formats: the findings of --protect ------------------------------------------- */

static bool write_findings(const ecrlint_engine *eng, const ecrlint_preview *p, const char *fmt)
{
    ecrlint_format_options fo;
    memset(&fo, 0, sizeof fo);
    fo.fail_on = ECRLINT_SEVERITY_ERROR;
    fo.tool_version = ECRLINT_VERSION;
    fo.rules_url = cli_rules_url();
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    ecrlint_writer *w = ecrlint_writer_new(eng, fmt, &fo, write_stdout, NULL, &err);
    bool ok = w != NULL;
    for (size_t i = 0; ok && i < ecrlint_preview_source_count(p); i++) {
        ecrlint_result *r = NULL;
        ok = !ecrlint_preview_findings(p, i, &r, &err) && !ecrlint_writer_add(w, r, &err);
        ecrlint_result_free(r);
    }
    ok = ok && !ecrlint_writer_finish(w, &err);
    ecrlint_writer_free(w);
    if (!ok)
        cli_print_error(stderr, &err);
    return ok;
}

/* ---- the command ----------------------------------------------------------------------- */

static int preview(const preview_args *a, const cli_options *o)
{
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    long long now;
    if (a->now) {
        if (!ecrlint_time_parse(a->now, &now)) {
            cli_errorf(stderr, "--now '%s' is not a time (ISO 8601, or epoch seconds)", a->now);
            return CLI_EXIT_TROUBLE;
        }
    } else {
        now = (long long)time(NULL) * 1000000;
    }
    ecrlint_engine *eng = ecrlint_engine_new(&err);
    if (!eng || (o->rules_dir && ecrlint_engine_load_rules_dir(eng, o->rules_dir, &err))) {
        cli_print_error(stderr, &err);
        ecrlint_engine_free(eng);
        return CLI_EXIT_TROUBLE;
    }
    el_file f = {0};
    ecrlint_preview *p = NULL;
    int status = read_file(a->policy, &f) ? check_policy(eng, a, &f) : CLI_EXIT_TROUBLE;
    if (status == CLI_EXIT_OK &&
        !(p = ecrlint_preview_new(eng, a->policy, f.data ? f.data : "", f.len, &err))) {
        cli_print_error(stderr, &err);
        status = CLI_EXIT_TROUBLE;
    }
    for (size_t i = 0; status == CLI_EXIT_OK && i < o->protect.n + a->protect.n; i++) {
        const char *g = i < o->protect.n ? o->protect.items[i] : a->protect.items[i - o->protect.n];
        if (ecrlint_preview_protect(p, g, &err)) {
            cli_print_error(stderr, &err);
            status = CLI_EXIT_TROUBLE;
        }
    }
    for (size_t i = 0; status == CLI_EXIT_OK && i < a->nimages; i++)
        if (!add_images(p, a->images[i], &f))
            status = CLI_EXIT_TROUBLE;
    el_file_free(&f);
    if (status == CLI_EXIT_OK && ecrlint_preview_run(p, now, &err)) {
        cli_print_error(stderr, &err);
        status = CLI_EXIT_TROUBLE;
    }
    if (status == CLI_EXIT_OK) {
        bool ok = true;
        if (strcmp(a->format, "text") == 0) {
            write_text(p);
        } else if (strcmp(a->format, "json") == 0) {
            ok = !ecrlint_preview_write_json(p, write_stdout, NULL, &err);
            if (!ok)
                cli_print_error(stderr, &err);
        } else {
            ok = write_findings(eng, p, a->format);
        }
        if (fflush(stdout) != 0 && ok) {
            cli_errorf(stderr, "standard output: %s", strerror(errno));
            ok = false;
        }
        ecrlint_preview_summary s;
        ecrlint_preview_get_summary(p, &s);
        status = !ok ? CLI_EXIT_TROUBLE : s.protected_expired ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
    }
    ecrlint_preview_free(p);
    ecrlint_engine_free(eng);
    return status;
}

int cli_preview_main(int argc, char **argv)
{
    preview_args a;
    memset(&a, 0, sizeof a);
    a.images = calloc((size_t)argc + 1, sizeof *a.images);
    cli_options o;
    memset(&o, 0, sizeof o);
    if (!a.images) {
        cli_errorf(stderr, "out of memory");
        return CLI_EXIT_TROUBLE;
    }
    cli_status cs = parse(argc, argv, &a);
    if (cs == CLI_OK) {
        o.config_file = a.config;
        o.no_config = a.no_config;
        o.set_format = true; /* the preview's -f is its own */
        cs = cli_config_apply(&o, stderr);
    }
    int status = cs == CLI_EXIT_NOW ? CLI_EXIT_OK
                 : cs != CLI_OK     ? CLI_EXIT_TROUBLE
                                    : preview(&a, &o);
    cli_options_free(&o);
    cli_strv_free(&a.protect);
    free(a.images);
    return status;
}

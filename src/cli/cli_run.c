/* cli_run.c - the tool's main flow: settings, engine, inputs, the reports written as the
 * results come (cli_runner.c checks the inputs and hands them over in order), baselines, and
 * the exit status. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "cli_runner.h"

/* One report being written while inputs are checked. */
typedef struct sink {
    const cli_output *spec;
    ecrlint_format_options fo; /* borrowed by the writer */
    cli_atomic file;
    ecrlint_writer *w;
    int write_errno; /* what the failed write said; 0 */
    ecrlint_error err;
} sink;

/* What a check run holds from start to end, and what its results amount to. */
typedef struct run {
    cli_options *o;
    ecrlint_engine *engine;
    cli_inputs in;
    void *request_doc;      /* --request: the parsed request, which owns o->accept's strings */
    cli_baseline *baseline; /* --baseline: findings to suppress */
    sink *sinks;            /* one per report; the first nsinks are open */
    size_t nsinks;
    sink *failed_sink;       /* the report that could not be written */
    ecrlint_report *collect; /* --write-baseline: every result is kept here instead */
    bool no_facts;           /* no report prints facts: the library need not gather them */
    bool trouble, findings;  /* for the exit status */
    size_t suppressed;
} run;

static int write_file(const char *data, size_t len, void *ud)
{
    sink *s = ud;
    errno = 0;
    if (fwrite(data, 1, len, s->file.f) == len)
        return 0;
    s->write_errno = errno ? errno : EIO;
    return -1;
}

static bool want_color(int setting)
{
    if (setting >= 0)
        return setting == 1;
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0])
        return false;
    const char *term = getenv("TERM");
    if (!term || !term[0] || strcmp(term, "dumb") == 0)
        return false;
    return isatty(STDOUT_FILENO) != 0;
}

/* Says why report `s` could not be written (a closed pipe ends quietly). `e` is an errno. */
static void write_failed(const sink *s, int e)
{
    if (e == EPIPE) /* the reader went away (| head): end quietly */
        return;
    cli_errorf(stderr, "cannot write the %s report to %s: %s", s->spec->format,
               s->spec->file ? s->spec->file : "standard output",
               s->err.code == ECRLINT_ERR_NOMEM ? "out of memory" : strerror(e));
}

/* The errno for a writer that failed: the sink's, else EIO. */
static int writer_errno(const sink *s)
{
    return s->write_errno ? s->write_errno : s->err.code == ECRLINT_ERR_NOMEM ? ENOMEM : EIO;
}

/* At most one report on standard output, and no file twice. */
static bool outputs_valid(const cli_options *o)
{
    for (size_t i = 0; i < o->noutputs; i++) {
        for (size_t k = 0; k < i; k++) {
            const char *a = o->outputs[i].file, *b = o->outputs[k].file;
            if ((!a && !b) || (a && b && strcmp(a, b) == 0)) {
                cli_errorf(stderr,
                           "two reports (%s and %s) would go to %s; give one a "
                           "file with -f FORMAT:FILE",
                           o->outputs[k].format, o->outputs[i].format, a ? a : "standard output");
                return false;
            }
        }
    }
    return true;
}

/* Reports written in place (standard output, a device or FIFO named with -f FMT:FILE) must not
 * be the same file or pipe under two names (-f text -f json:/dev/stdout): two streams on one
 * file overwrite each other, and on one pipe they interleave. A character device (/dev/null, a
 * terminal) is allowed: nothing is lost there. */
static bool sinks_distinct(const sink *sinks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat a;
        if ((sinks[i].file.tmp) || fstat(fileno(sinks[i].file.f), &a) != 0 || S_ISCHR(a.st_mode))
            continue;
        for (size_t k = 0; k < i; k++) {
            struct stat b;
            if (sinks[k].file.tmp || fstat(fileno(sinks[k].file.f), &b) != 0)
                continue;
            if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
                cli_errorf(stderr,
                           "two reports (%s and %s) would go to the same file "
                           "(%s and %s); give one another file",
                           sinks[k].spec->format, sinks[i].spec->format,
                           sinks[k].spec->file ? sinks[k].spec->file : "standard output",
                           sinks[i].spec->file ? sinks[i].spec->file : "standard output");
                return false;
            }
        }
    }
    return true;
}

/* The engine with the built-in rules and those of --rules. */
static bool load_engine(run *r)
{
    ecrlint_error err = {0};
    if (!(r->engine = ecrlint_engine_new(&err)) ||
        (r->o->rules_dir &&
         ecrlint_engine_load_rules_dir(r->engine, r->o->rules_dir, &err) != ECRLINT_OK)) {
        cli_print_error(stderr, &err);
        return false;
    }
    return true;
}

/* What the settings ask of a check run, before any input is read: rules that exist, reports
 * that do not collide, the baseline, the inputs and --request's media types. */
static bool prepare(run *r)
{
    cli_options *o = r->o;
    if (!cli_filter_validate(o, r->engine, stderr))
        return false;
    if (o->noutputs == 0 && cli_output_add(o, "text", NULL, "--format", stderr) != CLI_OK)
        return false;
    if (!outputs_valid(o))
        return false;
    if (o->baseline && !o->write_baseline &&
        !(r->baseline = cli_baseline_load(o->baseline, stderr)))
        return false;
    if (o->npaths == 0 && isatty(STDIN_FILENO)) {
        /* Nothing named and nothing piped in: say how to use it rather than wait on the
           terminal (shellcheck and hadolint do the same). */
        cli_errorf(stderr, "no PATH given and standard input is a terminal");
        cli_usage_short(stderr);
        return false;
    }
    if (!cli_collect_inputs(o, &r->in)) {
        cli_errorf(stderr, "out of memory");
        return false;
    }
    if (r->in.empty) {
        cli_errorf(stderr,
                   "%s: no *.json, *.jsonl, *.ndjson or *.http file to check%s "
                   "(--allow-empty accepts that)",
                   r->in.empty, o->nexcludes ? " that no --exclude leaves out" : "");
        return false;
    }
    if (o->request_file && !cli_load_request_accept(o, o->request_file, &r->request_doc, stderr))
        return false;
    o->accept[o->naccept] = NULL;
    return true;
}

/* Opens every report before checking starts, so that one that cannot be written stops the run
 * before the work. */
static bool open_reports(run *r)
{
    const cli_options *o = r->o;
    /* Finding the rules reference (the program's own path, then the reference's real path) is
     * a handful of system calls: left out when no report shows a link, as text without -v. */
    bool want_links = o->verbose;
    for (size_t i = 0; i < o->noutputs && !want_links; i++)
        want_links = strcmp(o->outputs[i].format, "text") != 0;
    const char *links = want_links ? cli_rules_url() : NULL;
    /* on the heap, not in the run: sixteen sinks in cli_main's frame were 14 KB of stack, and on
     * a virtual machine each new stack page a one-file run touches costs about 10 µs */
    if (!(r->sinks = calloc(o->noutputs ? o->noutputs : 1, sizeof *r->sinks))) {
        cli_errorf(stderr, "out of memory");
        return false;
    }
    for (size_t i = 0; i < o->noutputs; i++) {
        sink *sk = &r->sinks[i];
        sk->spec = &o->outputs[i];
        /* A finding that fails the run is always shown, whatever -s says: exit 1 never comes
           without the finding that caused it (nor a summary that counts none). */
        sk->fo.min_severity =
            (ecrlint_severity)(o->fail_on < o->severity ? o->fail_on : o->severity);
        sk->fo.color =
            !sk->spec->file && strcmp(sk->spec->format, "text") == 0 && want_color(o->color);
        sk->fo.quiet = o->quiet;
        sk->fo.tool_version = ECRLINT_VERSION;
        sk->fo.fail_on = o->fail_on;
        sk->fo.verbose = o->verbose;
        sk->fo.rules_url = links;
        int e = cli_atomic_open(&sk->file, sk->spec->file);
        if (e) {
            write_failed(sk, e);
            return false;
        }
        r->nsinks = i + 1;
        sk->w = ecrlint_writer_new(r->engine, sk->spec->format, &sk->fo, write_file, sk, &sk->err);
        if (!sk->w) {
            write_failed(sk, writer_errno(sk));
            return false;
        }
    }
    if (!sinks_distinct(r->sinks, r->nsinks))
        return false;
    /* Facts nobody prints are not gathered (a large index's list of children). */
    r->no_facts = true;
    for (size_t i = 0; i < r->nsinks; i++)
        if (ecrlint_writer_wants_facts(r->sinks[i].w))
            r->no_facts = false;
    return true;
}

/* --write-baseline: the baseline is sorted and de-duplicated over every finding, so they are
 * all kept (and no report is written, as the mode never did). */
static bool start_collecting(run *r)
{
    if (!(r->collect = ecrlint_report_new(r->engine))) {
        cli_errorf(stderr, "out of memory");
        return false;
    }
    return true;
}

/* Takes the results in order (cli_emit_fn): baseline, exit-status bookkeeping, then every
 * report, or the collection for --write-baseline. */
static cli_emit_status emit(ecrlint_result *res, void *userdata)
{
    run *r = userdata;
    r->suppressed += cli_baseline_apply(r->baseline, res);
    for (size_t d = 0; d < ecrlint_result_diag_count(res); d++) {
        const ecrlint_diag *dg = ecrlint_result_diag(res, d);
        if (strcmp(dg->rule, "ECR0000") == 0)
            r->trouble = true;
        else if ((int)dg->severity >= r->o->fail_on && !ecrlint_result_diag_suppressed(res, d))
            r->findings = true;
    }
    if (r->collect)
        return ecrlint_report_add(r->collect, res) == ECRLINT_OK ? CLI_EMIT_OK : CLI_EMIT_NOMEM;
    for (size_t s = 0; s < r->nsinks; s++) {
        if (ecrlint_writer_add(r->sinks[s].w, res, &r->sinks[s].err) != ECRLINT_OK) {
            ecrlint_result_free(res);
            r->failed_sink = &r->sinks[s];
            return CLI_EMIT_FAILED;
        }
    }
    ecrlint_result_free(res);
    return CLI_EMIT_OK;
}

/* Checks every input, the results going to the reports (or the collection) as they come. */
static bool check_inputs(run *r)
{
    const cli_options *o = r->o;
    cli_runner runner = {.o = o, .engine = r->engine, .in = &r->in, .emit = emit, .emit_data = r};
    runner.copt.operation = o->operation;
    runner.copt.media_type = o->media_type;
    runner.copt.accept = o->naccept ? o->accept : NULL;
    runner.copt.limits = o->limits;
    runner.copt.no_facts = r->no_facts;
    runner.copt.client = (ecrlint_client)o->client;
    bool emit_failed;
    if (!cli_run_inputs(&runner, &emit_failed, stderr)) {
        if (emit_failed)
            write_failed(r->failed_sink, writer_errno(r->failed_sink));
        return false;
    }
    if (o->verbose && r->baseline)
        cli_notef(stderr, "%zu finding%s suppressed by the baseline %s", r->suppressed,
                  r->suppressed == 1 ? "" : "s", o->baseline);
    return true;
}

/* Ends the reports; only a run that ends without error replaces their files (in order: a
 * rename that fails leaves the later ones untouched). */
static bool finish_reports(run *r)
{
    for (size_t i = 0; i < r->nsinks; i++) {
        if (ecrlint_writer_finish(r->sinks[i].w, &r->sinks[i].err) != ECRLINT_OK) {
            write_failed(&r->sinks[i], writer_errno(&r->sinks[i]));
            return false;
        }
    }
    for (size_t i = 0; i < r->nsinks; i++) {
        int e = cli_atomic_commit(&r->sinks[i].file);
        if (e) {
            write_failed(&r->sinks[i], e);
            return false;
        }
    }
    return true;
}

/* --write-baseline FILE: the collected findings. */
static bool write_baseline(run *r)
{
    const char *file = r->o->write_baseline;
    size_t n;
    if (!cli_baseline_write(r->collect, file, &n, stderr))
        return false;
    if (strcmp(file, "-") != 0)
        cli_notef(stderr, "recorded %zu finding%s in %s", n, n == 1 ? "" : "s", file);
    return true;
}

/* `ecrlint [OPTIONS] [PATH...]`. */
static int check(run *r)
{
    bool baseline_mode = r->o->write_baseline != NULL;
    if (!prepare(r) || !(baseline_mode ? start_collecting(r) : open_reports(r)) ||
        !check_inputs(r) || !(baseline_mode ? write_baseline(r) : finish_reports(r)))
        return CLI_EXIT_TROUBLE;
    if (r->trouble)
        return CLI_EXIT_TROUBLE;
    return r->findings && !baseline_mode ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

static int command(run *r)
{
    const cli_options *o = r->o;
    switch (o->command) {
    case CLI_CMD_RULES:
        return cli_rules_list(r->engine, o->noutputs ? o->outputs[0].format : "text", stdout,
                              stderr);
    case CLI_CMD_EXPLAIN:
        return cli_rules_explain(r->engine, o->explain_id, stdout, stderr);
    case CLI_CMD_CHECK:
        break;
    }
    return check(r);
}

static void run_free(run *r)
{
    for (size_t i = 0; i < r->nsinks; i++) {
        cli_atomic_abort(&r->sinks[i].file);
        ecrlint_writer_free(r->sinks[i].w);
    }
    free(r->sinks);
    ecrlint_report_free(r->collect);
    cli_baseline_free(r->baseline);
    cli_inputs_free(&r->in);
    ecrlint_engine_free(r->engine);
    json_decref(r->request_doc);
}

int cli_main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is an EPIPE write error, handled quietly */
    if (argc > 1 && strcmp(argv[1], "preview") == 0)
        return cli_preview_main(argc - 1, argv + 1);
    cli_options o;
    cli_status cs = cli_parse_args(argc, argv, &o, stdout, stderr);
    if (cs == CLI_OK)
        cs = cli_config_apply(&o, stderr);
    if (cs != CLI_OK) {
        cli_options_free(&o);
        return cs == CLI_EXIT_NOW ? CLI_EXIT_OK : CLI_EXIT_TROUBLE;
    }
    run r = {.o = &o};
    int status = load_engine(&r) ? command(&r) : CLI_EXIT_TROUBLE;
    run_free(&r);
    cli_options_free(&o);
    return status;
}

/* cli_run.c - the tool's main flow: options, engine, inputs, checking (in parallel with -j),
 * reports written as results come in a deterministic order, baselines, and the exit status.
 *
 * Reports stream: the results of input i are written, then freed, as soon as inputs 0..i are
 * all checked, so memory does not grow with the number of inputs. Workers take inputs in
 * order; whichever finishes one tries to take the emit lock and writes every finished input
 * from the cursor on, so the output is that of a single thread whatever -j says. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

/* One report being written while inputs are checked. */
typedef struct sink {
    const cli_output *spec;
    ecrlint_format_options fo; /* borrowed by the writer */
    cli_atomic file;
    ecrlint_writer *w;
    int write_errno; /* what the failed write said; 0 */
    ecrlint_error err;
} sink;

/* Everything one worker needs, and what it produced. */
typedef struct job {
    const cli_options *o;
    const ecrlint_engine *engine;
    const cli_inputs *in;
    ecrlint_check_options copt;
    cli_filter *filters; /* per input, or NULL when every rule runs */
    /* results[i] holds the results of input i (several for JSON Lines). */
    ecrlint_result ***results;
    size_t *nresults;
    atomic_size_t next;
    atomic_int failed; /* out of memory, or the library refused the options */
    ecrlint_error err;
    pthread_mutex_t err_lock;

    /* Emitting, in input order. done[i] is set once results[i] is complete; next_emit is the
       first input not yet emitted, advanced under emit_lock. */
    atomic_bool *done;
    atomic_size_t next_emit;
    pthread_mutex_t emit_lock;
    atomic_int emit_failed; /* a report could not be written: stop */
    sink *failed_sink;      /* which one */
    sink *sinks;
    size_t nsinks;
    ecrlint_report *collect; /* --write-baseline: every result is kept here instead */
    cli_baseline *baseline;
    int fail_on;
    bool trouble, findings; /* for the exit status */
    size_t suppressed;
} job;

typedef struct readbuf {
    char *data;
    size_t cap;
} readbuf;

/* Reads all of fd into rb, refusing more than `max` bytes. `size` is what fstat said of a
 * regular file (0 when unknown): once that much is read, no read is spent on finding the end.
 * Short reads are not taken for the end: Linux returns at most 2 GiB per read, and network or
 * FUSE file systems may return less. Returns 0, an errno, or -1 when the input is over the
 * limit. */
static int read_all(int fd, readbuf *rb, size_t max, size_t size, size_t *len)
{
    size_t n = 0;
    for (;;) {
        if (n == rb->cap) {
            size_t cap = rb->cap ? rb->cap * 2 : 65536;
            if (cap > max + 1)
                cap = max + 1;
            if (cap <= n)
                return -1;
            char *p = realloc(rb->data, cap);
            if (!p)
                return ENOMEM;
            rb->data = p;
            rb->cap = cap;
        }
        ssize_t r = read(fd, rb->data + n, rb->cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max)
            return -1;
        if (size && n >= size)
            break;
    }
    *len = n;
    return 0;
}

static bool push(job *j, size_t i, ecrlint_result *r)
{
    if (!r)
        return false;
    ecrlint_result **p = realloc(j->results[i], (j->nresults[i] + 1) * sizeof *p);
    if (!p) {
        ecrlint_result_free(r);
        return false;
    }
    p[j->nresults[i]++] = r;
    j->results[i] = p;
    return true;
}

static bool check_one(job *j, size_t i, const char *path, const char *buf, size_t len,
                      int first_line)
{
    ecrlint_check_options copt = j->copt;
    copt.first_line = first_line;
    if (j->filters) {
        copt.rule_enabled = cli_rule_enabled_cb;
        copt.rule_userdata = &j->filters[i];
    }
    ecrlint_result *r = NULL;
    ecrlint_error err = {0};
    ecrlint_status st = ecrlint_check_buffer(j->engine, &copt, path, buf, len, &r, &err);
    if (st != ECRLINT_OK) {
        pthread_mutex_lock(&j->err_lock);
        if (j->err.code == ECRLINT_OK)
            j->err = err;
        pthread_mutex_unlock(&j->err_lock);
        return false;
    }
    return push(j, i, r);
}

static bool stopped(job *j);
static bool emit_results(job *j, size_t i);

/* A JSON Lines input is written record by record when it is the next to be written (every
 * earlier input is), so that a long stream is not held in memory until its end. */
static void emit_early(job *j, size_t i)
{
    if (atomic_load(&j->next_emit) != i || pthread_mutex_trylock(&j->emit_lock) != 0)
        return; /* an earlier input is still open, or it is being written: later */
    if (atomic_load(&j->next_emit) == i && !stopped(j))
        (void)emit_results(j, i); /* a failure stops the run through emit_failed */
    pthread_mutex_unlock(&j->emit_lock);
}

static bool check_jsonl(job *j, size_t i, const char *path, const char *buf, size_t len)
{
    size_t pos = 0;
    int line = 1;
    bool any = false;
    while (pos < len && !stopped(j)) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        bool blank = true;
        for (size_t k = pos; k < end && blank; k++)
            if (buf[k] != ' ' && buf[k] != '\t' && buf[k] != '\r')
                blank = false;
        if (!blank) {
            any = true;
            if (!check_one(j, i, path, buf + pos, end - pos, line))
                return false;
            emit_early(j, i);
        }
        pos = end + 1;
        line++;
    }
    if (!any)
        return push(j, i, ecrlint_result_new_skipped(path, "no JSON Lines records"));
    return true;
}

static ecrlint_result *unreadable(const char *path, const char *why)
{
    char msg[512];
    snprintf(msg, sizeof msg, "cannot read input: %s", why);
    return ecrlint_result_new_error(path, "ECR0000", msg);
}

static bool process(job *j, size_t i, readbuf *rb)
{
    const cli_input *in = &j->in->items[i];
    if (in->skip)
        return push(j, i, ecrlint_result_new_skipped(in->path, in->skip));
    if (in->problem)
        return push(j, i, unreadable(in->path, in->problem));
    size_t max = j->o->limits.max_file_size ? j->o->limits.max_file_size
                                            : ECRLINT_DEFAULT_MAX_FILE_SIZE;
    int fd = STDIN_FILENO;
    size_t size = 0; /* a regular file's size, when known */
    if (in->open_path) {
        /* O_NONBLOCK: opening a FIFO must not hang; non-regular files are refused below. */
        fd = open(in->open_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
            return push(j, i, unreadable(in->path, strerror(errno)));
        struct stat st;
        const char *why = NULL;
        if (fstat(fd, &st) != 0)
            why = strerror(errno);
        else if (S_ISDIR(st.st_mode))
            why = "is a directory";
        else if (!S_ISREG(st.st_mode))
            why = "not a regular file";
        if (why) {
            close(fd);
            return push(j, i, unreadable(in->path, why));
        }
        if ((size_t)st.st_size > max) {
            close(fd);
            char msg[160];
            snprintf(msg, sizeof msg, "file is %lld bytes, over the limit of %zu (--max-file-size)",
                     (long long)st.st_size, max);
            return push(j, i, ecrlint_result_new_error(in->path, "ECR0004", msg));
        }
        /* O_NONBLOCK changes nothing for a regular file: it stays set. */
        size = (size_t)st.st_size;
    }
    size_t len = 0;
    int e = read_all(fd, rb, max, size, &len);
    if (fd != STDIN_FILENO)
        close(fd);
    if (e == -1) {
        char msg[160];
        snprintf(msg, sizeof msg, "input is over the limit of %zu bytes (--max-file-size)", max);
        return push(j, i, ecrlint_result_new_error(in->path, "ECR0004", msg));
    }
    if (e == ENOMEM)
        return false;
    if (e)
        return push(j, i, unreadable(in->path, strerror(e)));
    if (in->jsonl)
        return check_jsonl(j, i, in->path, rb->data ? rb->data : "", len);
    return check_one(j, i, in->path, rb->data ? rb->data : "", len, 0);
}

static bool stopped(job *j)
{
    return atomic_load(&j->failed) || atomic_load(&j->emit_failed);
}

/* Passes the results of input i on, in order: baseline, exit-status bookkeeping, then every
 * report (or the collection for --write-baseline); each result is freed once written. Called
 * under emit_lock. */
static bool emit_results(job *j, size_t i)
{
    for (size_t k = 0; k < j->nresults[i]; k++) {
        ecrlint_result *r = j->results[i][k];
        j->results[i][k] = NULL;
        j->suppressed += cli_baseline_apply(j->baseline, r);
        for (size_t d = 0; d < ecrlint_result_diag_count(r); d++) {
            const ecrlint_diag *dg = ecrlint_result_diag(r, d);
            if (strcmp(dg->rule, "ECR0000") == 0)
                j->trouble = true;
            else if ((int)dg->severity >= j->fail_on && !ecrlint_result_diag_suppressed(r, d))
                j->findings = true;
        }
        if (j->collect) {
            if (ecrlint_report_add(j->collect, r) != ECRLINT_OK) {
                atomic_store(&j->failed, 1);
                return false;
            }
            continue;
        }
        for (size_t s = 0; s < j->nsinks; s++) {
            if (ecrlint_writer_add(j->sinks[s].w, r, &j->sinks[s].err) != ECRLINT_OK) {
                ecrlint_result_free(r);
                j->failed_sink = &j->sinks[s];
                atomic_store(&j->emit_failed, 1);
                return false;
            }
        }
        ecrlint_result_free(r);
    }
    j->nresults[i] = 0; /* the slots stay for the input's next results */
    return true;
}

static bool emit_input(job *j, size_t i)
{
    if (!emit_results(j, i))
        return false; /* what is left is freed with the job */
    free(j->results[i]);
    j->results[i] = NULL;
    return true;
}

/* Emits every finished input from the cursor on, unless another thread is at it. */
static void drain(job *j)
{
    for (;;) {
        if (pthread_mutex_trylock(&j->emit_lock) != 0)
            return; /* the holder looks again after unlocking */
        size_t i = atomic_load(&j->next_emit);
        while (i < j->in->n && atomic_load(&j->done[i]) && !stopped(j)) {
            if (!emit_input(j, i))
                break;
            atomic_store(&j->next_emit, ++i);
        }
        pthread_mutex_unlock(&j->emit_lock);
        /* An input may have finished after the loop looked and before the unlock, while its
           worker found the lock taken: look again so that it is not left behind. */
        i = atomic_load(&j->next_emit);
        if (i >= j->in->n || !atomic_load(&j->done[i]) || stopped(j))
            return;
    }
}

static void *worker(void *arg)
{
    job *j = arg;
    readbuf rb = {NULL, 0};
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->in->n || stopped(j))
            break;
        if (!process(j, i, &rb)) {
            atomic_store(&j->failed, 1);
            break;
        }
        atomic_store(&j->done[i], true);
        drain(j);
    }
    free(rb.data);
    return NULL;
}

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

static void print_error(const ecrlint_error *e)
{
    if (e->source[0] && e->line > 0)
        fprintf(stderr, "ecrlint: %s:%d:%d: %s\n", e->source, e->line, e->column, e->text);
    else if (e->source[0])
        fprintf(stderr, "ecrlint: %s: %s\n", e->source, e->text);
    else
        fprintf(stderr, "ecrlint: %s\n", e->text);
}

/* Says why report `s` could not be written (a closed pipe ends quietly). `e` is an errno. */
static void write_failed(const sink *s, int e)
{
    if (e == EPIPE) /* the reader went away (| head): end quietly */
        return;
    fprintf(stderr, "ecrlint: cannot write the %s report to %s: %s\n", s->spec->format,
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
                fprintf(stderr, "ecrlint: two reports (%s and %s) would go to %s; give one a "
                                "file with -f FORMAT:FILE\n",
                        o->outputs[k].format, o->outputs[i].format,
                        a ? a : "standard output");
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
                fprintf(stderr, "ecrlint: two reports (%s and %s) would go to the same file "
                                "(%s and %s); give one another file\n",
                        sinks[k].spec->format, sinks[i].spec->format,
                        sinks[k].spec->file ? sinks[k].spec->file : "standard output",
                        sinks[i].spec->file ? sinks[i].spec->file : "standard output");
                return false;
            }
        }
    }
    return true;
}

int cli_main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is an EPIPE write error, handled quietly */
    cli_options o;
    cli_status cs = cli_parse_args(argc, argv, &o, stdout, stderr);
    if (cs == CLI_OK)
        cs = cli_config_apply(&o, stderr);
    if (cs != CLI_OK) {
        cli_options_free(&o);
        return cs == CLI_EXIT_NOW ? CLI_EXIT_OK : CLI_EXIT_TROUBLE;
    }
    int status = CLI_EXIT_TROUBLE;
    ecrlint_error err = {0};
    cli_inputs in = {0};
    void *request_doc = NULL;
    cli_baseline *baseline = NULL;
    sink sinks[CLI_MAX_OUTPUTS];
    memset(sinks, 0, sizeof sinks);
    job j;
    memset(&j, 0, sizeof j);
    atomic_init(&j.next, 0);
    atomic_init(&j.failed, 0);
    atomic_init(&j.next_emit, 0);
    atomic_init(&j.emit_failed, 0);
    pthread_mutex_init(&j.err_lock, NULL);
    pthread_mutex_init(&j.emit_lock, NULL);

    ecrlint_engine *engine = ecrlint_engine_new(&err);
    if (!engine) {
        print_error(&err);
        goto out;
    }
    if (o.rules_dir && ecrlint_engine_load_rules_dir(engine, o.rules_dir, &err) != ECRLINT_OK) {
        print_error(&err);
        goto out;
    }
    if (o.command == CLI_CMD_RULES) {
        status = cli_rules_list(engine, o.noutputs ? o.outputs[0].format : "text", stdout, stderr);
        goto out;
    }
    if (o.command == CLI_CMD_EXPLAIN) {
        status = cli_rules_explain(engine, o.explain_id, stdout, stderr);
        goto out;
    }
    if (!cli_filter_validate(&o, engine, stderr))
        goto out;
    if (o.noutputs == 0 && cli_output_add(&o, "text", NULL, "--format", stderr) != CLI_OK)
        goto out;
    if (!outputs_valid(&o))
        goto out;
    if (o.baseline && !o.write_baseline && !(baseline = cli_baseline_load(o.baseline, stderr)))
        goto out;
    if (!cli_collect_inputs(&o, &in)) {
        fputs("ecrlint: out of memory\n", stderr);
        goto out;
    }
    if (o.request_file && !cli_load_request_accept(&o, o.request_file, &request_doc, stderr))
        goto out;
    o.accept[o.naccept] = NULL;
    j.o = &o;
    j.engine = engine;
    j.in = &in;
    j.copt.operation = o.operation;
    j.copt.media_type = o.media_type;
    j.copt.accept = o.naccept ? o.accept : NULL;
    j.copt.limits = o.limits;
    j.results = calloc(in.n ? in.n : 1, sizeof *j.results);
    j.nresults = calloc(in.n ? in.n : 1, sizeof *j.nresults);
    if (!j.results || !j.nresults) {
        fputs("ecrlint: out of memory\n", stderr);
        goto out;
    }
    if (o.rules.n || o.cli_rules.n || o.npath_rules) {
        j.filters = calloc(in.n ? in.n : 1, sizeof *j.filters);
        for (size_t i = 0; j.filters && i < in.n; i++) {
            if (!cli_filter_build(&o, in.items[i].path, &j.filters[i])) {
                fputs("ecrlint: out of memory\n", stderr);
                goto out;
            }
        }
        if (!j.filters) {
            fputs("ecrlint: out of memory\n", stderr);
            goto out;
        }
    }
    j.done = calloc(in.n ? in.n : 1, sizeof *j.done);
    if (!j.done) {
        fputs("ecrlint: out of memory\n", stderr);
        goto out;
    }
    for (size_t i = 0; i < in.n; i++)
        atomic_init(&j.done[i], false);
    j.baseline = baseline;
    j.fail_on = o.fail_on;
    j.sinks = sinks;
    if (o.write_baseline) {
        /* The baseline is sorted and de-duplicated over every finding: keep them all (and
           write no report, as the mode never did). */
        if (!(j.collect = ecrlint_report_new(engine))) {
            fputs("ecrlint: out of memory\n", stderr);
            goto out;
        }
    } else {
        /* Every report is opened before checking starts, so that one that cannot be written
           stops the run before the work. */
        for (size_t i = 0; i < o.noutputs; i++) {
            sink *sk = &sinks[i];
            sk->spec = &o.outputs[i];
            sk->fo.min_severity = (ecrlint_severity)o.severity;
            sk->fo.color =
                !sk->spec->file && strcmp(sk->spec->format, "text") == 0 && want_color(o.color);
            sk->fo.quiet = o.quiet;
            sk->fo.tool_version = ECRLINT_VERSION;
            sk->fo.fail_on = o.fail_on;
            int e = cli_atomic_open(&sk->file, sk->spec->file);
            if (e) {
                write_failed(sk, e);
                goto out;
            }
            j.nsinks = i + 1;
            sk->w = ecrlint_writer_new(engine, sk->spec->format, &sk->fo, write_file, sk, &sk->err);
            if (!sk->w) {
                write_failed(sk, writer_errno(sk));
                goto out;
            }
        }
        if (!sinks_distinct(sinks, j.nsinks))
            goto out;
    }

    int nthreads = o.jobs > 1 && in.n > 1 ? o.jobs : 1;
    if ((size_t)nthreads > in.n)
        nthreads = (int)in.n;
    if (nthreads <= 1) {
        worker(&j);
    } else {
        pthread_t *th = calloc((size_t)nthreads, sizeof *th);
        int started = 0;
        for (int t = 0; th && t < nthreads; t++, started++)
            if (pthread_create(&th[t], NULL, worker, &j) != 0)
                break;
        if (started == 0)
            worker(&j);
        for (int t = 0; t < started; t++)
            pthread_join(th[t], NULL);
        free(th);
    }
    /* Whatever the workers left: they stop emitting when the lock is taken. */
    drain(&j);
    if (j.err.code != ECRLINT_OK) {
        /* An option the library refused (unknown --operation), or no memory. */
        print_error(&j.err);
        goto out;
    }
    if (atomic_load(&j.failed)) {
        fputs("ecrlint: out of memory\n", stderr);
        goto out;
    }
    if (atomic_load(&j.emit_failed)) {
        write_failed(j.failed_sink, writer_errno(j.failed_sink));
        goto out;
    }
    if (o.verbose && baseline)
        fprintf(stderr, "ecrlint: %zu finding%s suppressed by the baseline %s\n", j.suppressed,
                j.suppressed == 1 ? "" : "s", o.baseline);
    if (o.write_baseline) {
        long n = cli_baseline_write(j.collect, o.write_baseline, stderr);
        if (n >= 0) {
            if (strcmp(o.write_baseline, "-") != 0)
                fprintf(stderr, "ecrlint: recorded %ld finding%s in %s\n", n, n == 1 ? "" : "s",
                        o.write_baseline);
            status = j.trouble ? CLI_EXIT_TROUBLE : CLI_EXIT_OK;
        }
        goto out;
    }
    for (size_t i = 0; i < j.nsinks; i++) {
        if (ecrlint_writer_finish(sinks[i].w, &sinks[i].err) != ECRLINT_OK) {
            write_failed(&sinks[i], writer_errno(&sinks[i]));
            goto out;
        }
    }
    /* Only a run that ends without error replaces the files (in order: a rename that fails
       leaves the later ones untouched). */
    for (size_t i = 0; i < j.nsinks; i++) {
        int e = cli_atomic_commit(&sinks[i].file);
        if (e) {
            write_failed(&sinks[i], e);
            goto out;
        }
    }
    status = j.trouble ? CLI_EXIT_TROUBLE : j.findings ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
out:
    for (size_t i = 0; i < j.nsinks; i++) {
        cli_atomic_abort(&sinks[i].file);
        ecrlint_writer_free(sinks[i].w);
    }
    if (j.results) {
        for (size_t i = 0; i < in.n; i++) {
            for (size_t k = 0; k < j.nresults[i]; k++)
                ecrlint_result_free(j.results[i][k]);
            free(j.results[i]);
        }
    }
    if (j.filters)
        for (size_t i = 0; i < in.n; i++)
            cli_filter_free(&j.filters[i]);
    free(j.filters);
    free(j.results);
    free(j.nresults);
    free(j.done);
    pthread_mutex_destroy(&j.err_lock);
    pthread_mutex_destroy(&j.emit_lock);
    cli_baseline_free(baseline);
    ecrlint_report_free(j.collect);
    cli_inputs_free(&in);
    ecrlint_engine_free(engine);
    json_decref(request_doc);
    cli_options_free(&o);
    return status;
}

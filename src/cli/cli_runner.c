/* cli_runner.c - checking the inputs, in parallel with -j, their results passed on in input
 * order (cli_runner.h).
 *
 * Results stream: the results of input i are passed on, then freed, as soon as inputs 0..i are
 * all checked, so memory does not grow with the number of inputs. Workers take inputs in
 * order; whichever finishes one tries to take the emit lock and passes on every finished input
 * from the cursor on, so the output is that of a single thread whatever -j says.
 *
 * A JSON Lines input over one chunk (CHUNK_BYTES) is, when -j allows more than one thread,
 * split into chunks of whole lines once read, and every worker takes chunks, those of inputs
 * already read before opening another; the chunks of the next input to be passed on are
 * passed on in order as they finish, and the input's buffer is freed when its last chunk is
 * checked. Threads are started only for more than one unit of work: several inputs, or
 * chunks. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_runner.h"
#include "util/el_alloc.h"
#include "util/el_file.h"

/* Results waiting to be passed on, in order. */
typedef struct rlist {
    ecrlint_result **items;
    size_t n, cap;
} rlist;

/* A run of whole lines of a JSON Lines input, checked by whichever worker takes it. */
typedef struct jsonl_chunk {
    size_t start, end; /* bytes of the input: end is just after a newline, or the input's end */
    int first_line;    /* the line number of byte `start` */
    rlist res;         /* written by the worker that checks it until `done`, then by the emitter */
    atomic_bool done;  /* set once res is complete */
} jsonl_chunk;

/* A JSON Lines input split into chunks for every worker to take. `taken`, `finished`,
 * `records`, `buf` and `next_open` are under job.lock; `emitted` is the emitter's (under
 * emit_lock); the rest is fixed before the document is published. */
typedef struct jsonl_doc {
    size_t input;
    char *buf; /* the input, freed as soon as its last chunk is checked */
    jsonl_chunk *chunks;
    size_t nchunks;
    size_t taken;                /* chunks handed out */
    size_t finished;             /* chunks checked */
    size_t records;              /* non-blank lines in the finished chunks */
    size_t emitted;              /* chunks written */
    struct jsonl_doc *next_open; /* the next document with chunks to take, in input order */
} jsonl_doc;

/* The bytes a chunk holds at least (it ends at the first newline after them). Measured on the
 * benchmark's 36 MB, 100,000-line JSON Lines file with -j 2 on 2 cores, best of 11: 16 KiB to
 * 1 MiB all took 0.49-0.50 s (one thread: 0.91 s), 4 MiB 0.55 s (the last chunks are shared
 * unevenly); peak RSS grew from 38 MiB (16 and 64 KiB) to 47 MiB (1 MiB), the results held
 * behind a chunk still being checked. */
#define CHUNK_BYTES CLI_JSONL_CHUNK_BYTES

/* Everything the workers share, and what they produced. */
typedef struct job {
    const cli_options *o;
    const ecrlint_engine *engine;
    const cli_inputs *in;
    ecrlint_check_options copt;
    cli_filter *filters; /* per input, or NULL when every rule runs */
    /* results[i] holds the results of input i that are not in chunks (several for JSON Lines
       checked by one worker). */
    rlist *results;
    atomic_int failed; /* out of memory, or the library refused the options */
    ecrlint_error err;
    pthread_mutex_t err_lock;

    /* The work, under `lock`: the next input to open, the JSON Lines documents with chunks
       left (lowest input first: they are taken before a new input is opened, so that memory
       and the results waiting to be written stay bounded), how many workers are reading a
       JSON Lines input that may yet become chunks, and the threads. `more` is signalled when
       chunks are published, a reader ends, or the run stops. */
    pthread_mutex_t lock;
    pthread_cond_t more;
    size_t next;
    jsonl_doc *open;
    size_t readers;
    int jobs;           /* threads allowed; 0 until needed (one input) */
    int workers;        /* threads working, the main one included */
    pthread_t *threads; /* those started, joined by the main thread */
    int nthreads;
    _Atomic(jsonl_doc *) *docs; /* per input: its chunks, once published; freed once written */

    /* Emitting, in input order. done[i] is set once input i is complete (its results and
       every chunk); next_emit is the first input not yet emitted, advanced under emit_lock.
       `progress` counts what finished, so that a worker that found the emit lock taken is
       not left behind (see drain). */
    atomic_bool *done;
    atomic_size_t next_emit;
    atomic_size_t progress;
    pthread_mutex_t emit_lock;
    atomic_int emit_failed; /* the emitter could not take a result: stop */
    cli_emit_fn emit;
    void *emit_data;
} job;

static bool push(rlist *l, ecrlint_result *r)
{
    if (!r)
        return false;
    if (l->n == l->cap) {
        ecrlint_result **p = cli_grow(l->items, &l->cap, sizeof *p, 4);
        if (!p) {
            ecrlint_result_free(r);
            return false;
        }
        l->items = p;
    }
    l->items[l->n++] = r;
    return true;
}

static void rlist_free(rlist *l)
{
    for (size_t k = 0; k < l->n; k++)
        ecrlint_result_free(l->items[k]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static bool stopped(job *j)
{
    return atomic_load(&j->failed) || atomic_load(&j->emit_failed);
}

/* Stops the run (flag: failed or emit_failed) and wakes the workers waiting for chunks. With
 * job.lock held: halt_locked. */
static void halt_locked(job *j, atomic_int *flag)
{
    atomic_store(flag, 1);
    pthread_cond_broadcast(&j->more);
}

static void halt(job *j, atomic_int *flag)
{
    pthread_mutex_lock(&j->lock);
    halt_locked(j, flag);
    pthread_mutex_unlock(&j->lock);
}

/* What is being read: input i, or a file found in the directory named as input i (its results
 * are written in the directory's place). */
typedef struct source {
    size_t i;
    const cli_input *in;
    cli_filter *filter;       /* its rules, or NULL when every rule runs */
    ecrlint_checker *checker; /* the worker's, or NULL (it could not be made): one per check */
} source;

static source job_source(job *j, size_t i, ecrlint_checker *checker)
{
    source s = {i, &j->in->items[i], j->filters ? &j->filters[i] : NULL, checker};
    return s;
}

static bool check_one(job *j, const source *src, const char *buf, size_t len, int first_line,
                      rlist *out)
{
    ecrlint_check_options copt = j->copt;
    copt.first_line = first_line;
    if (src->filter) {
        copt.rule_enabled = cli_rule_enabled_cb;
        copt.rule_severity = cli_rule_severity_cb;
        copt.rule_userdata = src->filter;
        /* a "paths" entry's operation, unless --operation was given */
        if (src->filter->operation && !j->o->set_operation)
            copt.operation = src->filter->operation;
        copt.client = (ecrlint_client)src->filter->client;
    }
    ecrlint_result *r = NULL;
    ecrlint_error err; /* the library fills it when it fails; not cleared whole per input */
    err.code = ECRLINT_OK;
    err.line = err.column = 0;
    err.source[0] = err.text[0] = '\0';
    ecrlint_status st =
        src->checker ? ecrlint_checker_check(src->checker, &copt, src->in->path, buf, len, &r, &err)
                     : ecrlint_check_buffer(j->engine, &copt, src->in->path, buf, len, &r, &err);
    if (st != ECRLINT_OK) {
        pthread_mutex_lock(&j->err_lock);
        if (j->err.code == ECRLINT_OK)
            j->err = err;
        pthread_mutex_unlock(&j->err_lock);
        return false;
    }
    return push(out, r);
}

static bool emit_list(job *j, rlist *l);

static int jobs_locked(job *j);

static void emit_early(job *j, size_t i);

/* Where an image's results go: its input's list, written as they come when the input is the
 * next to be written (a layout of 100,000 unreferenced blobs is 100,000 results). */
typedef struct image_out {
    job *j;
    size_t i;
    rlist *out;
} image_out;

static int image_sink(ecrlint_result *r, void *userdata)
{
    image_out *o = userdata;
    if (!push(o->out, r))
        return 1;
    emit_early(o->j, o->i);
    return 0;
}

/* An image layout or archive: checked whole, its results in its place. Its blobs are read by
 * as many threads as -j allows (the whole of -j: images are large and few). */
static bool check_image(job *j, const source *src, rlist *out)
{
    ecrlint_check_options copt = j->copt;
    if (src->filter) {
        copt.rule_enabled = cli_rule_enabled_cb;
        copt.rule_userdata = src->filter;
    }
    ecrlint_image_options io = {0};
    io.repository = j->o->repository;
    io.verify_layers = j->o->verify_layers;
    pthread_mutex_lock(&j->lock);
    io.jobs = jobs_locked(j);
    pthread_mutex_unlock(&j->lock);
    ecrlint_error err;
    err.code = ECRLINT_OK;
    err.line = err.column = 0;
    err.source[0] = err.text[0] = '\0';
    image_out to = {j, src->i, out};
    ecrlint_status st = ecrlint_check_image(j->engine, src->checker, &copt, &io, src->in->path,
                                            src->in->open_path, image_sink, &to, &err);
    if (st != ECRLINT_OK) {
        pthread_mutex_lock(&j->err_lock);
        if (j->err.code == ECRLINT_OK)
            j->err = err;
        pthread_mutex_unlock(&j->err_lock);
        return false;
    }
    return true;
}

/* A JSON Lines input checked by one worker is written record by record when it is the next to
 * be written (every earlier input is), so that a long stream is not held in memory until its
 * end. */
static void emit_early(job *j, size_t i)
{
    if (atomic_load(&j->next_emit) != i || pthread_mutex_trylock(&j->emit_lock) != 0)
        return; /* an earlier input is still open, or it is being written: later */
    if (atomic_load(&j->next_emit) == i && !stopped(j))
        (void)emit_list(j, &j->results[i]); /* a failure stops the run through emit_failed */
    pthread_mutex_unlock(&j->emit_lock);
}

/* Checks the lines of buf[pos..stop) of a JSON Lines source, the first being line `line`, into
 * `out`; `records` counts the non-blank ones. `early`: write them as they come (emit_early).
 * False when checking failed, or the run stopped before the end. */
static bool check_lines(job *j, const source *src, const char *buf, size_t pos, size_t stop,
                        int line, rlist *out, size_t *records, bool early)
{
    while (pos < stop) {
        if (stopped(j))
            return false;
        const char *nl = memchr(buf + pos, '\n', stop - pos);
        size_t end = nl ? (size_t)(nl - buf) : stop;
        bool blank = true;
        for (size_t k = pos; k < end && blank; k++)
            if (buf[k] != ' ' && buf[k] != '\t' && buf[k] != '\r')
                blank = false;
        if (!blank) {
            ++*records;
            if (!check_one(j, src, buf + pos, end - pos, line, out))
                return false;
            if (early)
                emit_early(j, src->i);
        }
        pos = end + 1;
        line++;
    }
    return true;
}

static bool no_records(job *j, const source *src)
{
    return push(&j->results[src->i],
                ecrlint_result_new_skipped(src->in->path, "no JSON Lines records"));
}

/* A JSON Lines input checked by the worker that read it. */
static bool check_jsonl(job *j, const source *src, const char *buf, size_t len)
{
    size_t records = 0;
    if (!check_lines(j, src, buf, 0, len, 1, &j->results[src->i], &records, true))
        return false;
    return records || no_records(j, src);
}

/* Splits a JSON Lines input into chunks of whole lines. NULL when memory ran out. */
static jsonl_doc *split(size_t i, char *buf, size_t len)
{
    jsonl_doc *d = calloc(1, sizeof *d);
    /* Every chunk but the last holds at least CHUNK_BYTES. */
    jsonl_chunk *c = calloc(len / CHUNK_BYTES + 1, sizeof *c);
    if (!d || !c) {
        free(d);
        free(c);
        return NULL;
    }
    size_t pos = 0, n = 0;
    int line = 1;
    while (pos < len) {
        size_t end = len;
        if (len - pos > CHUNK_BYTES) {
            const char *from = buf + pos + CHUNK_BYTES - 1;
            const char *nl = memchr(from, '\n', (size_t)(buf + len - from));
            if (nl)
                end = (size_t)(nl - buf) + 1;
        }
        c[n].start = pos;
        c[n].end = end;
        c[n].first_line = line;
        atomic_init(&c[n].done, false);
        n++;
        for (const char *p = buf + pos, *e = buf + end; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            line++;
        pos = end;
    }
    d->input = i;
    d->buf = buf;
    d->chunks = c;
    d->nchunks = n;
    return d;
}

static void jsonl_doc_free(jsonl_doc *d)
{
    if (!d)
        return;
    for (size_t k = 0; k < d->nchunks; k++)
        rlist_free(&d->chunks[k].res);
    free(d->chunks);
    el_free(d->buf);
    free(d);
}

static void *worker(void *arg);

/* Starts workers until there are `want` (job.lock held). A thread that cannot be started is
 * not an error: those running do the work. */
static void start_workers(job *j, int want)
{
    if (want > j->jobs)
        want = j->jobs;
    if (want <= j->workers || stopped(j))
        return;
    if (!j->threads && !(j->threads = calloc((size_t)j->jobs, sizeof *j->threads)))
        return;
    while (j->workers < want && pthread_create(&j->threads[j->nthreads], NULL, worker, j) == 0) {
        j->nthreads++;
        j->workers++;
    }
}

/* The number of threads allowed, decided when first needed (job.lock held). */
static int jobs_locked(job *j)
{
    if (j->jobs == 0)
        j->jobs = cli_default_jobs();
    return j->jobs;
}

/* Hands the chunks of input i to every worker (more are started when -j allows). */
static void publish(job *j, jsonl_doc *d)
{
    pthread_mutex_lock(&j->lock);
    atomic_store(&j->docs[d->input], d);
    jsonl_doc **p = &j->open;
    while (*p && (*p)->input < d->input)
        p = &(*p)->next_open;
    d->next_open = *p;
    *p = d;
    size_t extra = d->nchunks - 1;
    start_workers(j, extra > (size_t)j->jobs ? j->jobs : j->workers + (int)extra);
    pthread_cond_broadcast(&j->more);
    pthread_mutex_unlock(&j->lock);
}

static ecrlint_result *unreadable(const char *path, const char *why)
{
    char msg[512];
    snprintf(msg, sizeof msg, "cannot read input: %s", why);
    return ecrlint_result_new_error(path, "ECR0000", msg);
}

typedef enum outcome {
    INPUT_FAILED, /* out of memory, or the library refused the options */
    INPUT_DONE,   /* results[i] complete */
    INPUT_SPLIT   /* published as chunks; done[i] is set by the worker finishing the last */
} outcome;

static outcome input_done(bool ok)
{
    return ok ? INPUT_DONE : INPUT_FAILED;
}

static bool search_named_dir(job *j, const source *dir, el_file *file);

/* Reads a source and checks it into its input's results. A JSON Lines input may be split into
 * chunks for every worker instead (`may_split`; INPUT_SPLIT). */
static outcome process_source(job *j, const source *src, el_file *file, bool may_split)
{
    const cli_input *in = src->in;
    size_t i = src->i;
    rlist *out = &j->results[i];
    if (in->skip)
        return input_done(push(out, ecrlint_result_new_skipped(in->path, in->skip)));
    if (in->problem)
        return input_done(push(out, unreadable(in->path, in->problem)));
    if (in->image)
        return input_done(check_image(j, src, out));
    size_t max =
        j->o->limits.max_file_size ? j->o->limits.max_file_size : ECRLINT_DEFAULT_MAX_FILE_SIZE;
    el_file_status fs = in->open_path ? el_file_read(file, in->open_path, max)
                                      : el_file_read_fd(file, STDIN_FILENO, max);
    switch (fs) {
    case EL_FILE_OK:
        break;
    case EL_FILE_NOMEM:
        return INPUT_FAILED;
    case EL_FILE_OPEN_ERROR:
    case EL_FILE_READ_ERROR:
        return input_done(push(out, unreadable(in->path, strerror(file->sys_error))));
    case EL_FILE_DIRECTORY:
        if (in->dir_unknown)
            return input_done(search_named_dir(j, src, file));
        return input_done(push(out, unreadable(in->path, "is a directory")));
    case EL_FILE_NOT_REGULAR:
        return input_done(push(out, unreadable(in->path, "not a regular file")));
    case EL_FILE_TOO_LARGE: {
        char msg[160];
        if (file->size >= 0)
            snprintf(msg, sizeof msg, "file is %lld bytes, over the limit of %zu (--max-file-size)",
                     file->size, max);
        else
            snprintf(msg, sizeof msg, "input is over the limit of %zu bytes (--max-file-size)",
                     max);
        return input_done(push(out, ecrlint_result_new_error(in->path, "ECR0004", msg)));
    }
    }
    const char *text = file->data ? file->data : "";
    size_t len = file->len;
    if (!in->jsonl)
        return input_done(check_one(j, src, text, len, 0, out));
    bool share = false;
    if (may_split && len > CHUNK_BYTES) {
        pthread_mutex_lock(&j->lock);
        share = jobs_locked(j) > 1;
        pthread_mutex_unlock(&j->lock);
    }
    if (!share)
        return input_done(check_jsonl(j, src, text, len));
    jsonl_doc *d = split(i, file->data, len);
    if (!d)
        return INPUT_FAILED;
    (void)el_file_take(file); /* the document owns the buffer now */
    publish(j, d);
    return INPUT_SPLIT;
}

/* A directory named like an input file (x.json/), found to be one when opened: searched as a
 * named directory is, its files checked here one after the other in its place. False when
 * memory ran out or checking failed. */
static bool search_named_dir(job *j, const source *dir, el_file *file)
{
    cli_inputs found;
    bool ok = cli_collect_dir(j->o, dir->in->open_path, &found);
    for (size_t k = 0; ok && k < found.n && !stopped(j); k++) {
        cli_filter filter;
        source s = {dir->i, &found.items[k], NULL, dir->checker};
        if (dir->filter) {
            if (!cli_filter_build(j->o, found.items[k].path, &filter)) {
                ok = false;
                break;
            }
            s.filter = &filter;
        }
        ok = process_source(j, &s, file, false) == INPUT_DONE;
        if (s.filter)
            cli_filter_free(&filter);
    }
    cli_inputs_free(&found);
    return ok;
}

static outcome process(job *j, size_t i, el_file *file, ecrlint_checker *checker)
{
    source src = job_source(j, i, checker);
    return process_source(j, &src, file, true);
}

/* Passes results on, in order, to the emitter, which takes each; the list is left empty (its
 * array stays for more). Called under emit_lock. */
static bool emit_list(job *j, rlist *l)
{
    for (size_t k = 0; k < l->n; k++) {
        ecrlint_result *r = l->items[k];
        l->items[k] = NULL;
        cli_emit_status st = j->emit(r, j->emit_data);
        if (st != CLI_EMIT_OK) {
            halt(j, st == CLI_EMIT_NOMEM ? &j->failed : &j->emit_failed);
            return false;
        }
    }
    l->n = 0;
    return true;
}

/* Writes everything ready from the cursor on: the finished chunks of the next input in order,
 * then, once it is done, its other results; then the inputs after it. Under emit_lock. */
static void emit_ready(job *j)
{
    size_t i = atomic_load(&j->next_emit);
    while (i < j->in->n && !stopped(j)) {
        bool done = atomic_load(&j->done[i]); /* before the chunks: done means all are */
        jsonl_doc *d = atomic_load(&j->docs[i]);
        while (d && d->emitted < d->nchunks && atomic_load(&d->chunks[d->emitted].done)) {
            jsonl_chunk *c = &d->chunks[d->emitted];
            if (!emit_list(j, &c->res))
                return;          /* what is left is freed with the job */
            rlist_free(&c->res); /* emptied: its array */
            d->emitted++;
        }
        if (!done || !emit_list(j, &j->results[i]))
            return;
        rlist_free(&j->results[i]); /* emptied: its array */
        if (d) {
            atomic_store(&j->docs[i], NULL);
            jsonl_doc_free(d);
        }
        atomic_store(&j->next_emit, ++i);
    }
}

/* Writes what is ready, unless another thread is at it. Whoever finishes something bumps
 * `progress` and then calls this; the writer looks again when `progress` moved while it held
 * the lock, so that what finished meanwhile is not left behind. */
static void drain(job *j)
{
    for (;;) {
        size_t seen = atomic_load(&j->progress);
        if (pthread_mutex_trylock(&j->emit_lock) != 0)
            return; /* the holder looks again after unlocking */
        emit_ready(j);
        pthread_mutex_unlock(&j->emit_lock);
        if (atomic_load(&j->progress) == seen || stopped(j))
            return;
    }
}

/* Input i is complete. */
static void finish_input(job *j, size_t i)
{
    atomic_store(&j->done[i], true);
    atomic_fetch_add(&j->progress, 1);
}

/* Checks one chunk of d (job.lock held on entry and on return). The worker finishing the last
 * chunk frees the input and completes it. False when the run is to stop. */
static bool take_chunk(job *j, jsonl_doc *d, ecrlint_checker *checker)
{
    jsonl_chunk *c = &d->chunks[d->taken++];
    if (d->taken == d->nchunks)
        j->open = d->next_open;
    pthread_mutex_unlock(&j->lock);
    size_t records = 0;
    source src = job_source(j, d->input, checker);
    bool ok =
        check_lines(j, &src, d->buf, c->start, c->end, c->first_line, &c->res, &records, false);
    if (ok) {
        atomic_store(&c->done, true);
        atomic_fetch_add(&j->progress, 1);
    }
    pthread_mutex_lock(&j->lock);
    if (!ok)
        return false;
    d->records += records;
    if (++d->finished < d->nchunks)
        return true;
    /* The last chunk: nobody else touches d now but the emitter, once done[i] is set. */
    char *buf = d->buf;
    d->buf = NULL;
    bool none = d->records == 0;
    pthread_mutex_unlock(&j->lock);
    el_free(buf);
    ok = !none || no_records(j, &src);
    if (ok)
        finish_input(j, d->input);
    pthread_mutex_lock(&j->lock);
    return ok;
}

/* Takes work until there is none left and none can appear: chunks of inputs already read
 * first, then the next input; a worker with neither waits while another is reading a JSON
 * Lines input, which may bring chunks. */
static void *worker(void *arg)
{
    job *j = arg;
    el_file file = {0}; /* the buffer every input of this thread is read into */
    /* This thread's working state for all its checks; without one (no memory for it), each
       check makes its own. */
    ecrlint_checker *checker = ecrlint_checker_new(j->engine);
    pthread_mutex_lock(&j->lock);
    while (!stopped(j)) {
        bool ok;
        if (j->open) {
            ok = take_chunk(j, j->open, checker);
        } else if (j->next < j->in->n) {
            size_t i = j->next++;
            bool reader = j->in->items[i].jsonl && j->jobs != 1;
            j->readers += reader;
            pthread_mutex_unlock(&j->lock);
            outcome r = process(j, i, &file, checker);
            if (r == INPUT_DONE)
                finish_input(j, i);
            pthread_mutex_lock(&j->lock);
            if (reader && --j->readers == 0)
                pthread_cond_broadcast(&j->more);
            ok = r != INPUT_FAILED;
        } else if (j->readers > 0) {
            pthread_cond_wait(&j->more, &j->lock);
            continue;
        } else {
            break;
        }
        if (!ok) {
            if (!stopped(j)) /* a write failure that stopped the run is said as such */
                halt_locked(j, &j->failed);
            break;
        }
        pthread_mutex_unlock(&j->lock);
        drain(j);
        pthread_mutex_lock(&j->lock);
    }
    pthread_mutex_unlock(&j->lock);
    el_file_free(&file);
    ecrlint_checker_free(checker);
    return NULL;
}

/* Checks every input: the calling thread works too, with as many more as -j allows and the
 * work needs (more inputs, or chunks of a JSON Lines input); returns once all are joined. */
static void run_workers(job *j)
{
    pthread_mutex_lock(&j->lock);
    j->workers = 1;
    if (j->in->n > 1)
        start_workers(j, j->in->n < (size_t)j->jobs ? (int)j->in->n : j->jobs);
    pthread_mutex_unlock(&j->lock);
    worker(j);
    /* Threads are started only by a reader (or above): once none is left, none can be. */
    pthread_mutex_lock(&j->lock);
    while (j->readers > 0)
        pthread_cond_wait(&j->more, &j->lock);
    int n = j->nthreads;
    pthread_mutex_unlock(&j->lock);
    for (int t = 0; t < n; t++)
        pthread_join(j->threads[t], NULL);
}

/* The rule settings of each input (NULL when every rule runs). False when memory ran out. */
static bool build_filters(job *j)
{
    const cli_options *o = j->o;
    if (!o->rules.n && !o->cli_rules.n && !o->npath_rules)
        return true;
    if (!(j->filters = calloc(j->in->n ? j->in->n : 1, sizeof *j->filters)))
        return false;
    for (size_t i = 0; i < j->in->n; i++)
        if (!cli_filter_build(o, j->in->items[i].path, &j->filters[i]))
            return false;
    return true;
}

static bool job_init(job *j, const cli_runner *r)
{
    memset(j, 0, sizeof *j);
    atomic_init(&j->failed, 0);
    atomic_init(&j->next_emit, 0);
    atomic_init(&j->progress, 0);
    atomic_init(&j->emit_failed, 0);
    pthread_mutex_init(&j->err_lock, NULL);
    pthread_mutex_init(&j->emit_lock, NULL);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->more, NULL);
    j->o = r->o;
    j->engine = r->engine;
    j->in = r->in;
    j->copt = r->copt;
    j->emit = r->emit;
    j->emit_data = r->emit_data;
    /* The default -j costs a look at the machine: only when there is more than one input
       (a single JSON Lines input decides when it is read: only one over a chunk needs it). */
    j->jobs = r->o->jobs ? r->o->jobs : r->in->n > 1 ? cli_default_jobs() : 0;
    size_t n = r->in->n;
    j->results = calloc(n ? n : 1, sizeof *j->results);
    j->docs = calloc(n ? n : 1, sizeof *j->docs);
    j->done = calloc(n ? n : 1, sizeof *j->done);
    if (!j->results || !j->docs || !j->done)
        return false;
    for (size_t i = 0; i < n; i++) {
        atomic_init(&j->done[i], false);
        atomic_init(&j->docs[i], NULL);
    }
    return build_filters(j);
}

static void job_free(job *j)
{
    size_t n = j->in->n;
    if (j->results)
        for (size_t i = 0; i < n; i++)
            rlist_free(&j->results[i]);
    if (j->docs)
        for (size_t i = 0; i < n; i++)
            jsonl_doc_free(atomic_load(&j->docs[i]));
    if (j->filters)
        for (size_t i = 0; i < n; i++)
            cli_filter_free(&j->filters[i]);
    free(j->filters);
    free(j->results);
    free(j->docs);
    free(j->done);
    free(j->threads);
    pthread_mutex_destroy(&j->err_lock);
    pthread_mutex_destroy(&j->emit_lock);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->more);
}

bool cli_run_inputs(const cli_runner *r, bool *emit_failed, FILE *err)
{
    *emit_failed = false;
    job j;
    bool ok = job_init(&j, r);
    if (ok) {
        run_workers(&j);
        /* Whatever the workers left: they stop emitting when the lock is taken. */
        drain(&j);
    }
    if (j.err.code != ECRLINT_OK) {
        /* An option the library refused (unknown --operation), or no memory. */
        cli_print_error(err, &j.err);
        ok = false;
    } else if (!ok || atomic_load(&j.failed)) {
        cli_errorf(err, "out of memory");
        ok = false;
    } else if (atomic_load(&j.emit_failed)) {
        *emit_failed = true;
        ok = false;
    }
    job_free(&j);
    return ok;
}

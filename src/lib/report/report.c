/* report.c - a report: results in order, counts, and writing in a format through a writer,
 * which streams: a result is formatted when it is added, and the buffer passed to the sink
 * whenever it exceeds EL_FLUSH_AT bytes. */
#include <stdint.h>
#include <string.h>

#include "report/el_format.h"
#include "report/el_result.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"

static const el_format *const formats[] = {&el_format_text,  &el_format_json,   &el_format_gcc,
                                           &el_format_sarif, &el_format_github, &el_format_junit};

static const el_format *find_format(const char *name)
{
    for (size_t i = 0; name && i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}

ecrlint_report *ecrlint_report_new(const ecrlint_engine *engine)
{
    ecrlint_report *r = el_calloc(1, sizeof *r);
    if (r)
        r->engine = engine;
    return r;
}

ecrlint_status ecrlint_report_add(ecrlint_report *r, ecrlint_result *res)
{
    if (!r || !res) {
        ecrlint_result_free(res);
        return ECRLINT_ERR_USAGE;
    }
    if (!el_grow(&r->results, &r->cap, r->n + 1, sizeof *r->results, 16)) {
        ecrlint_result_free(res);
        return ECRLINT_ERR_NOMEM;
    }
    r->results[r->n++] = res;
    return ECRLINT_OK;
}

size_t ecrlint_report_count(const ecrlint_report *r)
{
    return r->n;
}

const ecrlint_result *ecrlint_report_result(const ecrlint_report *r, size_t i)
{
    return i < r->n ? r->results[i] : NULL;
}

void ecrlint_report_free(ecrlint_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        ecrlint_result_free(r->results[i]);
    el_free(r->results);
    el_free(r);
}

bool el_diag_level_ok(const ecrlint_diag *d, const ecrlint_format_options *opt)
{
    return !opt || d->severity >= opt->min_severity;
}

bool el_diag_suppressed(const ecrlint_diag *d)
{
    /* Every ecrlint_diag handed out is the first member of an el_diag. */
    return ((const el_diag *)(const void *)d)->suppressed;
}

/* The finding's own confidence when the check lowered it below its rule's (el_diag.conf). */
static int diag_conf(const ecrlint_diag *d, const ecrlint_rule_info *ri)
{
    /* Every ecrlint_diag handed out is the first member of an el_diag. */
    int own = ((const el_diag *)(const void *)d)->conf;
    int rule = el_conf_rank(ri->confidence);
    return own != EL_CONF_NONE && own < rule ? own : rule;
}

const char *el_diag_confidence(const ecrlint_writer *w, const ecrlint_diag *d)
{
    const ecrlint_rule_info *ri = w->engine ? ecrlint_engine_find_rule(w->engine, d->rule) : NULL;
    return ri ? el_conf_name(diag_conf(d, ri)) : NULL;
}

bool el_diag_inferred(const ecrlint_writer *w, const ecrlint_diag *d)
{
    const ecrlint_rule_info *ri = w->engine ? ecrlint_engine_find_rule(w->engine, d->rule) : NULL;
    return ri && (ri->exception || ri->failure) && diag_conf(d, ri) == EL_CONF_LOW;
}

bool el_rule_link(el_buf *b, const ecrlint_format_options *opt, const char *id, bool web)
{
    if (!opt || !opt->rules_url || !*opt->rules_url || !ecrlint_rule_is_builtin(id))
        return false;
    if (web && strncmp(opt->rules_url, "https://", 8) != 0 &&
        strncmp(opt->rules_url, "http://", 7) != 0)
        return false;
    if (!b)
        return true;
    el_buf_puts(b, opt->rules_url);
    el_buf_putc(b, '#');
    for (const char *p = id; *p; p++)
        el_buf_putc(b, *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
    return true;
}

bool el_diag_shown(const ecrlint_diag *d, const ecrlint_format_options *opt)
{
    return el_diag_level_ok(d, opt) && !el_diag_suppressed(d);
}

/* FNV-1a of a path, never 0: which file the last JSON Lines record came from. */
static unsigned long long path_hash(const char *p)
{
    unsigned long long h = 14695981039346656037ULL;
    for (; p && *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h ? h : 1;
}

/* Counts one result into s, with the filter of the format options. The records of a JSON
 * Lines file come together: a file counts once, at its first record (*last: the previous
 * record's path hash, 0 after an input that is not a record). */
static void summary_add(ecrlint_summary *s, const ecrlint_result *res, ecrlint_severity min,
                        unsigned long long *last)
{
    ecrlint_format_options opt = {.min_severity = min};
    if (res->record_line > 0) {
        unsigned long long h = path_hash(res->path);
        s->records++;
        if (h != *last)
            s->files++;
        *last = h;
    } else {
        s->files++;
        *last = 0;
    }
    if (res->kind == ECRLINT_KIND_SKIPPED)
        s->skipped++;
    if (res->kind == ECRLINT_KIND_ERROR)
        s->failed_inputs++;
    for (size_t k = 0; k < res->ndiags; k++) {
        const ecrlint_diag *d = &res->diags[k].pub;
        if (!el_diag_shown(d, &opt))
            continue;
        if (d->severity == ECRLINT_SEVERITY_ERROR)
            s->errors++;
        else if (d->severity == ECRLINT_SEVERITY_WARNING)
            s->warnings++;
        else
            s->infos++;
    }
}

void ecrlint_report_summary(const ecrlint_report *r, ecrlint_severity min, ecrlint_summary *s)
{
    memset(s, 0, sizeof *s);
    unsigned long long last = 0;
    for (size_t i = 0; i < r->n; i++)
        summary_add(s, r->results[i], min, &last);
}

bool el_out_flush(el_out *o)
{
    if (o->failed)
        return false;
    if (o->buf.failed) {
        o->failed = true;
        return false;
    }
    if (o->buf.len && o->write(o->buf.data, o->buf.len, o->userdata) != 0) {
        o->failed = true;
        return false;
    }
    el_buf_reset(&o->buf);
    return true;
}

bool el_out_write(el_out *o, const char *data, size_t len)
{
    if (!el_out_flush(o))
        return false;
    if (len && o->write(data, len, o->userdata) != 0) {
        o->failed = true;
        return false;
    }
    return true;
}

void el_text_escape(el_buf *b, const char *s)
{
    el_text_escape_n(b, s, strlen(s));
}

void el_text_escape_n(el_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;
    for (;;) {
        /* Copy runs of printable ASCII at once: almost every message is nothing but. Eight
         * bytes at a time while none is a control, DEL or non-ASCII byte. */
        const unsigned char *run = p;
        while (end - run >= 8) {
            uint64_t w;
            memcpy(&w, run, 8);
            /* Every byte in 0x20..0x7E: none has the high bit, none borrows below 0x20, none
             * reaches it at 0x7F + 1. Any other byte sets a high bit in one of the three (a
             * carry or borrow starts only at such a byte). */
            if ((w | (w - 0x2020202020202020ULL) | (w + 0x0101010101010101ULL)) &
                0x8080808080808080ULL)
                break;
            run += 8;
        }
        while (*run >= 0x20 && *run < 0x7F)
            run++;
        if (run > p) {
            el_buf_append(b, (const char *)p, (size_t)(run - p));
            p = run;
        }
        unsigned char c = *p;
        if (!c)
            break;
        if (c == '\n')
            el_buf_append(b, "\\n", 2);
        else if (c == '\r')
            el_buf_append(b, "\\r", 2);
        else if (c == '\t')
            el_buf_append(b, "\\t", 2);
        else if (c < 0x20 || c == 0x7F) {
            char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            el_buf_append(b, esc, 4);
        } else {
            /* At most 4 bytes are read, and the terminating NUL ends any sequence early. */
            size_t n = el_utf8_sequence(p, 4);
            /* C1 controls (U+0080..U+009F) can drive a terminal too. */
            if (n == 0 || (n == 2 && p[0] == 0xC2 && p[1] < 0xA0)) {
                char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
                el_buf_append(b, esc, 4);
            } else {
                el_buf_append(b, (const char *)p, n);
                p += n - 1;
            }
        }
        p++;
    }
}

int ecrlint_format_known(const char *format)
{
    return find_format(format) != NULL;
}

const char *ecrlint_format_names(void)
{
    return "text, json, gcc, sarif, github, junit";
}

static ecrlint_status unknown_format(const char *format, ecrlint_error *err)
{
    return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "unknown format '%s' (known: %s)",
                        format ? format : "(null)", ecrlint_format_names());
}

/* Ends a step of writer `w` that began when the thread had seen `failures_before` allocation
 * failures: el_buf swallows a failed allocation into its `failed` flag, so the count says
 * whether memory ran out. The first failure sticks to the writer. */
static ecrlint_status settle(ecrlint_writer *w, bool ok, unsigned long failures_before,
                             ecrlint_error *err)
{
    bool nomem = w->out.buf.failed || el_alloc_failures() != failures_before;
    if (ok && !nomem)
        return ECRLINT_OK;
    w->status = nomem ? ECRLINT_ERR_NOMEM : ECRLINT_ERR_IO;
    return el_error_set(err, w->status, NULL, 0, 0, "%s",
                        nomem ? "out of memory" : "could not write the report");
}

/* A failed writer answers every later call with its first failure. */
static ecrlint_status failed_again(const ecrlint_writer *w, ecrlint_error *err)
{
    return el_error_set(err, w->status, NULL, 0, 0, "%s",
                        w->status == ECRLINT_ERR_NOMEM ? "out of memory"
                                                       : "could not write the report");
}

/* ecrlint_writer_new, with the status also when `err` is NULL. */
static ecrlint_writer *writer_new(const ecrlint_engine *engine, const char *format,
                                  const ecrlint_format_options *opt, ecrlint_write_fn write,
                                  void *userdata, ecrlint_error *err, ecrlint_status *st)
{
    const el_format *f = find_format(format);
    if (!f) {
        *st = unknown_format(format, err);
        return NULL;
    }
    if (!write) {
        *st = el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "invalid arguments");
        return NULL;
    }
    unsigned long failures_before = el_alloc_failures();
    ecrlint_writer *w = el_calloc(1, sizeof *w);
    if (w && f->state_size) {
        w->state = el_calloc(1, f->state_size);
        if (!w->state) {
            el_free(w);
            w = NULL;
        }
    }
    if (!w) {
        *st = el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    w->format = f;
    w->engine = engine;
    if (opt)
        w->opt = *opt;
    w->out.write = write;
    w->out.userdata = userdata;
    el_buf_init(&w->out.buf);
    /* Only buffered: nothing reaches the sink before the first result or finish. */
    bool ok = !f->begin || f->begin(w);
    *st = settle(w, ok, failures_before, err);
    if (*st != ECRLINT_OK) {
        ecrlint_writer_free(w);
        return NULL;
    }
    return w;
}

ecrlint_writer *ecrlint_writer_new(const ecrlint_engine *engine, const char *format,
                                   const ecrlint_format_options *options, ecrlint_write_fn write,
                                   void *userdata, ecrlint_error *err)
{
    ecrlint_status st;
    return writer_new(engine, format, options, write, userdata, err, &st);
}

/* Whether add or finish may go on: arguments given, no earlier failure, not finished. */
static ecrlint_status usable(const ecrlint_writer *w, bool args_ok, ecrlint_error *err)
{
    if (!w || !args_ok)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "invalid arguments");
    if (w->status != ECRLINT_OK)
        return failed_again(w, err);
    if (w->finished)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "the report is already finished");
    return ECRLINT_OK;
}

ecrlint_status ecrlint_writer_add(ecrlint_writer *w, const ecrlint_result *res, ecrlint_error *err)
{
    ecrlint_status st = usable(w, res != NULL, err);
    if (st != ECRLINT_OK)
        return st;
    unsigned long failures_before = el_alloc_failures();
    bool ok = w->format->add(w, res);
    summary_add(&w->summary, res, w->opt.min_severity, &w->last_record);
    w->added++;
    if (ok && w->out.buf.len > EL_FLUSH_AT)
        ok = el_out_flush(&w->out);
    return settle(w, ok, failures_before, err);
}

ecrlint_status ecrlint_writer_finish(ecrlint_writer *w, ecrlint_error *err)
{
    ecrlint_status st = usable(w, true, err);
    if (st != ECRLINT_OK)
        return st;
    unsigned long failures_before = el_alloc_failures();
    bool ok = (!w->format->end || w->format->end(w)) && el_out_flush(&w->out);
    w->finished = true;
    return settle(w, ok, failures_before, err);
}

void ecrlint_writer_summary(const ecrlint_writer *w, ecrlint_summary *out)
{
    if (w)
        *out = w->summary;
    else
        memset(out, 0, sizeof *out);
}

int ecrlint_writer_wants_facts(const ecrlint_writer *w)
{
    return w && w->format->wants_facts && w->format->wants_facts(&w->opt);
}

void ecrlint_writer_free(ecrlint_writer *w)
{
    if (!w)
        return;
    if (w->state && w->format->release)
        w->format->release(w->state);
    el_free(w->state);
    el_buf_free(&w->out.buf);
    el_free(w);
}

/* The same writer as a caller streaming its results would use: one code path per format. */
ecrlint_status ecrlint_report_write(const ecrlint_report *r, const char *format,
                                    const ecrlint_format_options *opt, ecrlint_write_fn write,
                                    void *userdata, ecrlint_error *err)
{
    if (!find_format(format))
        return unknown_format(format, err);
    if (!r || !write)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "invalid arguments");
    ecrlint_status st;
    ecrlint_writer *w = writer_new(r->engine, format, opt, write, userdata, err, &st);
    if (!w)
        return st;
    for (size_t i = 0; st == ECRLINT_OK && i < r->n; i++)
        st = ecrlint_writer_add(w, r->results[i], err);
    if (st == ECRLINT_OK)
        st = ecrlint_writer_finish(w, err);
    ecrlint_writer_free(w);
    return st;
}

/* report.c - a report: results in order, counts, and writing in a format. */
#include <string.h>

#include "report/el_format.h"

static const el_format *const formats[] = {&el_format_text,  &el_format_json,   &el_format_gcc,
                                            &el_format_sarif, &el_format_github, &el_format_junit};

ecrlint_report *ecrlint_report_new(const ecrlint_engine *engine)
{
    el_alloc_init();
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
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        ecrlint_result **p = el_realloc(r->results, cap * sizeof *p);
        if (!p) {
            ecrlint_result_free(res);
            return ECRLINT_ERR_NOMEM;
        }
        r->results = p;
        r->cap = cap;
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

bool el_diag_shown(const ecrlint_diag *d, const ecrlint_format_options *opt)
{
    return el_diag_level_ok(d, opt) && !el_diag_suppressed(d);
}

void ecrlint_report_summary(const ecrlint_report *r, ecrlint_severity min, ecrlint_summary *s)
{
    memset(s, 0, sizeof *s);
    ecrlint_format_options opt = {.min_severity = min};
    for (size_t i = 0; i < r->n; i++) {
        const ecrlint_result *res = r->results[i];
        s->files++;
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

void el_text_escape(el_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        /* Copy runs of printable ASCII at once: almost every message is nothing but. */
        const unsigned char *run = p;
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
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i]->name, format) == 0)
            return 1;
    return 0;
}

const char *ecrlint_format_names(void)
{
    return "text, json, gcc, sarif, github, junit";
}

ecrlint_status ecrlint_report_write(const ecrlint_report *r, const char *format,
                                    const ecrlint_format_options *opt, ecrlint_write_fn write,
                                    void *userdata, ecrlint_error *err)
{
    const el_format *f = NULL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (format && strcmp(formats[i]->name, format) == 0)
            f = formats[i];
    if (!f)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "unknown format '%s' (known: %s)",
                            format ? format : "(null)", ecrlint_format_names());
    if (!r || !write)
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "invalid arguments");
    ecrlint_format_options defaults = {0};
    unsigned long failures_before = el_alloc_failures();
    el_out o = {.write = write, .userdata = userdata};
    el_buf_init(&o.buf);
    bool ok = f->write(&o, r, opt ? opt : &defaults) && el_out_flush(&o);
    bool nomem = o.buf.failed || el_alloc_failures() != failures_before;
    if (nomem)
        ok = false;
    el_buf_free(&o.buf);
    if (!ok)
        return nomem ? el_error_set(err, ECRLINT_ERR_NOMEM, NULL, 0, 0, "out of memory")
                     : el_error_set(err, ECRLINT_ERR_IO, NULL, 0, 0, "could not write the report");
    return ECRLINT_OK;
}

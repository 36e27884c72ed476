/* el_format.h - the output formats: one file per format behind one small interface. The
 * driver (format.c) owns buffering; a format appends to `out` and calls el_out_flush when it
 * likes (at least once per file keeps memory flat for large reports). */
#ifndef EL_FORMAT_H
#define EL_FORMAT_H

#include "report/el_result.h"

struct ecrlint_report {
    const ecrlint_engine *engine;
    ecrlint_result **results;
    size_t n, cap;
};

typedef struct el_out {
    el_buf buf;
    ecrlint_write_fn write;
    void *userdata;
    bool failed; /* the sink refused data, or memory ran out */
} el_out;

/* Passes what is buffered to the sink; returns false once the sink has failed. */
bool el_out_flush(el_out *o);

typedef struct el_format {
    const char *name;
    const char *description;
    /* Writes the whole report; returns false on failure (the driver reports which). */
    bool (*write)(el_out *o, const ecrlint_report *r, const ecrlint_format_options *opt);
} el_format;

extern const el_format el_format_text;
extern const el_format el_format_json;
extern const el_format el_format_gcc;
extern const el_format el_format_sarif;
extern const el_format el_format_github;
extern const el_format el_format_junit;

/* Shared helpers for formats. */
/* Whether a finding passes the minimum severity and is not suppressed by a baseline. */
bool el_diag_shown(const ecrlint_diag *d, const ecrlint_format_options *opt);
/* Whether a finding passes the minimum severity (suppressed or not; for sarif). */
bool el_diag_level_ok(const ecrlint_diag *d, const ecrlint_format_options *opt);
/* Whether a finding (a pointer from a result's diags) was suppressed by a baseline. */
bool el_diag_suppressed(const ecrlint_diag *d);
/* Appends s with control characters made visible (\n, \x1b, ...): safe for a terminal. */
void el_text_escape(el_buf *b, const char *s);

#endif

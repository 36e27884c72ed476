/* el_format.h - the output formats: one file per format behind one small interface.
 *
 * A report is written through a writer (report.c), one result at a time: the format's begin()
 * when the writer is made, add() per result in report order, end() at ecrlint_writer_finish().
 * The writer owns the buffer and the sink: each step appends to `w->out.buf`, and the writer
 * passes the buffer to the sink whenever it holds more than EL_FLUSH_AT bytes after a result,
 * and at the end, so that memory does not grow with the report. A format may keep no pointer
 * into a result after add() returns: what it needs later is copied into its state. */
#ifndef EL_FORMAT_H
#define EL_FORMAT_H

#include "report/el_result.h"
#include "util/el_buf.h"

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

/* Bytes buffered before the writer passes them on. */
#define EL_FLUSH_AT 65536

/* Passes what is buffered to the sink; returns false once the sink has failed. */
bool el_out_flush(el_out *o);
/* Passes what is buffered, then data[0..len), to the sink without copying it into the buffer
 * (for large blocks held elsewhere, like junit's test cases). */
bool el_out_write(el_out *o, const char *data, size_t len);

struct el_format;

struct ecrlint_writer {
    const struct el_format *format;
    const ecrlint_engine *engine; /* borrowed; may be NULL */
    ecrlint_format_options opt;   /* a copy of the caller's (its strings are borrowed) */
    el_out out;
    ecrlint_summary summary;        /* over the results added so far */
    unsigned long long last_record; /* hash of the path of the last JSON Lines record, or 0 */
    size_t added;                   /* results added so far (before the current add()) */
    ecrlint_status status;          /* the first failure; every later call returns it */
    bool finished;
    void *state; /* the format's own: state_size bytes, zeroed at first */
};

typedef struct el_format {
    const char *name;
    const char *description;
    size_t state_size;
    /* Each step returns false on failure; the writer tells out-of-memory from a refusing sink
     * by the buffer's `failed` flag and the allocator's failure count. begin and end may be
     * NULL. */
    bool (*begin)(ecrlint_writer *w);
    bool (*add)(ecrlint_writer *w, const ecrlint_result *res);
    bool (*end)(ecrlint_writer *w);
    /* Frees what the state owns (not the state itself); may be NULL. Called whether or not
     * end() ran. */
    void (*release)(void *state);
    /* Whether add() reads the results' extra facts with these options; NULL: never. */
    bool (*wants_facts)(const ecrlint_format_options *opt);
} el_format;

extern const el_format el_format_text;
extern const el_format el_format_json;
extern const el_format el_format_gcc;
extern const el_format el_format_sarif;
extern const el_format el_format_github;
extern const el_format el_format_junit;

/* Shared helpers for formats. */
/* The confidence of a finding: its rule's ("high", "medium", "low"), or less when the shape
 * checked said so (a pack's shape "confidence"); NULL when the writer has no engine or the
 * rule is unknown to it. */
const char *el_diag_confidence(const ecrlint_writer *w, const ecrlint_diag *d);
/* Whether a finding states ECR's answer (an exception or failure) that is inferred: its
 * confidence (el_diag_confidence) is low. Text formats mark such messages "(inferred)". */
bool el_diag_inferred(const ecrlint_writer *w, const ecrlint_diag *d);
/* Appends the documentation link of rule `id` (opt->rules_url#id in lower case) to `b` (when
 * not NULL); returns false, appending nothing, when there is none (no rules_url, or not a
 * built-in rule). With `web`, only a web address (http, https) counts: reports that are read on
 * another machine (SARIF, GitHub annotations, JUnit) carry no file: link of this one. */
bool el_rule_link(el_buf *b, const ecrlint_format_options *opt, const char *id, bool web);
/* Whether a finding passes the minimum severity and is not suppressed by a baseline. */
bool el_diag_shown(const ecrlint_diag *d, const ecrlint_format_options *opt);
/* Whether a finding passes the minimum severity (suppressed or not; for sarif). */
bool el_diag_level_ok(const ecrlint_diag *d, const ecrlint_format_options *opt);
/* Whether a finding (a pointer from a result's diags) was suppressed by a baseline. */
bool el_diag_suppressed(const ecrlint_diag *d);
/* Appends s with control characters made visible (\n, \x1b, ...): safe for a terminal. */
void el_text_escape(el_buf *b, const char *s);
/* The same, of s[0..len), which is NUL-terminated there and holds no NUL before. */
void el_text_escape_n(el_buf *b, const char *s, size_t len);

#endif

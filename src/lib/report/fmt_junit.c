/* fmt_junit.c - JUnit XML, the subset CI servers read (GitLab, Jenkins, Buildkite, Azure):
 *
 *   <testsuites name="ecrlint" tests failures errors skipped time>
 *     <testsuite name="ecrlint" ...>
 *       <testcase classname=PATH name=PATH file=PATH time="0">   one per input file
 *         <failure type=RULE message=MESSAGE>PATH:LINE:COL: SEVERITY: MESSAGE [RULE]</failure>
 *         <error ...>       same, for an input that could not be checked (unreadable, not JSON)
 *         <skipped message=REASON/>   an input that is not an ECR document
 *         <system-out>      findings below the fail-on level, one line each
 *
 * A <failure> is written per finding at or above the fail-on level (ecrlint_format_options
 * .fail_on), so the test report fails exactly when the exit status does; findings below it are
 * listed in <system-out> and the test case passes. JSON Lines records of one file share its test
 * case (test names stay unique, which GitLab requires). Everything is XML-escaped; characters
 * XML 1.0 forbids are dropped and invalid UTF-8 becomes U+FFFD. Schema:
 * tests/tools/junit.xsd.
 *
 * junit is the one format whose memory grows with the report: the totals come first, as
 * attributes of <testsuites>, so every test case is held until ecrlint_writer_finish(). */
#include <string.h>

#include "report/el_format.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"

/* Appends s as XML character data or (attr) an attribute value in double quotes. */
static void xml(el_buf *b, const char *s, bool attr)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        const unsigned char *p = (const unsigned char *)s + i;
        unsigned char c = *p;
        if (c < 0x80) {
            i++;
            switch (c) {
            case '&':
                el_buf_puts(b, "&amp;");
                break;
            case '<':
                el_buf_puts(b, "&lt;");
                break;
            case '>':
                el_buf_puts(b, "&gt;");
                break;
            case '"':
                el_buf_puts(b, attr ? "&quot;" : "\"");
                break;
            case '\n':
                el_buf_puts(b, attr ? "&#10;" : "\n");
                break;
            case '\t':
                el_buf_puts(b, attr ? "&#9;" : "\t");
                break;
            case '\r':
                el_buf_puts(b, "&#13;");
                break;
            default:
                if (c >= 0x20 && c != 0x7F)
                    el_buf_putc(b, (char)c);
                /* other C0 controls are not allowed in XML 1.0; DEL is, but is dropped too */
                break;
            }
            continue;
        }
        size_t n = el_utf8_sequence(p, len - i);
        if (n == 0) {
            el_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD for a byte that is not UTF-8 */
            i++;
            continue;
        }
        /* U+FFFE and U+FFFF are not XML characters. */
        if (!(n == 3 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)))
            el_buf_append(b, (const char *)p, n);
        i += n;
    }
}

static void line(el_buf *b, const ecrlint_writer *w, const ecrlint_result *res,
                 const ecrlint_diag *d)
{
    xml(b, res->path, false);
    if (d->line > 0)
        el_buf_printf(b, ":%d:%d", d->line, d->column > 0 ? d->column : 1);
    else if (res->record_line > 0)
        el_buf_printf(b, ":%d:1", res->record_line);
    el_buf_printf(b, ": %s: ", ecrlint_severity_str(d->severity));
    xml(b, d->message, false);
    if (el_diag_inferred(w, d))
        el_buf_puts(b, " (inferred)");
    el_buf_printf(b, " [%s]", d->rule);
}

typedef enum outcome { PASSED, FAILED, ERRORED, SKIPPED } outcome;

/* The totals are attributes of the root element, known only at the end, so the test cases are
 * kept in `body` until then. A test case is the group of consecutive results with one path
 * (the JSON Lines records of one file); what the open group needs is copied, since a result is
 * freed once added. */
typedef struct junit_state {
    el_buf body; /* the closed test cases */
    size_t tests, counts[4];
    /* the open group */
    char *path; /* NULL when no group is open */
    size_t nresults;
    size_t first_ndiags;     /* of its first result: none makes a bare <testcase/> */
    char *first_skip_reason; /* of its first result */
    bool failed, errored, all_skipped;
    el_buf problems; /* its <failure> and <error> elements, in order */
    el_buf out;      /* its <system-out> lines */
} junit_state;

static void close_group(junit_state *st)
{
    if (!st->path)
        return;
    el_buf *b = &st->body;
    outcome oc = st->errored ? ERRORED : st->failed ? FAILED : st->all_skipped ? SKIPPED : PASSED;
    st->tests++;
    st->counts[oc]++;
    el_buf_puts(b, "    <testcase classname=\"");
    xml(b, st->path, true);
    el_buf_puts(b, "\" name=\"");
    xml(b, st->path, true);
    el_buf_puts(b, "\" file=\"");
    xml(b, st->path, true);
    el_buf_puts(b, "\" time=\"0\"");
    if (oc == PASSED && st->nresults == 1 && st->first_ndiags == 0) {
        el_buf_puts(b, "/>\n");
    } else {
        el_buf_puts(b, ">\n");
        if (oc == SKIPPED) {
            const char *why = st->first_skip_reason;
            el_buf_puts(b, "      <skipped message=\"");
            xml(b, why ? why : "not an ECR request, response or manifest", true);
            el_buf_puts(b, "\"/>\n");
        }
        el_buf_append(b, st->problems.data, st->problems.len);
        if (st->out.len) {
            el_buf_puts(b, "      <system-out>");
            el_buf_append(b, st->out.data, st->out.len);
            el_buf_puts(b, "</system-out>\n");
        }
        el_buf_puts(b, "    </testcase>\n");
    }
    if (st->problems.failed || st->out.failed)
        b->failed = true;
    el_free(st->path);
    el_free(st->first_skip_reason);
    st->path = st->first_skip_reason = NULL;
    el_buf_free(&st->problems);
    el_buf_free(&st->out);
}

static bool open_group(junit_state *st, const ecrlint_result *res)
{
    st->path = el_strdup(res->path);
    st->first_skip_reason = res->skip_reason ? el_strdup(res->skip_reason) : NULL;
    if (!st->path || (res->skip_reason && !st->first_skip_reason)) {
        el_free(st->path);
        el_free(st->first_skip_reason);
        st->path = st->first_skip_reason = NULL;
        return false;
    }
    st->nresults = 0;
    st->first_ndiags = res->ndiags;
    st->failed = st->errored = false;
    st->all_skipped = true;
    el_buf_init(&st->problems);
    el_buf_init(&st->out);
    return true;
}

static bool junit_add(ecrlint_writer *w, const ecrlint_result *res)
{
    junit_state *st = w->state;
    const ecrlint_format_options *opt = &w->opt;
    if (st->path && strcmp(st->path, res->path) != 0)
        close_group(st);
    if (!st->path && !open_group(st, res))
        return false;
    st->nresults++;
    if (res->kind != ECRLINT_KIND_SKIPPED)
        st->all_skipped = false;
    bool err = res->kind == ECRLINT_KIND_ERROR;
    for (size_t k = 0; k < res->ndiags; k++) {
        const ecrlint_diag *d = &res->diags[k].pub;
        if (!el_diag_shown(d, opt))
            continue;
        /* Any shown finding of an input that could not be checked makes the case an error. */
        if (err)
            st->errored = true;
        else if ((int)d->severity >= opt->fail_on)
            st->failed = true;
        if (!err && (int)d->severity < opt->fail_on) {
            line(&st->out, w, res, d);
            el_buf_putc(&st->out, '\n');
            continue;
        }
        el_buf *b = &st->problems;
        el_buf_puts(b, err ? "      <error type=\"" : "      <failure type=\"");
        xml(b, d->rule, true);
        el_buf_puts(b, "\" message=\"");
        xml(b, d->message, true);
        el_buf_puts(b, "\">");
        line(b, w, res, d);
        el_buf link;        /* the rule's documentation, on a line of the failure's text */
        char link_mem[256]; /* most links fit: no allocation */
        el_buf_init_in(&link, link_mem, sizeof link_mem);
        if (el_rule_link(&link, opt, d->rule, true)) {
            el_buf_puts(b, "\nsee ");
            if (link.failed)
                b->failed = true;
            else
                xml(b, link.data, false);
        }
        el_buf_free(&link);
        el_buf_puts(b, err ? "</error>\n" : "</failure>\n");
    }
    return !st->problems.failed && !st->out.failed && !st->body.failed;
}

static bool junit_end(ecrlint_writer *w)
{
    junit_state *st = w->state;
    el_buf *b = &w->out.buf;
    close_group(st);
    if (st->body.failed) {
        b->failed = true;
        return false;
    }
    char totals[160];
    snprintf(totals, sizeof totals,
             "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"0\"", st->tests,
             st->counts[FAILED], st->counts[ERRORED], st->counts[SKIPPED]);
    el_buf_printf(b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"ecrlint\" %s>\n"
                  "  <testsuite name=\"ecrlint\" %s>\n",
                  totals, totals);
    if (b->failed)
        return false;
    /* Straight from the body to the sink: no second copy of the largest block. */
    if (!el_out_write(&w->out, st->body.data, st->body.len))
        return false;
    el_buf_free(&st->body);
    el_buf_puts(b, "  </testsuite>\n</testsuites>\n");
    return !b->failed;
}

static void junit_release(void *state)
{
    junit_state *st = state;
    el_free(st->path);
    el_free(st->first_skip_reason);
    el_buf_free(&st->problems);
    el_buf_free(&st->out);
    el_buf_free(&st->body);
}

const el_format el_format_junit = {.name = "junit",
                                   .description = "JUnit XML: one test case per input file",
                                   .state_size = sizeof(junit_state),
                                   .add = junit_add,
                                   .end = junit_end,
                                   .release = junit_release};

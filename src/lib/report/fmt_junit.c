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
 * tests/tools/junit.xsd. */
#include <string.h>

#include "report/el_format.h"

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
            case '&': el_buf_puts(b, "&amp;"); break;
            case '<': el_buf_puts(b, "&lt;"); break;
            case '>': el_buf_puts(b, "&gt;"); break;
            case '"': el_buf_puts(b, attr ? "&quot;" : "\""); break;
            case '\n': el_buf_puts(b, attr ? "&#10;" : "\n"); break;
            case '\t': el_buf_puts(b, attr ? "&#9;" : "\t"); break;
            case '\r': el_buf_puts(b, "&#13;"); break;
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

static void line(el_buf *b, const ecrlint_result *res, const ecrlint_diag *d)
{
    xml(b, res->path, false);
    if (d->line > 0)
        el_buf_printf(b, ":%d:%d", d->line, d->column > 0 ? d->column : 1);
    else if (res->record_line > 0)
        el_buf_printf(b, ":%d:1", res->record_line);
    el_buf_printf(b, ": %s: ", ecrlint_severity_str(d->severity));
    xml(b, d->message, false);
    el_buf_printf(b, " [%s]", d->rule);
}

typedef enum outcome { PASSED, FAILED, ERRORED, SKIPPED } outcome;

/* Results [first, last) share one path (JSON Lines records of one file). */
static outcome judge(const ecrlint_report *r, size_t first, size_t last,
                     const ecrlint_format_options *opt)
{
    bool failed = false, all_skipped = true;
    for (size_t i = first; i < last; i++) {
        const ecrlint_result *res = r->results[i];
        if (res->kind != ECRLINT_KIND_SKIPPED)
            all_skipped = false;
        for (size_t k = 0; k < res->ndiags; k++) {
            const ecrlint_diag *d = &res->diags[k].pub;
            if (!el_diag_shown(d, opt))
                continue;
            if (res->kind == ECRLINT_KIND_ERROR)
                return ERRORED;
            if ((int)d->severity >= opt->fail_on)
                failed = true;
        }
    }
    return failed ? FAILED : all_skipped ? SKIPPED : PASSED;
}

static size_t group_end(const ecrlint_report *r, size_t first)
{
    size_t last = first + 1;
    while (last < r->n && strcmp(r->results[last]->path, r->results[first]->path) == 0)
        last++;
    return last;
}

static void write_case(el_buf *b, const ecrlint_report *r, size_t first, size_t last,
                       const ecrlint_format_options *opt)
{
    const char *path = r->results[first]->path;
    outcome oc = judge(r, first, last, opt);
    el_buf_puts(b, "    <testcase classname=\"");
    xml(b, path, true);
    el_buf_puts(b, "\" name=\"");
    xml(b, path, true);
    el_buf_puts(b, "\" file=\"");
    xml(b, path, true);
    el_buf_puts(b, "\" time=\"0\"");
    if (oc == PASSED && last - first == 1 && r->results[first]->ndiags == 0) {
        el_buf_puts(b, "/>\n");
        return;
    }
    el_buf_puts(b, ">\n");
    if (oc == SKIPPED) {
        const char *why = r->results[first]->skip_reason;
        el_buf_puts(b, "      <skipped message=\"");
        xml(b, why ? why : "not an ECR request, response or manifest", true);
        el_buf_puts(b, "\"/>\n");
    }
    el_buf out;
    el_buf_init(&out);
    for (size_t i = first; i < last; i++) {
        const ecrlint_result *res = r->results[i];
        for (size_t k = 0; k < res->ndiags; k++) {
            const ecrlint_diag *d = &res->diags[k].pub;
            if (!el_diag_shown(d, opt))
                continue;
            bool err = res->kind == ECRLINT_KIND_ERROR;
            if (!err && (int)d->severity < opt->fail_on) {
                line(&out, res, d);
                el_buf_putc(&out, '\n');
                continue;
            }
            el_buf_puts(b, err ? "      <error type=\"" : "      <failure type=\"");
            xml(b, d->rule, true);
            el_buf_puts(b, "\" message=\"");
            xml(b, d->message, true);
            el_buf_puts(b, "\">");
            line(b, res, d);
            el_buf_puts(b, err ? "</error>\n" : "</failure>\n");
        }
    }
    if (out.len) {
        el_buf_puts(b, "      <system-out>");
        el_buf_append(b, out.data, out.len);
        el_buf_puts(b, "</system-out>\n");
    }
    if (out.failed)
        b->failed = true;
    el_buf_free(&out);
    el_buf_puts(b, "    </testcase>\n");
}

static bool write_junit(el_out *o, const ecrlint_report *r, const ecrlint_format_options *opt)
{
    el_buf *b = &o->buf;
    size_t tests = 0, counts[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < r->n; i = group_end(r, i)) {
        tests++;
        counts[judge(r, i, group_end(r, i), opt)]++;
    }
    char totals[160];
    snprintf(totals, sizeof totals,
             "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"0\"", tests,
             counts[FAILED], counts[ERRORED], counts[SKIPPED]);
    el_buf_printf(b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"ecrlint\" %s>\n"
                  "  <testsuite name=\"ecrlint\" %s>\n",
                  totals, totals);
    for (size_t i = 0; i < r->n; i = group_end(r, i)) {
        write_case(b, r, i, group_end(r, i), opt);
        if (b->len > 65536 && !el_out_flush(o))
            return false;
    }
    el_buf_puts(b, "  </testsuite>\n</testsuites>\n");
    return !b->failed;
}

const el_format el_format_junit = {"junit", "JUnit XML: one test case per input file",
                                   write_junit};

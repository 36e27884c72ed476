/* fmt_github.c - GitHub Actions workflow commands, one annotation per finding:
 *   ::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=ID: TITLE::MESSAGE
 * error -> ::error, warning -> ::warning, info -> ::notice. Escaping is that of actions/toolkit
 * (packages/core/src/command.ts): escapeData for the message (% CR LF) and escapeProperty for
 * parameter values (also ':' and ','). GitHub shows columns only for single-line spans, so
 * endColumn is left out when the span covers several lines. Annotations do not fail a step:
 * the exit status does. */
#include <string.h>

#include "report/el_format.h"
#include "report/el_result.h"
#include "util/el_buf.h"

static void escape(el_buf *b, const char *s, bool property)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '%':
            el_buf_puts(b, "%25");
            break;
        case '\r':
            el_buf_puts(b, "%0D");
            break;
        case '\n':
            el_buf_puts(b, "%0A");
            break;
        case ':':
            if (property)
                el_buf_puts(b, "%3A");
            else
                el_buf_putc(b, ':');
            break;
        case ',':
            if (property)
                el_buf_puts(b, "%2C");
            else
                el_buf_putc(b, ',');
            break;
        default:
            if ((unsigned char)*p < 0x20 || *p == 0x7F) {
                /* Other control characters (ESC...) would reach the log raw: show them. */
                static const char hex[] = "0123456789abcdef";
                char esc[4] = {'\\', 'x', hex[(unsigned char)*p >> 4], hex[*p & 15]};
                el_buf_append(b, esc, 4);
            } else {
                el_buf_putc(b, *p);
            }
            break;
        }
    }
}

static bool github_add(ecrlint_writer *w, const ecrlint_result *res)
{
    el_buf *b = &w->out.buf;
    const ecrlint_format_options *opt = &w->opt;
    const char *path = res->path;
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    for (size_t k = 0; k < res->ndiags; k++) {
        const ecrlint_diag *d = &res->diags[k].pub;
        if (!el_diag_shown(d, opt))
            continue;
        el_buf_puts(b, d->severity == ECRLINT_SEVERITY_ERROR     ? "::error file="
                       : d->severity == ECRLINT_SEVERITY_WARNING ? "::warning file="
                                                                 : "::notice file=");
        escape(b, path, true);
        if (d->line > 0) {
            el_buf_printf(b, ",line=%d,col=%d", d->line, d->column > 0 ? d->column : 1);
            if (d->end_line > 0)
                el_buf_printf(b, ",endLine=%d", d->end_line);
            if (d->end_line == d->line && d->end_column > 0)
                el_buf_printf(b, ",endColumn=%d", d->end_column);
        } else if (res->record_line > 0) {
            el_buf_printf(b, ",line=%d", res->record_line);
        }
        el_buf_puts(b, ",title=");
        const ecrlint_rule_info *ri =
            w->engine ? ecrlint_engine_find_rule(w->engine, d->rule) : NULL;
        el_buf tb;
        el_buf_init(&tb);
        el_buf_puts(&tb, d->rule);
        if (ri && ri->title && *ri->title)
            el_buf_printf(&tb, ": %s", ri->title);
        if (tb.failed)
            b->failed = true;
        else
            escape(b, tb.data, true);
        el_buf_free(&tb);
        el_buf_puts(b, "::");
        escape(b, d->message, false);
        if (el_diag_inferred(w, d))
            el_buf_puts(b, " (inferred)");
        el_buf link;        /* the annotation's second line: the rule's documentation */
        char link_mem[256]; /* most links fit: no allocation */
        el_buf_init_in(&link, link_mem, sizeof link_mem);
        el_buf_puts(&link, "\nsee ");
        if (el_rule_link(&link, opt, d->rule, true)) {
            if (link.failed)
                b->failed = true;
            else
                escape(b, link.data, false);
        }
        el_buf_free(&link);
        el_buf_putc(b, '\n');
    }
    return !b->failed;
}

const el_format el_format_github = {.name = "github",
                                    .description = "GitHub Actions annotations (workflow commands)",
                                    .add = github_add};

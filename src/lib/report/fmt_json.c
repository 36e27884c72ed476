/* fmt_json.c - the JSON report, a versioned contract (ECRLINT_REPORT_VERSION; see README.md).
 * Written directly rather than through jansson so that key order is fixed and large reports
 * stream out file by file. */
#include <string.h>

#include "report/el_format.h"
#include "util/el_buf.h"

static void str(el_buf *b, const char *s)
{
    if (s)
        el_buf_json_string(b, s, strlen(s));
    else
        el_buf_puts(b, "null");
}

static bool json_begin(ecrlint_writer *w)
{
    el_buf *b = &w->out.buf;
    el_buf_printf(
        b, "{\"version\":%d,\"tool\":{\"name\":\"ecrlint\",\"version\":", ECRLINT_REPORT_VERSION);
    str(b, w->opt.tool_version ? w->opt.tool_version : ECRLINT_VERSION);
    el_buf_puts(b, ",\"rules\":");
    str(b, w->engine ? ecrlint_engine_rules_version(w->engine) : NULL);
    el_buf_puts(b, "},\"files\":[");
    return !b->failed;
}

static bool json_add(ecrlint_writer *w, const ecrlint_result *res)
{
    el_buf *b = &w->out.buf;
    const ecrlint_format_options *opt = &w->opt;
    el_buf_puts(b, w->added ? ",\n{\"path\":" : "\n{\"path\":");
    str(b, res->path);
    el_buf_puts(b, ",\"kind\":");
    str(b, ecrlint_kind_str(res->kind));
    el_buf_puts(b, ",\"operation\":");
    str(b, res->operation);
    if (res->record_line > 0)
        el_buf_printf(b, ",\"record\":%d", res->record_line);
    if (res->skip_reason) {
        el_buf_puts(b, ",\"reason\":");
        str(b, res->skip_reason);
        el_buf_puts(b, ",\"skipped\":{\"reason\":");
        str(b, res->skip_reason);
        if (res->skip_hint) {
            el_buf_puts(b, ",\"hint\":");
            str(b, res->skip_hint);
        }
        el_buf_putc(b, '}');
    }
    if (res->kind == ECRLINT_KIND_REQUEST) {
        /* the client's answer, before ECR's */
        el_buf_puts(b, ",\"client\":");
        if (res->client_name) {
            el_buf_puts(b, "{\"name\":");
            str(b, res->client_name);
            el_buf_puts(b, ",\"model\":");
            str(b, res->client_model);
            el_buf_puts(b, ",\"error\":");
            if (res->client_error) {
                el_buf_puts(b, "{\"message\":");
                str(b, res->client_error);
                el_buf_putc(b, '}');
            } else {
                el_buf_puts(b, "null");
            }
            el_buf_putc(b, '}');
        } else {
            el_buf_puts(b, "null");
        }
    }
    el_buf_puts(b, ",\"ecr\":{\"exception\":");
    if (res->exc_code) {
        el_buf_puts(b, "{\"code\":");
        str(b, res->exc_code);
        el_buf_puts(b, ",\"message\":");
        str(b, res->exc_message);
        el_buf_putc(b, '}');
    } else {
        el_buf_puts(b, "null");
    }
    el_buf_puts(b, ",\"failures\":[");
    const char *conf = ecrlint_result_confidence(res);
    for (size_t k = 0; k < res->nfailures; k++) {
        const ecrlint_failure *f = &res->failures[k];
        el_buf_puts(b, k ? ",{\"imageId\":" : "{\"imageId\":");
        el_buf_puts(b, f->image_id); /* already JSON, as given */
        el_buf_puts(b, ",\"failureCode\":");
        str(b, f->code);
        el_buf_puts(b, ",\"failureReason\":");
        str(b, f->reason);
        el_buf_putc(b, '}');
    }
    el_buf_putc(b, ']');
    if (conf) {
        el_buf_puts(b, ",\"confidence\":");
        str(b, conf);
    }
    el_buf_puts(b, "},\"diagnostics\":[");
    size_t shown = 0;
    for (size_t k = 0; k < res->ndiags; k++) {
        const ecrlint_diag *d = &res->diags[k].pub;
        if (!el_diag_shown(d, opt))
            continue;
        el_buf_puts(b, shown++ ? ",{\"rule\":" : "{\"rule\":");
        str(b, d->rule);
        el_buf_puts(b, ",\"severity\":");
        str(b, ecrlint_severity_str(d->severity));
        el_buf_puts(b, ",\"pointer\":");
        str(b, d->pointer);
        if (d->line > 0) {
            char t[EL_INT_TEXT];
            el_buf_puts(b, ",\"line\":");
            el_buf_puts(b, el_fmt_int(t, d->line));
            el_buf_puts(b, ",\"column\":");
            el_buf_puts(b, el_fmt_int(t, d->column));
            if (d->end_line > 0) {
                el_buf_puts(b, ",\"endLine\":");
                el_buf_puts(b, el_fmt_int(t, d->end_line));
                el_buf_puts(b, ",\"endColumn\":");
                el_buf_puts(b, el_fmt_int(t, d->end_column));
            }
        } else {
            el_buf_puts(b, ",\"line\":null,\"column\":null");
        }
        el_buf_puts(b, ",\"message\":");
        str(b, d->message);
        const char *dconf = el_diag_confidence(w, d);
        if (dconf) {
            el_buf_puts(b, ",\"confidence\":");
            str(b, dconf);
        }
        el_buf link;        /* the rule's documentation, as SARIF's helpUri */
        char link_mem[256]; /* most links fit: no allocation */
        el_buf_init_in(&link, link_mem, sizeof link_mem);
        if (el_rule_link(&link, &w->opt, d->rule, false)) {
            el_buf_puts(b, ",\"helpUri\":");
            if (link.failed)
                b->failed = true;
            else
                str(b, link.data);
        }
        el_buf_free(&link);
        el_buf_putc(b, '}');
    }
    el_buf_putc(b, ']');
    if (res->dropped)
        el_buf_printf(b, ",\"dropped\":%zu", res->dropped);
    if (res->extra_json && res->kind == ECRLINT_KIND_MANIFEST) {
        el_buf_puts(b, ",\"manifest\":");
        el_buf_puts(b, res->extra_json);
    }
    if (res->extra_json && res->kind == ECRLINT_KIND_IMAGE) {
        el_buf_puts(b, ",\"image\":");
        el_buf_puts(b, res->extra_json);
    }
    el_buf_putc(b, '}');
    return !b->failed;
}

static bool json_end(ecrlint_writer *w)
{
    el_buf *b = &w->out.buf;
    const ecrlint_summary s = w->summary;
    el_buf_printf(b,
                  "],\n\"summary\":{\"files\":%zu,\"records\":%zu,\"errors\":%zu,\"warnings\":%zu,"
                  "\"infos\":%zu,\"skipped\":%zu}}\n",
                  s.files, s.records, s.errors, s.warnings, s.infos, s.skipped);
    return !b->failed;
}

static bool json_wants_facts(const ecrlint_format_options *opt)
{
    (void)opt;
    return true; /* the "manifest" object */
}

const el_format el_format_json = {.name = "json",
                                  .description = "the versioned JSON report",
                                  .begin = json_begin,
                                  .add = json_add,
                                  .end = json_end,
                                  .wants_facts = json_wants_facts};

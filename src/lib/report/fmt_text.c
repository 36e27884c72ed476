/* fmt_text.c - the default format, for people: one finding per line,
 *   path:line:col: severity: message [RULE]
 * then, per input, what ECR would answer, and a summary. Colour only when asked (the CLI asks
 * on a terminal without NO_COLOR). */
#include <string.h>

#include "report/el_format.h"
#include "report/el_result.h"
#include "util/el_buf.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_DIM "\033[2m"

static const char *sev_color(ecrlint_severity s)
{
    return s == ECRLINT_SEVERITY_ERROR ? C_RED : s == ECRLINT_SEVERITY_WARNING ? C_YELLOW : C_CYAN;
}

/* `path` is the result's path, escaped once for all its lines. */
static void location(el_buf *b, const el_buf *path, const ecrlint_result *res,
                     const ecrlint_diag *d)
{
    el_buf_append(b, path->data, path->len);
    if (d && d->line > 0) {
        el_buf_putc(b, ':');
        el_buf_put_uint(b, (unsigned)d->line);
        el_buf_putc(b, ':');
        el_buf_put_uint(b, (unsigned)d->column);
    } else if (res->record_line > 0) {
        el_buf_putc(b, ':');
        el_buf_put_uint(b, (unsigned)res->record_line);
        el_buf_append(b, ":1", 2);
    }
}

/* Appends the decimal digits of v at p; returns the end. */
static char *put_dec(char *p, unsigned v)
{
    char tmp[EL_INT_TEXT];
    const char *s = el_fmt_uint(tmp, v);
    size_t n = (size_t)(tmp + EL_INT_TEXT - 1 - s);
    memcpy(p, s, n);
    return p + n;
}

/* One finding's line without colour, its known pieces written with one capacity check each
 * side of the message: a line per finding is the bulk of a large report. */
static void plain_line(el_buf *b, const el_buf *path, const ecrlint_result *res, const el_diag *dg,
                       bool inferred)
{
    const ecrlint_diag *d = &dg->pub;
    const char *sev = ecrlint_severity_str(d->severity);
    size_t sev_len = strlen(sev), rule_len = dg->rule_len;
    /* path, two numbers of at most 10 digits with their colons, ": ", severity, ": " */
    char *p = el_buf_reserve(b, path->len + 22 + 2 + sev_len + 2);
    if (!p)
        return;
    memcpy(p, path->data, path->len);
    p += path->len;
    if (d->line > 0) {
        *p++ = ':';
        p = put_dec(p, (unsigned)d->line);
        *p++ = ':';
        p = put_dec(p, (unsigned)d->column);
    } else if (res->record_line > 0) {
        *p++ = ':';
        p = put_dec(p, (unsigned)res->record_line);
        *p++ = ':';
        *p++ = '1';
    }
    *p++ = ':';
    *p++ = ' ';
    memcpy(p, sev, sev_len);
    p += sev_len;
    *p++ = ':';
    *p++ = ' ';
    el_buf_commit(b, p);
    el_text_escape_n(b, d->message, dg->message_len);
    if (inferred)
        el_buf_append(b, " (inferred)", 11);
    if (!(p = el_buf_reserve(b, rule_len + 4)))
        return;
    *p++ = ' ';
    *p++ = '[';
    memcpy(p, d->rule, rule_len);
    p += rule_len;
    *p++ = ']';
    *p++ = '\n';
    el_buf_commit(b, p);
}

/* The result's path escaped, made on first use: most results of a large run have no line. */
static const el_buf *escaped_path(el_buf *path, bool *made, const ecrlint_result *res)
{
    if (!*made) {
        el_text_escape(path, res->path);
        *made = true;
    }
    return path;
}

/* Under -v, a finding's documentation link on a line of its own below it. */
static void link_line(el_buf *b, const ecrlint_format_options *opt, const char *rule, bool color)
{
    if (!el_rule_link(NULL, opt, rule, false))
        return;
    el_buf_puts(b, color ? "    " C_DIM "see " : "    see ");
    el_rule_link(b, opt, rule, false);
    el_buf_puts(b, color ? C_RESET "\n" : "\n");
}

static bool text_add(ecrlint_writer *w, const ecrlint_result *res)
{
    el_buf *b = &w->out.buf;
    const ecrlint_format_options *opt = &w->opt;
    bool color = opt->color != 0;
    size_t shown = 0;
    char path_mem[256];
    el_buf path;
    el_buf_init_in(&path, path_mem, sizeof path_mem);
    bool made = false;
    for (size_t k = 0; k < res->ndiags; k++) {
        const ecrlint_diag *d = &res->diags[k].pub;
        if (!el_diag_shown(d, opt))
            continue;
        shown++;
        bool inferred = el_diag_inferred(w, d);
        if (!color) {
            plain_line(b, escaped_path(&path, &made, res), res, &res->diags[k], inferred);
            if (opt->verbose)
                link_line(b, opt, d->rule, false);
            continue;
        }
        el_buf_puts(b, C_BOLD);
        location(b, escaped_path(&path, &made, res), res, d);
        el_buf_puts(b, ": ");
        el_buf_puts(b, C_RESET);
        el_buf_puts(b, sev_color(d->severity));
        el_buf_puts(b, ecrlint_severity_str(d->severity));
        el_buf_puts(b, C_RESET ": ");
        el_text_escape(b, d->message);
        if (inferred)
            el_buf_puts(b, " (inferred)");
        el_buf_puts(b, " " C_DIM "[");
        el_buf_puts(b, d->rule);
        el_buf_puts(b, "]" C_RESET "\n");
        if (opt->verbose)
            link_line(b, opt, d->rule, true);
    }
    if (opt->verbose && res->kind == ECRLINT_KIND_SKIPPED) {
        location(b, escaped_path(&path, &made, res), res, NULL);
        el_buf_puts(b, ": skipped: ");
        el_text_escape(b, res->skip_reason ? res->skip_reason : "not an ECR document");
        if (res->skip_hint) {
            el_buf_puts(b, "; ");
            el_text_escape(b, res->skip_hint);
        }
        el_buf_putc(b, '\n');
    }
    if (res->dropped)
        el_buf_printf(b, "%s: note: %zu more findings not shown (limit reached)\n", res->path,
                      res->dropped);
    if (!opt->quiet && res->kind == ECRLINT_KIND_MANIFEST && res->extra_json) {
        /* One summary line per manifest: type, digest, size. */
        json_t *m = json_loads(res->extra_json, 0, NULL);
        if (m) {
            location(b, escaped_path(&path, &made, res), res, NULL);
            el_buf_printf(b, ": manifest: %s %s, %" JSON_INTEGER_FORMAT " bytes",
                          json_string_value(json_object_get(m, "mediaType"))
                              ? json_string_value(json_object_get(m, "mediaType"))
                              : "unknown type",
                          json_string_value(json_object_get(m, "digest"))
                              ? json_string_value(json_object_get(m, "digest"))
                              : "",
                          json_integer_value(json_object_get(m, "size")));
            /* an index or list has manifests, not layers */
            json_t *children = json_object_get(m, "manifests");
            json_t *layers = json_object_get(m, "layers");
            const char *mt = json_string_value(json_object_get(m, "mediaType"));
            bool index = mt && (strstr(mt, ".index.") || strstr(mt, ".list."));
            if (index && json_is_array(children))
                el_buf_printf(b, ", %zu manifest%s", json_array_size(children),
                              json_array_size(children) == 1 ? "" : "s");
            else if (json_is_integer(layers))
                el_buf_printf(b, ", %" JSON_INTEGER_FORMAT " layer%s", json_integer_value(layers),
                              json_integer_value(layers) == 1 ? "" : "s");
            /* "conforms" is to the manifest's own specification; ECR's refusal is separate */
            json_t *conf = json_object_get(m, "conforms");
            if (json_is_boolean(conf))
                el_buf_puts(b, json_is_true(conf) ? ", conforms to its specification"
                                                  : ", does not conform to its specification");
            if (res->exc_code)
                el_buf_puts(b, ", but ECR refuses it");
            el_buf_putc(b, '\n');
            json_decref(m);
        }
    }
    if (!opt->quiet && res->kind == ECRLINT_KIND_IMAGE && res->extra_json) {
        /* One summary line per image of a layout or archive, with ECR's answer to its push. */
        json_t *m = json_loads(res->extra_json, 0, NULL);
        size_t i;
        json_t *img;
        json_array_foreach(json_object_get(m, "images"), i, img)
        {
            location(b, escaped_path(&path, &made, res), res, NULL);
            el_buf_puts(b, ": image: ");
            el_text_escape(b, json_string_value(json_object_get(img, "summary"))
                                  ? json_string_value(json_object_get(img, "summary"))
                                  : "");
            el_buf_putc(b, '\n');
        }
        json_decref(m);
    }
    if (!opt->quiet && res->exc_code) {
        location(b, escaped_path(&path, &made, res), res, NULL);
        el_buf_puts(b, ": ECR would answer ");
        el_text_escape(b, res->exc_code);
        el_buf_puts(b, ": ");
        el_text_escape(b, res->exc_message ? res->exc_message : "");
        if (res->exc_conf == EL_CONF_LOW)
            el_buf_puts(b, " (inferred)");
        el_buf_putc(b, '\n');
    } else if (!opt->quiet && res->nfailures) {
        location(b, escaped_path(&path, &made, res), res, NULL);
        el_buf_printf(b, ": ECR would answer with %zu failure%s:", res->nfailures,
                      res->nfailures == 1 ? "" : "s");
        for (size_t k = 0; k < res->nfailures; k++) {
            el_buf_puts(b, k ? ", " : " ");
            el_text_escape(b, res->failures[k].code);
            el_buf_puts(b, " for ");
            el_text_escape(b, res->failures[k].image_id);
        }
        if (res->fail_conf == EL_CONF_LOW)
            el_buf_puts(b, " (inferred)");
        el_buf_putc(b, '\n');
    }
    bool ok = !b->failed && !path.failed;
    el_buf_free(&path);
    return ok;
}

static bool text_end(ecrlint_writer *w)
{
    el_buf *b = &w->out.buf;
    if (!w->opt.quiet) {
        /* The writer's running counts: the results themselves are gone by now. */
        const ecrlint_summary s = w->summary;
        el_buf_printf(b, "%zu file%s", s.files, s.files == 1 ? "" : "s");
        if (s.records) /* a JSON Lines file counts once; its requests are counted here */
            el_buf_printf(b, " (%zu JSON Lines record%s)", s.records, s.records == 1 ? "" : "s");
        el_buf_printf(b, " checked: %zu error%s, %zu warning%s, %zu info, %zu skipped\n", s.errors,
                      s.errors == 1 ? "" : "s", s.warnings, s.warnings == 1 ? "" : "s", s.infos,
                      s.skipped);
    }
    return !b->failed;
}

static bool text_wants_facts(const ecrlint_format_options *opt)
{
    return !opt->quiet; /* the line per manifest */
}

const el_format el_format_text = {.name = "text",
                                  .description = "one line per finding, for people (default)",
                                  .add = text_add,
                                  .end = text_end,
                                  .wants_facts = text_wants_facts};

/* gcc: the bare line format editors and problem matchers parse; nothing else. */
static bool gcc_add(ecrlint_writer *w, const ecrlint_result *res)
{
    el_buf *b = &w->out.buf;
    const ecrlint_format_options *opt = &w->opt;
    for (size_t k = 0; k < res->ndiags; k++) {
        const ecrlint_diag *d = &res->diags[k].pub;
        if (!el_diag_shown(d, opt))
            continue;
        el_text_escape(b, res->path);
        el_buf_putc(b, ':');
        el_buf_put_uint(b, (unsigned)(d->line > 0 ? d->line : 1));
        el_buf_putc(b, ':');
        el_buf_put_uint(b, (unsigned)(d->column > 0 ? d->column : 1));
        el_buf_puts(b, ": ");
        el_buf_puts(b, d->severity == ECRLINT_SEVERITY_INFO ? "note"
                                                            : ecrlint_severity_str(d->severity));
        el_buf_puts(b, ": ");
        el_text_escape(b, d->message);
        if (el_diag_inferred(w, d))
            el_buf_puts(b, " (inferred)");
        el_buf_puts(b, " [");
        el_buf_puts(b, d->rule);
        el_buf_puts(b, "]\n");
    }
    return !b->failed;
}

const el_format el_format_gcc = {.name = "gcc",
                                 .description =
                                     "path:line:col: severity: message [RULE], nothing else",
                                 .add = gcc_add};

/* fmt_sarif.c - SARIF 2.1.0 as GitHub code scanning ingests it (see
 * docs.github.com "SARIF support for code scanning" and the OASIS sarif-schema-2.1.0.json).
 *
 * One run, streamed: its "results" come first, written as the findings arrive, then "tool",
 * whose driver.rules lists the rules that have results in order of first appearance (JSON
 * member order means nothing to SARIF consumers, and this way only the rules seen need
 * remembering, not the results). Each result points to its rule by ruleId and ruleIndex.
 * Locations are relative references resolved against %SRCROOT% (absolute paths become file:
 * URIs); columns count code points, as the library does (run.columnKind). Findings suppressed
 * by a baseline stay in, with an external suppression, so that code scanning keeps their
 * alerts closed instead of reopening them. */
#include <stdio.h>
#include <string.h>

#include "report/el_format.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_text.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_MAX_DESCRIPTION 1024 /* GitHub's limit for fullDescription.text */

static void str(el_buf *b, const char *s)
{
    el_buf_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

/* A JSON string of s cut to at most `max` code points (with "..." when cut). */
static void str_max(el_buf *b, const char *s, size_t max)
{
    size_t len = strlen(s);
    if (el_utf8_length(s, len) <= max) {
        el_buf_json_string(b, s, len);
        return;
    }
    size_t off = 0;
    for (size_t n = 0; off < len && n < max - 3; n++) {
        size_t k = el_utf8_sequence((const unsigned char *)s + off, len - off);
        off += k ? k : 1;
    }
    el_buf cut;
    el_buf_init(&cut);
    el_buf_append(&cut, s, off);
    el_buf_puts(&cut, "...");
    if (cut.failed)
        b->failed = true;
    else
        el_buf_json_string(b, cut.data, cut.len);
    el_buf_free(&cut);
}

static const char *level(ecrlint_severity s)
{
    return s == ECRLINT_SEVERITY_ERROR     ? "error"
           : s == ECRLINT_SEVERITY_WARNING ? "warning"
                                           : "note";
}

static bool is_http_url(const char *s)
{
    return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0);
}

/* Appends `path` as a URI: percent-encoded UTF-8 bytes, '/' kept. Leading "./" is dropped.
 * Returns true when the path is absolute (the URI is then a file: URI). */
static bool put_uri(el_buf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (*path == '/')
            path++;
    }
    bool absolute = path[0] == '/';
    if (absolute)
        el_buf_puts(b, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            el_buf_putc(b, (char)c);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            el_buf_append(b, esc, 3);
        }
    }
    return absolute;
}

/* "maxResults below 1" -> "MaxResultsBelow1": reportingDescriptor.name, a readable identifier. */
static void put_name(el_buf *b, const char *title)
{
    el_buf name;
    el_buf_init(&name);
    bool up = true;
    for (const char *p = title; *p; p++) {
        char c = *p;
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum) {
            up = true;
            continue;
        }
        el_buf_putc(&name, up && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
        up = false;
        if (name.len >= 80)
            break;
    }
    if (name.failed)
        b->failed = true;
    else
        str(b, name.len ? name.data : "Rule");
    el_buf_free(&name);
}

static void put_rule(el_buf *b, const ecrlint_engine *engine, const ecrlint_format_options *opt,
                     const char *id)
{
    const ecrlint_rule_info *ri = engine ? ecrlint_engine_find_rule(engine, id) : NULL;
    el_buf_puts(b, "{\"id\":");
    str(b, id);
    if (!ri) {
        el_buf_puts(b, ",\"shortDescription\":{\"text\":");
        str(b, id);
        el_buf_puts(b, "},\"fullDescription\":{\"text\":");
        str(b, id);
        el_buf_puts(b, "},\"help\":{\"text\":");
        str(b, id);
        el_buf_puts(b, "}}");
        return;
    }
    const char *title = ri->title && *ri->title ? ri->title : id;
    el_buf_puts(b, ",\"name\":");
    put_name(b, title);
    el_buf_puts(b, ",\"shortDescription\":{\"text\":");
    str_max(b, title, SARIF_MAX_DESCRIPTION);
    el_buf_puts(b, "},\"fullDescription\":{\"text\":");
    str_max(b, ri->help && *ri->help ? ri->help : title, SARIF_MAX_DESCRIPTION);
    el_buf_puts(b, "},\"help\":{\"text\":");
    el_buf help;
    el_buf_init(&help);
    el_buf_puts(&help, ri->help && *ri->help ? ri->help : title);
    if (ri->exception && ri->exception_message)
        el_buf_printf(&help, "\nECR answers %s: %s", ri->exception, ri->exception_message);
    else if (ri->failure && ri->failure_reason)
        el_buf_printf(&help, "\nECR reports the image failure %s: %s", ri->failure,
                      ri->failure_reason);
    if (ri->source && *ri->source)
        el_buf_printf(&help, "\nSource: %s", ri->source);
    if (help.failed)
        b->failed = true;
    else
        str(b, help.data);
    el_buf_free(&help);
    el_buf_putc(b, '}');
    /* helpUri: the rule's own documentation (its anchor in the rule reference) when there is a
       reference to link to; otherwise the public page its facts come from */
    el_buf link;
    char link_mem[256]; /* most links fit: no allocation */
    el_buf_init_in(&link, link_mem, sizeof link_mem);
    if (el_rule_link(&link, opt, id, true)) {
        el_buf_puts(b, ",\"helpUri\":");
        if (link.failed)
            b->failed = true;
        else
            str(b, link.data);
    } else if (is_http_url(ri->source)) {
        el_buf_puts(b, ",\"helpUri\":");
        str(b, ri->source);
    }
    el_buf_free(&link);
    el_buf_printf(b, ",\"defaultConfiguration\":{\"level\":\"%s\"}", level(ri->severity));
    el_buf_puts(b, ",\"properties\":{\"tags\":[");
    str(b, ri->scope ? ri->scope : "ecrlint");
    el_buf_putc(b, ']');
    if (ri->confidence) {
        /* GitHub's precision scale: very-high, high, medium, low. */
        el_buf_puts(b, ",\"precision\":");
        str(b, ri->confidence);
    }
    el_buf_printf(b, ",\"problem.severity\":\"%s\"}}",
                  ri->severity == ECRLINT_SEVERITY_ERROR     ? "error"
                  : ri->severity == ECRLINT_SEVERITY_WARNING ? "warning"
                                                             : "recommendation");
}

/* FNV-1a, 64 bits: a fingerprint of what identifies a finding regardless of its line. */
static unsigned long long fnv(unsigned long long h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
        if (!*p)
            break;
    }
    return h;
}

static void put_result(const ecrlint_writer *w, el_buf *b, const ecrlint_result *res, size_t k,
                       size_t rule_index)
{
    const ecrlint_diag *d = &res->diags[k].pub;
    el_buf_puts(b, "{\"ruleId\":");
    str(b, d->rule);
    el_buf_printf(b, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":", rule_index,
                  level(d->severity));
    str(b, d->message);
    el_buf_puts(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"");
    bool absolute = put_uri(b, res->path);
    el_buf_putc(b, '"');
    if (!absolute)
        el_buf_puts(b, ",\"uriBaseId\":\"%SRCROOT%\"");
    el_buf_puts(b, "},\"region\":{");
    if (d->line > 0) {
        el_buf_printf(b, "\"startLine\":%d,\"startColumn\":%d", d->line,
                      d->column > 0 ? d->column : 1);
        if (d->end_line > 0 &&
            (d->end_line > d->line || (d->end_line == d->line && d->end_column > d->column)))
            el_buf_printf(b, ",\"endLine\":%d,\"endColumn\":%d", d->end_line, d->end_column);
    } else {
        /* The whole input (or JSON Lines record): its first line. */
        el_buf_printf(b, "\"startLine\":%d", res->record_line > 0 ? res->record_line : 1);
    }
    el_buf_puts(b, "}}");
    if (d->pointer && *d->pointer) {
        el_buf_puts(b, ",\"logicalLocations\":[{\"fullyQualifiedName\":");
        str(b, d->pointer);
        el_buf_puts(b, ",\"kind\":\"member\"}]");
    }
    el_buf_puts(b, "}]");
    /* Same rule at the same pointer of the same input: numbered in order. */
    size_t occurrence = 1;
    for (size_t i = 0; i < k; i++)
        if (strcmp(res->diags[i].pub.rule, d->rule) == 0 &&
            strcmp(res->diags[i].pub.pointer, d->pointer) == 0)
            occurrence++;
    char rec[32];
    snprintf(rec, sizeof rec, "%d", res->record_line);
    unsigned long long h = 14695981039346656037ULL;
    h = fnv(fnv(fnv(fnv(h, d->rule), res->path), d->pointer), rec);
    el_buf_printf(b, ",\"partialFingerprints\":{\"ecrlintFinding/v1\":\"%016llx:%zu\"}", h,
                  occurrence);
    /* The confidence of the finding's ECR answer (the rule's precision, per result). */
    const char *conf = el_diag_confidence(w, d);
    if (conf) {
        el_buf_puts(b, ",\"properties\":{\"confidence\":");
        str(b, conf);
        el_buf_putc(b, '}');
    }
    if (el_diag_suppressed(d))
        el_buf_puts(b, ",\"suppressions\":[{\"kind\":\"external\",\"status\":\"accepted\","
                       "\"justification\":\"recorded in the ecrlint baseline\"}]");
    el_buf_putc(b, '}');
}

/* The rules seen so far, in order of first appearance: a result's ruleIndex is its rule's
 * place here, known as soon as the result is written. The ids are copies: those of findings
 * belong to their results, which are freed once written. */
typedef struct sarif_state {
    char **ids;
    size_t nids, cap;
    size_t shown; /* results written */
} sarif_state;

/* The index of rule `id`, added when new; false when memory ran out. */
static bool rule_index(sarif_state *st, const char *id, size_t *index)
{
    /* A report names few distinct rules (at most those of the engine): a linear search. */
    for (size_t i = st->nids; i-- > 0;) {
        if (strcmp(st->ids[i], id) == 0) {
            *index = i;
            return true;
        }
    }
    if (!el_grow(&st->ids, &st->cap, st->nids + 1, sizeof *st->ids, 32))
        return false;
    char *copy = el_strdup(id);
    if (!copy)
        return false;
    st->ids[st->nids] = copy;
    *index = st->nids++;
    return true;
}

static bool sarif_begin(ecrlint_writer *w)
{
    el_buf *b = &w->out.buf;
    el_buf_puts(b, "{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\",\"runs\":[{"
                   "\"results\":[");
    return !b->failed;
}

static bool sarif_add(ecrlint_writer *w, const ecrlint_result *res)
{
    el_buf *b = &w->out.buf;
    sarif_state *st = w->state;
    for (size_t k = 0; k < res->ndiags; k++) {
        const ecrlint_diag *d = &res->diags[k].pub;
        if (!el_diag_level_ok(d, &w->opt))
            continue;
        size_t index;
        if (!rule_index(st, d->rule, &index))
            return false;
        el_buf_puts(b, st->shown++ ? ",\n" : "\n");
        put_result(w, b, res, k, index);
    }
    return !b->failed;
}

static bool sarif_end(ecrlint_writer *w)
{
    el_buf *b = &w->out.buf;
    const sarif_state *st = w->state;
    const char *version = w->opt.tool_version ? w->opt.tool_version : ECRLINT_VERSION;
    el_buf_puts(b, "],\"columnKind\":\"unicodeCodePoints\",\"tool\":{\"driver\":{"
                   "\"name\":\"ecrlint\",\"version\":");
    str(b, version);
    el_buf_puts(b, ",\"semanticVersion\":");
    str(b, ECRLINT_VERSION);
    if (w->engine && ecrlint_engine_rules_version(w->engine)) {
        el_buf_puts(b, ",\"properties\":{\"rulesVersion\":");
        str(b, ecrlint_engine_rules_version(w->engine));
        el_buf_putc(b, '}');
    }
#ifdef ECRLINT_HOMEPAGE
    /* tool.driver.informationUri: the project's home page, set at build time */
    el_buf_puts(b, ",\"informationUri\":");
    el_buf_json_string(b, ECRLINT_HOMEPAGE, strlen(ECRLINT_HOMEPAGE));
#endif
    el_buf_puts(b, ",\"rules\":[");
    for (size_t i = 0; i < st->nids; i++) {
        el_buf_puts(b, i ? ",\n" : "\n");
        put_rule(b, w->engine, &w->opt, st->ids[i]);
    }
    el_buf_puts(b, "]}}}]}\n");
    return !b->failed;
}

static void sarif_release(void *state)
{
    sarif_state *st = state;
    for (size_t i = 0; i < st->nids; i++)
        el_free(st->ids[i]);
    el_free(st->ids);
}

const el_format el_format_sarif = {.name = "sarif",
                                   .description = "SARIF 2.1.0 for GitHub code scanning",
                                   .state_size = sizeof(sarif_state),
                                   .begin = sarif_begin,
                                   .add = sarif_add,
                                   .end = sarif_end,
                                   .release = sarif_release};

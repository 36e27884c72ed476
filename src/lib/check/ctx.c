/* ctx.c - the per-input check context: made and freed, marked and rewound, and the findings
 * placed in the text once the checks are done (check/el_ctx.h). */
#include <string.h>

#include "check/el_ctx.h"
#include "report/el_result.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_locate.h"
#include "util/el_text.h"

void el_ctx_init(el_ctx *cx, const el_ruleset *rs, const ecrlint_check_options *opt,
                 ecrlint_result *res)
{
    memset(cx, 0, sizeof *cx);
    cx->rs = rs;
    cx->opt = opt;
    cx->res = res;
    cx->max_depth =
        opt && opt->limits.max_depth ? opt->limits.max_depth : ECRLINT_DEFAULT_MAX_DEPTH;
    el_buf_init(&cx->scratch);
}

void el_ctx_free(el_ctx *cx)
{
    el_free(cx->late_code);
    el_free(cx->late_message);
    cx->late_code = cx->late_message = NULL;
    el_buf_free(&cx->scratch);
}

void el_ctx_mark_set(const el_ctx *cx, el_ctx_mark *m)
{
    el_result_mark_set(cx->res, &m->res);
    m->had_late = cx->late_code != NULL;
}

void el_ctx_rewind(el_ctx *cx, const el_ctx_mark *m)
{
    el_result_rewind(cx->res, &m->res);
    if (!m->had_late) {
        el_free(cx->late_code);
        el_free(cx->late_message);
        cx->late_code = cx->late_message = NULL;
    }
    cx->match.nrunaway = 0;
    cx->item.failed = false;
}

/* ---- placing findings ----------------------------------------------------------------------- */

/* Unplaced findings of an input up to this many are listed on the stack (most inputs have a
 * few). */
#define PLACE_SMALL 16

/* An offset in a document's text to turn into a column, and where the column goes. */
typedef struct col_target {
    size_t offset;
    int *column;
} col_target;

static int cmp_target(const void *a, const void *b)
{
    size_t x = ((const col_target *)a)->offset, y = ((const col_target *)b)->offset;
    return x < y ? -1 : x > y;
}

/* Places the findings idx[0..n) inside the document held by the string whose literal is
 * text[outer->offset .. outer->end_offset) (one pointer for all of them): each at the
 * character of the file that writes the offending one of the document, through the string's
 * escapes. A finding about the whole document, or whose pointer is not in it, stays at the
 * string. Returns false when memory ran out. */
static bool place_inner(el_ctx *cx, const char *text, const el_span *outer, const size_t *idx,
                        size_t n)
{
    ecrlint_result *r = cx->res;
    for (size_t j = 0; j < n; j++) {
        ecrlint_diag *d = &r->diags[idx[j]].pub;
        d->line = outer->line;
        d->column = outer->column;
        d->end_line = outer->end_line;
        d->end_column = outer->end_column;
        r->diags[idx[j]].placed = true;
    }
    if (outer->line != outer->end_line || outer->end_offset <= outer->offset ||
        text[outer->offset] != '"')
        return true; /* not a string on one line: the string's span is all there is */
    const char *lit = text + outer->offset;
    size_t litlen = outer->end_offset - outer->offset;
    el_buf doc;
    el_buf_init(&doc);
    el_locate_req *reqs = el_calloc(n, sizeof *reqs);
    col_target *targets = el_calloc(2 * n, sizeof *targets);
    size_t *offsets = el_calloc(2 * n, sizeof *offsets);
    size_t *cols = el_calloc(2 * n, sizeof *cols);
    bool ok = reqs && targets && offsets && cols && el_string_decode(lit, litlen, &doc);
    size_t nreq = 0;
    for (size_t j = 0; ok && j < n; j++) {
        const el_diag *dg = &r->diags[idx[j]];
        if (dg->inner_at || !dg->inner_len)
            continue;
        reqs[nreq].pointer = dg->inner;
        reqs[nreq].pointer_len = dg->inner_len;
        reqs[nreq].what = dg->what;
        nreq++;
    }
    if (ok && nreq)
        ok = el_locate_all(doc.data, doc.len, reqs, nreq, 1, 1, cx->max_depth, false);
    size_t nt = 0, q = 0;
    for (size_t j = 0; ok && j < n; j++) {
        const el_diag *dg = &r->diags[idx[j]];
        size_t start, end;
        if (dg->inner_at) {
            start = end = dg->inner_at - 1;
        } else if (!dg->inner_len) {
            continue; /* the whole document: the string */
        } else {
            const el_locate_req *rq = &reqs[q++];
            if (!rq->span.line)
                continue;
            start = rq->span.offset;
            end = rq->span.end_offset;
        }
        targets[nt++] = (col_target){start, &r->diags[idx[j]].pub.column};
        targets[nt++] = (col_target){end, &r->diags[idx[j]].pub.end_column};
        r->diags[idx[j]].pub.end_line = outer->line;
    }
    if (ok && nt) {
        el_sort(targets, nt, sizeof *targets, cmp_target);
        for (size_t k = 0; k < nt; k++)
            offsets[k] = targets[k].offset;
        el_string_columns(lit, litlen, offsets, nt, cols);
        for (size_t k = 0; k < nt; k++)
            *targets[k].column = outer->column + (int)cols[k];
    }
    el_buf_free(&doc);
    el_free(reqs);
    el_free(targets);
    el_free(offsets);
    el_free(cols);
    return ok;
}

/* The line and column of byte `off` of text, whose first byte is on line first_line: columns
 * in characters, as el_locate_all counts them. */
static void offset_position(const char *text, size_t len, size_t off, int first_line, int *line,
                            int *column)
{
    int l = first_line, c = 1;
    for (size_t i = 0; i < off && i < len;) {
        size_t k = 1;
        if (text[i] == '\n') {
            l++;
            c = 0;
        } else if ((unsigned char)text[i] >= 0x80) {
            k = el_utf8_sequence((const unsigned char *)text + i, len - i);
            k = k ? k : 1;
        }
        i += k;
        c++;
    }
    *line = l;
    *column = c;
}

ecrlint_status el_ctx_place(el_ctx *cx, const char *text, size_t len, int first_line)
{
    ecrlint_result *r = cx->res;
    size_t n = 0;
    for (size_t i = 0; i < r->ndiags; i++)
        if (!r->diags[i].placed)
            n++;
    if (n == 0)
        return ECRLINT_OK;
    el_locate_req reqs_small[PLACE_SMALL];
    size_t idx_small[PLACE_SMALL];
    bool heap = n > PLACE_SMALL;
    el_locate_req *reqs = heap ? el_calloc(n, sizeof *reqs) : reqs_small;
    size_t *idx = heap ? el_calloc(n, sizeof *idx) : idx_small;
    if (!reqs || !idx) {
        el_free(reqs);
        el_free(idx);
        return ECRLINT_ERR_NOMEM;
    }
    size_t k = 0;
    bool any_inner = false;
    for (size_t i = 0; i < r->ndiags; i++) {
        if (r->diags[i].placed)
            continue;
        if (!r->diags[i].inner && r->diags[i].inner_at) {
            /* At a byte offset of the text (el_report_offset) */
            ecrlint_diag *d = &r->diags[i].pub;
            offset_position(text, len, r->diags[i].inner_at - 1, first_line, &d->line, &d->column);
            d->end_line = d->line;
            d->end_column = d->column;
            r->diags[i].placed = true;
            n--;
            continue;
        }
        if (!r->diags[i].pub.pointer[0]) {
            /* The whole document: its start, without scanning to its end. */
            r->diags[i].pub.line = first_line;
            r->diags[i].pub.column = 1;
            r->diags[i].placed = true;
            n--;
            continue;
        }
        reqs[k].pointer = r->diags[i].pub.pointer;
        reqs[k].pointer_len = r->diags[i].pointer_len;
        /* a finding inside a string's document: the string first */
        reqs[k].what = r->diags[i].inner ? EL_LOCATE_VALUE : r->diags[i].what;
        any_inner |= r->diags[i].inner != NULL;
        idx[k++] = i;
    }
    bool ok =
        n == 0 || el_locate_all(text, len, reqs, n, first_line, 1, cx->max_depth, cx->unique_keys);
    if (ok) {
        for (size_t j = 0; j < n; j++) {
            if (r->diags[idx[j]].inner)
                continue;
            ecrlint_diag *d = &r->diags[idx[j]].pub;
            d->line = reqs[j].span.line;
            d->column = reqs[j].span.column;
            d->end_line = reqs[j].span.end_line;
            d->end_column = reqs[j].span.end_column;
            r->diags[idx[j]].placed = true;
        }
    }
    /* Findings inside documents held by strings, one string at a time: those of a string are
     * gathered in grp, and crossed out in idx. */
    size_t *grp = ok && any_inner ? el_malloc(n * sizeof *grp) : NULL;
    if (ok && any_inner && !grp)
        ok = false;
    for (size_t j = 0; ok && any_inner && j < n; j++) {
        size_t first = idx[j];
        if (first == SIZE_MAX || !r->diags[first].inner)
            continue;
        size_t m = 0;
        for (size_t i = j; i < n; i++)
            if (idx[i] != SIZE_MAX && r->diags[idx[i]].inner &&
                r->diags[idx[i]].pointer_len == r->diags[first].pointer_len &&
                strcmp(r->diags[idx[i]].pub.pointer, r->diags[first].pub.pointer) == 0) {
                grp[m++] = idx[i];
                idx[i] = SIZE_MAX;
            }
        if (reqs[j].span.line)
            ok = place_inner(cx, text, &reqs[j].span, grp, m);
        for (size_t i = 0; i < m; i++)
            r->diags[grp[i]].placed = true;
    }
    el_free(grp);
    if (heap) {
        el_free(reqs);
        el_free(idx);
    }
    return ok ? ECRLINT_OK : ECRLINT_ERR_NOMEM;
}

/* ctx.c - the per-input check context: made and freed, marked and rewound, and the findings
 * placed in the text once the checks are done (check/el_ctx.h). */
#include <string.h>

#include "check/el_ctx.h"
#include "report/el_result.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_locate.h"

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
    for (size_t i = 0; i < r->ndiags; i++) {
        if (r->diags[i].placed)
            continue;
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
        reqs[k].what = r->diags[i].what;
        idx[k++] = i;
    }
    bool ok =
        n == 0 || el_locate_all(text, len, reqs, n, first_line, 1, cx->max_depth, cx->unique_keys);
    if (ok) {
        for (size_t j = 0; j < n; j++) {
            ecrlint_diag *d = &r->diags[idx[j]].pub;
            d->line = reqs[j].span.line;
            d->column = reqs[j].span.column;
            d->end_line = reqs[j].span.end_line;
            d->end_column = reqs[j].span.end_column;
            r->diags[idx[j]].placed = true;
        }
    }
    if (heap) {
        el_free(reqs);
        el_free(idx);
    }
    return ok ? ECRLINT_OK : ECRLINT_ERR_NOMEM;
}

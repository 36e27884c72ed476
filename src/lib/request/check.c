/* check.c - checking one input: framing, parsing, choosing what it is, and reporting.
 *
 * The order of work mirrors how ECR reads a request: the body is framed and parsed first
 * (problems there are SerializationException), then the operation's constraints are checked
 * in the model's member order (the first violation is the InvalidParameterException ECR
 * answers with), and lint findings that do not change the answer come along the way. */
#include <limits.h>
#include <string.h>

#include "check/el_ctx.h"
#include "manifest/el_manifest.h"
#include "report/el_result.h"
#include "request/el_http.h"
#include "request/el_request.h"
#include "rules/el_engine.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"
#include "util/el_json.h"
#include "util/el_locate.h"

/* ---- templates ------------------------------------------------------------------------------ */

/* Is the variable `var` (NUL-terminated) the placeholder name[0..len)? Byte by byte: names
 * are a few bytes, and a mismatch shows in the first one or two. */
static bool var_is(const char *var, const char *name, size_t len)
{
    if (!len)
        return false;
    for (size_t k = 0; k < len; k++)
        if (var[k] != name[k]) /* var's NUL stops it: name has none in 0..len */
            return false;
    return var[len] == '\0';
}

static const char *var_lookup(const el_var *vars, const el_lazy_var *lazy, const char *name,
                              size_t len)
{
    for (const el_var *v = vars; v && v->name; v++)
        if (var_is(v->name, name, len))
            return v->value ? v->value : "";
    for (const el_lazy_var *v = lazy; v && v->name; v++)
        if (var_is(v->name, name, len)) {
            const char *s = v->make(v->arg);
            return s ? s : "";
        }
    return NULL;
}

/* Joins a split template with the values of its placeholders from `vars` (then `lazy`);
 * unknown placeholders stay as written. */
static void expand(el_buf *b, const el_tpl *tpl, const el_var *vars, const el_lazy_var *lazy)
{
    for (size_t i = 0; i < tpl->n; i++) {
        const el_tpl_part *part = &tpl->parts[i];
        const char *v = part->var ? var_lookup(vars, lazy, part->text + 1, part->len - 2) : NULL;
        if (v)
            el_buf_puts(b, v);
        else
            el_buf_append(b, part->text, part->len);
    }
}

/* ---- reporting ------------------------------------------------------------------------------ */

bool el_rule_on(const el_ctx *cx, const char *rule_id)
{
    const ecrlint_check_options *o = cx->opt;
    return !o || !o->rule_enabled || o->rule_enabled(rule_id, o->rule_userdata);
}

void el_ctx_set_extra(el_ctx *cx, json_t *obj)
{
    if (!obj)
        return;
    el_buf text;
    el_buf_init(&text);
    bool ok = el_buf_json_value(&text, obj);
    json_decref(obj);
    if (!ok) {
        el_buf_free(&text);
        cx->status = ECRLINT_ERR_NOMEM;
        return;
    }
    el_free(cx->res->extra_json);
    cx->res->extra_json = el_buf_take(&text);
    if (!cx->res->extra_json)
        cx->status = ECRLINT_ERR_NOMEM;
}

static const char *remap(const el_ctx *cx, const char *id)
{
    if (cx->op)
        for (size_t i = 0; i < cx->op->nremaps; i++)
            if (strcmp(cx->op->remaps[i].from, id) == 0)
                return cx->op->remaps[i].to;
    return id;
}

static ecrlint_status report_impl(el_ctx *cx, const char *rule_id, const char *pointer,
                                  el_locate_what what, bool placed, int line, int column,
                                  const el_var *vars)
{
    if (cx->status != ECRLINT_OK)
        return cx->status;
    const el_rule *rule;
    if (rule_id == cx->last.id && cx->op == cx->last.op) {
        rule_id = cx->last.mapped;
        rule = cx->last.rule;
    } else {
        const char *given = rule_id;
        rule_id = remap(cx, rule_id);
        rule = el_ruleset_find(cx->rs, rule_id);
        if (!rule)
            return cx->status = ECRLINT_ERR_INTERNAL;
        cx->last.id = given;
        cx->last.op = cx->op;
        cx->last.mapped = rule_id;
        cx->last.rule = rule;
    }
    if (!el_rule_on(cx, rule_id))
        return ECRLINT_OK;
    const ecrlint_rule_info *ri = &rule->info;

    char exc_mem[256], reason_mem[256], msg_mem[512];
    el_buf exc, reason, msg;
    el_buf_init_in(&exc, exc_mem, sizeof exc_mem);
    el_buf_init_in(&reason, reason_mem, sizeof reason_mem);
    el_buf_init_in(&msg, msg_mem, sizeof msg_mem);
    /* The exception and failure texts are made only when something uses them: the message
     * (rules without one of their own), or the predicted answer, which takes the first
     * exception and one failure per item. */
    ecrlint_result *res = cx->res;
    bool want_exc = ri->exception_message &&
                    (!rule->message ||
                     (cx->predict && (rule->after_validation ? !cx->late_code : !res->exc_code)));
    bool want_reason = ri->failure_reason &&
                       (!rule->message || (cx->predict && ri->failure && cx->item && !cx->item_failed));
    if (want_exc)
        expand(&exc, &rule->exception_tpl, vars, cx->lazy);
    if (want_reason)
        expand(&reason, &rule->reason_tpl, vars, cx->lazy);
    /* The message: "<embedding pointer><pointer>: " inside an embedded document, then the text */
    if (cx->embed_pointer) {
        el_buf_puts(&msg, cx->embed_pointer);
        el_buf_puts(&msg, pointer ? pointer : "");
        el_buf_append(&msg, ": ", 2);
    }
    if (rule->message) {
        expand(&msg, &rule->message_tpl, vars, cx->lazy);
    } else if (ri->exception) {
        el_buf_puts(&msg, ri->exception);
        el_buf_append(&msg, ": ", 2);
        el_buf_append(&msg, exc.data ? exc.data : "", exc.data ? exc.len : 0);
    } else if (ri->failure) {
        el_buf_append(&msg, "failure ", 8);
        el_buf_puts(&msg, ri->failure);
        el_buf_append(&msg, ": ", 2);
        el_buf_append(&msg, reason.data ? reason.data : "", reason.data ? reason.len : 0);
    } else {
        el_buf_puts(&msg, ri->title);
    }
    ecrlint_status st = ECRLINT_OK;
    if (exc.failed || reason.failed || msg.failed) {
        st = ECRLINT_ERR_NOMEM;
        goto out;
    }
    if (cx->predict) {
        if (ri->exception && rule->after_validation) {
            /* A service-side check (a digest comparison): ECR gets there only once the request
             * has passed validation, whatever the member order. */
            if (!cx->late_code && (!el_result_set_string(&cx->late_code, ri->exception) ||
                                   !el_result_set_string(&cx->late_message,
                                                         exc.data ? exc.data : ""))) {
                st = ECRLINT_ERR_NOMEM;
                goto out;
            }
        } else if (ri->exception && !res->exc_code &&
                   !el_result_set_exception(res, ri->exception, exc.data ? exc.data : "")) {
            st = ECRLINT_ERR_NOMEM;
            goto out;
        }
        if (ri->failure && cx->item && !cx->item_failed) {
            /* the imageId as given, compact */
            char id_mem[256];
            el_buf id;
            el_buf_init_in(&id, id_mem, sizeof id_mem);
            bool ok = el_buf_json_value(&id, cx->item) &&
                      el_result_add_failure(res, id.data, ri->failure,
                                            reason.data ? reason.data : "", el_item_pointer(cx));
            el_buf_free(&id);
            if (!ok) {
                st = ECRLINT_ERR_NOMEM;
                goto out;
            }
            cx->item_failed = true;
        }
    }
    bool dropped;
    const char *where = cx->embed_pointer ? cx->embed_pointer : pointer;
    el_diag *d = el_result_add_diag_n(res, ri->id, ri->severity, where, msg.data ? msg.data : "",
                                      msg.len, &dropped);
    if (!d && !dropped) {
        st = ECRLINT_ERR_NOMEM;
        goto out;
    }
    if (d) {
        d->what = cx->embed_pointer ? EL_LOCATE_VALUE : what;
        if (placed) {
            d->placed = true;
            d->pub.line = line;
            d->pub.column = column;
        }
    }
out:
    el_buf_free(&exc);
    el_buf_free(&reason);
    el_buf_free(&msg);
    if (st != ECRLINT_OK)
        cx->status = st;
    return st;
}

ecrlint_status el_report(el_ctx *cx, const char *rule_id, const char *pointer,
                         el_locate_what what, const el_var *vars)
{
    return report_impl(cx, rule_id, pointer, what, false, 0, 0, vars);
}

ecrlint_status el_report_at(el_ctx *cx, const char *rule_id, int line, int column,
                            const el_var *vars)
{
    return report_impl(cx, rule_id, "", EL_LOCATE_VALUE, true, line, column, vars);
}

/* ---- placing findings ----------------------------------------------------------------------- */

/* Unplaced findings of an input up to this many are listed on the stack (most inputs have a
 * few). */
#define PLACE_SMALL 16

static ecrlint_status place(el_ctx *cx, const char *text, size_t len, int first_line)
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
    bool ok = n == 0 || el_locate_all(text, len, reqs, n, first_line, 1, cx->max_depth,
                                      cx->unique_keys);
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

/* ---- the entry point ------------------------------------------------------------------------ */

static bool only_whitespace(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

static void ctx_init(el_ctx *cx, const ecrlint_engine *engine, const ecrlint_check_options *opt,
                     ecrlint_result *res)
{
    memset(cx, 0, sizeof *cx);
    cx->rs = engine->rs;
    cx->opt = opt;
    cx->res = res;
    cx->max_depth = opt && opt->limits.max_depth ? opt->limits.max_depth
                                                  : ECRLINT_DEFAULT_MAX_DEPTH;
    el_buf_init(&cx->scratch);
}

/* A checker's match state is borrowed (ck), else the context's own. */
static void ctx_free(el_ctx *cx, const ecrlint_checker *ck)
{
    el_free(cx->late_code);
    el_free(cx->late_message);
    if (!ck) {
        pcre2_match_data_free(cx->md);
        pcre2_match_context_free(cx->mctx);
    }
    el_buf_free(&cx->scratch);
}

/* Compares operation names ignoring case, '-' and '_': "batch-get-image" as the AWS CLI spells it
 * names BatchGetImage. */
static bool same_operation(const char *a, const char *b)
{
    for (;;) {
        while (*a == '-' || *a == '_')
            a++;
        while (*b == '-' || *b == '_')
            b++;
        if (!*a || !*b)
            return *a == *b;
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
        a++;
        b++;
    }
}

static const el_operation *op_by_name(const el_ruleset *rs, const char *name)
{
    const el_operation *op = el_ruleset_operation(rs, name);
    for (size_t i = 0; !op && i < rs->nops; i++)
        if (same_operation(rs->ops[i].name, name))
            op = &rs->ops[i];
    return op;
}

/* Looks up the operation an X-Amz-Target header names. */
static const el_operation *op_for_target(const el_ruleset *rs, const char *t, size_t len)
{
    for (size_t i = 0; i < rs->nops; i++) {
        const char *target = rs->ops[i].target;
        if (target && strlen(target) == len && memcmp(target, t, len) == 0)
            return &rs->ops[i];
    }
    return NULL;
}

static ecrlint_status check_body(el_ctx *cx, const char *path, const char *body, size_t blen,
                                 int first_line, const el_operation *op, bool manifest_mode,
                                 size_t bom)
{
    ecrlint_result *res = cx->res;
    const ecrlint_check_options *opt = cx->opt;
    char linebuf[32];

    if (only_whitespace(body, blen)) {
        if (op) {
            res->kind = op->kind;
            cx->predict = op->kind == ECRLINT_KIND_REQUEST;
        } else {
            res->kind = ECRLINT_KIND_ERROR;
        }
        return el_report_at(cx, "ECR0003", first_line, 1, NULL);
    }

    json_error_t jerr;
    size_t flags = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY;
    bool oom = false;
    json_t *root = el_json_loadb(body, blen, flags, &jerr, &oom);
    if (oom)
        return ECRLINT_ERR_NOMEM;
    cx->unique_keys = root != NULL; /* findings are placed in the same text (place) */
    if (!root && json_error_code(&jerr) == json_error_duplicate_key) {
        /* I-JSON forbids duplicate names and parsers disagree on which value wins; jansson keeps
         * the last one, so the rest of the checks see that one. */
        el_var v[] = {{"detail", jerr.text}, {NULL, NULL}};
        el_report_at(cx, "ECR0005", first_line + jerr.line - 1, jerr.column, v);
        root = el_json_loadb(body, blen, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr, &oom);
        if (oom)
            return ECRLINT_ERR_NOMEM;
    }
    if (!root) {
        if (op) {
            res->kind = op->kind;
            cx->predict = op->kind == ECRLINT_KIND_REQUEST;
        } else if (manifest_mode) {
            res->kind = ECRLINT_KIND_MANIFEST;
            cx->predict = true;
        } else {
            res->kind = ECRLINT_KIND_ERROR;
        }
        el_var v[] = {{"detail", jerr.text}, {NULL, NULL}};
        /* A manifest is pushed with PutImage, whose answer for it is the manifest module's
         * ('Invalid JSON syntax'), not the protocol's SerializationException. */
        bool predict = cx->predict;
        if (manifest_mode)
            cx->predict = false;
        ecrlint_status st =
            el_report_at(cx, "ECR0001", first_line + (jerr.line > 0 ? jerr.line - 1 : 0),
                         jerr.column > 0 ? jerr.column : 1, v);
        cx->predict = predict;
        if (st == ECRLINT_OK && manifest_mode)
            st = el_manifest_check(cx, body - bom, blen + bom, NULL, opt ? opt->media_type : NULL,
                                   opt ? opt->accept : NULL);
        return st;
    }

    ecrlint_status st = ECRLINT_OK;
    if (manifest_mode) {
        res->kind = ECRLINT_KIND_MANIFEST;
        res->operation = NULL;
        cx->predict = true;
        st = el_manifest_check(cx, body - bom, blen + bom, root, opt ? opt->media_type : NULL,
                               opt ? opt->accept : NULL);
        goto done;
    }
    if (!op) {
        if (!json_is_object(root)) {
            res->kind = ECRLINT_KIND_SKIPPED;
            snprintf(linebuf, sizeof linebuf, "%s", el_json_type_name(root));
            el_buf_printf(&cx->scratch, "the top-level value is %s %s, not an object",
                          linebuf[0] == 'a' || linebuf[0] == 'o' ? "an" : "a", linebuf);
            if (!el_result_keep(res, &res->skip_reason, cx->scratch.data))
                st = ECRLINT_ERR_NOMEM;
            goto done;
        }
        const char *reason = NULL;
        bool ambiguous = false;
        op = el_detect_operation(cx->rs, root, path, &reason, &ambiguous);
        if (!op) {
            if (el_manifest_sniff(root)) {
                res->kind = ECRLINT_KIND_MANIFEST;
                cx->predict = true;
                st = el_manifest_check(cx, body - bom, blen + bom, root,
                                       opt ? opt->media_type : NULL, opt ? opt->accept : NULL);
            } else {
                res->kind = ECRLINT_KIND_SKIPPED;
                if (!el_result_keep(res, &res->skip_reason, reason))
                    st = ECRLINT_ERR_NOMEM;
            }
            goto done;
        }
        if (ambiguous) {
            el_var v[] = {{"operation", op->name}, {NULL, NULL}};
            el_report(cx, "ECR0040", "", EL_LOCATE_VALUE, v);
        }
    }
    res->kind = op->kind;
    cx->predict = op->kind == ECRLINT_KIND_REQUEST;
    if (!el_result_keep(res, &res->operation, op->name)) {
        st = ECRLINT_ERR_NOMEM;
        goto done;
    }
    st = el_check_operation(cx, op, root);
done:
    if (!el_arena_active())
        json_decref(root); /* in an arena, the tree goes with it (ecrlint_check_buffer) */
    return st != ECRLINT_OK ? st : cx->status;
}

/* What one thread keeps from one check to the next. */
struct ecrlint_checker {
    const ecrlint_engine *engine;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    struct chunk *spare; /* the arena's first chunk */
};

ecrlint_checker *ecrlint_checker_new(const ecrlint_engine *engine)
{
    if (!engine)
        return NULL;
    el_alloc_init();
    ecrlint_checker *ck = el_calloc(1, sizeof *ck);
    if (!ck)
        return NULL;
    ck->engine = engine;
    if (!el_regex_match_state_new(&ck->md, &ck->mctx, true)) {
        el_free(ck);
        return NULL;
    }
    return ck;
}

void ecrlint_checker_free(ecrlint_checker *ck)
{
    if (!ck)
        return;
    pcre2_match_data_free(ck->md);
    pcre2_match_context_free(ck->mctx);
    el_arena_spare_free(&ck->spare);
    el_free(ck);
}

static ecrlint_status check_impl(const ecrlint_engine *engine, ecrlint_checker *ck,
                                 const ecrlint_check_options *opt, const char *path,
                                 const char *buf, size_t len, ecrlint_result **out,
                                 ecrlint_error *err);

ecrlint_status ecrlint_check_buffer(const ecrlint_engine *engine,
                                   const ecrlint_check_options *opt, const char *path,
                                   const char *buf, size_t len, ecrlint_result **out,
                                   ecrlint_error *err)
{
    return check_impl(engine, NULL, opt, path, buf, len, out, err);
}

ecrlint_status ecrlint_checker_check(ecrlint_checker *ck, const ecrlint_check_options *opt,
                                    const char *path, const char *buf, size_t len,
                                    ecrlint_result **out, ecrlint_error *err)
{
    if (!ck) {
        if (out)
            *out = NULL;
        return el_error_set(err, ECRLINT_ERR_USAGE, path, 0, 0, "invalid arguments");
    }
    return check_impl(ck->engine, ck, opt, path, buf, len, out, err);
}

static ecrlint_status check_impl(const ecrlint_engine *engine, ecrlint_checker *ck,
                                 const ecrlint_check_options *opt, const char *path,
                                 const char *buf, size_t len, ecrlint_result **out,
                                 ecrlint_error *err)
{
    if (out)
        *out = NULL;
    if (!engine || !out || (!buf && len))
        return el_error_set(err, ECRLINT_ERR_USAGE, path, 0, 0, "invalid arguments");
    el_alloc_init();
    /* Any allocation that fails during the check, even one whose caller (jansson building an
     * object, say) would carry on with less, makes the whole check fail: no half results. */
    unsigned long failures_before = el_alloc_failures();
    if (!buf)
        buf = "";
    const el_ruleset *rs = engine->rs;

    /* Resolve an explicit operation before doing any work. */
    const el_operation *op = NULL;
    bool manifest_mode = false;
    if (opt && opt->operation) {
        if (strcmp(opt->operation, "manifest") == 0)
            manifest_mode = true;
        else if (!(op = op_by_name(rs, opt->operation)))
            return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0,
                                "unknown operation '%s'", opt->operation);
    }
    if (opt && opt->media_type && !opt->operation)
        manifest_mode = true;

    /* Positions are ints: a body within the size limit, which is at most 1 GiB, starting at
     * a line that leaves room for one line per byte, keeps each of them in range. */
    size_t max_size = opt && opt->limits.max_file_size ? opt->limits.max_file_size
                                                        : ECRLINT_DEFAULT_MAX_FILE_SIZE;
    if (max_size > ECRLINT_MAX_FILE_SIZE)
        max_size = ECRLINT_MAX_FILE_SIZE;
    if (opt && opt->first_line > 0 && len <= max_size &&
        (size_t)opt->first_line > (size_t)INT_MAX - len)
        return el_error_set(err, ECRLINT_ERR_USAGE, path, 0, 0,
                            "first line %d and a body of %zu bytes: line numbers would pass %d",
                            opt->first_line, len, INT_MAX);

    ecrlint_result *res = el_result_new(path, opt ? opt->limits.max_diagnostics : 0);
    if (!res)
        return el_error_set(err, ECRLINT_ERR_NOMEM, path, 0, 0, "out of memory");
    el_ctx cx;
    ctx_init(&cx, engine, opt, res);
    /* jansson's values of this check: allocated in bulk, dropped together at the end */
    el_arena arena;
    el_arena_begin(&arena, ck ? &ck->spare : NULL);
    ecrlint_status st = ECRLINT_OK;
    int first_line = opt && opt->first_line > 0 ? opt->first_line : 1;
    res->record_line = opt && opt->first_line > 0 ? opt->first_line : 0;

    if (len > max_size) {
        res->kind = ECRLINT_KIND_ERROR;
        char size[64], limit[64];
        snprintf(size, sizeof size, "%zu", len);
        snprintf(limit, sizeof limit, "%zu", max_size);
        el_var v[] = {{"size", size}, {"limit", limit}, {NULL, NULL}};
        st = el_report_at(&cx, "ECR0004", 0, 0, v);
        goto finish;
    }

    /* Through el_malloc, with match, depth and heap limits (rules/regex.c). */
    if (ck) {
        cx.md = ck->md;
        cx.mctx = ck->mctx;
    } else if (!el_regex_match_state_new(&cx.md, &cx.mctx, false)) {
        st = ECRLINT_ERR_NOMEM;
        goto finish;
    }

    const char *body = buf;
    size_t blen = len;
    ecrlint_input_mode mode = opt ? opt->input : ECRLINT_INPUT_AUTO;
    if (mode != ECRLINT_INPUT_JSON) {
        el_http h;
        el_http_parse(buf, len, &h);
        if (h.is_http) {
            if (h.malformed) {
                res->kind = ECRLINT_KIND_ERROR;
                st = el_report_at(&cx, "ECR0034", h.malformed_line, 1, NULL);
                goto finish;
            }
            body = buf + h.body_offset;
            blen = len - h.body_offset;
            first_line = h.body_line;
            if (h.method_len != 4 || memcmp(h.method, "POST", 4) != 0) {
                char m[16];
                snprintf(m, sizeof m, "%.*s", (int)(h.method_len < 15 ? h.method_len : 15),
                         h.method);
                el_var v[] = {{"method", m}, {NULL, NULL}};
                el_report_at(&cx, "ECR0033", 1, 1, v);
            }
            if (h.content_type &&
                !(h.content_type_len == 26 &&
                  memcmp(h.content_type, "application/x-amz-json-1.1", 26) == 0)) {
                el_buf_reset(&cx.scratch);
                el_buf_append(&cx.scratch, h.content_type, h.content_type_len);
                el_var v[] = {{"value", cx.scratch.data}, {NULL, NULL}};
                el_report_at(&cx, "ECR0031", h.content_type_line, 1, v);
            }
            if (h.content_length >= 0 && (size_t)h.content_length != blen) {
                char want[32], got[32];
                snprintf(want, sizeof want, "%lld", h.content_length);
                snprintf(got, sizeof got, "%zu", blen);
                el_var v[] = {{"declared", want}, {"actual", got}, {NULL, NULL}};
                el_report_at(&cx, "ECR0032", h.content_length_line, 1, v);
            }
            if (!op && !manifest_mode) {
                if (!h.target) {
                    el_report_at(&cx, "ECR0030", 1, 1, NULL);
                } else if (!(op = op_for_target(rs, h.target, h.target_len))) {
                    res->kind = ECRLINT_KIND_SKIPPED;
                    el_buf_reset(&cx.scratch);
                    el_buf_printf(&cx.scratch, "X-Amz-Target '%.*s' is not an operation ecrlint checks",
                                  (int)(h.target_len < 200 ? h.target_len : 200), h.target);
                    if (!el_result_keep(res, &res->skip_reason, cx.scratch.data))
                        st = ECRLINT_ERR_NOMEM;
                    goto finish;
                }
            }
        } else if (mode == ECRLINT_INPUT_HTTP) {
            res->kind = ECRLINT_KIND_ERROR;
            st = el_report_at(&cx, "ECR0034", 1, 1, NULL);
            goto finish;
        }
    }
    size_t bom = 0;
    if (blen >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
        el_report_at(&cx, "ECR0006", first_line, 1, NULL);
        bom = 3;
        body += 3;
        blen -= 3;
    }
    el_buf_reset(&cx.scratch);
    st = check_body(&cx, path, body, blen, first_line, op, manifest_mode, bom);
    if (st == ECRLINT_OK && cx.late_code && !res->exc_code &&
        !el_result_set_exception(res, cx.late_code, cx.late_message))
        st = ECRLINT_ERR_NOMEM;
    if (st == ECRLINT_OK)
        st = place(&cx, body, blen, first_line);

finish:
    if (st == ECRLINT_OK && cx.status != ECRLINT_OK)
        st = cx.status;
    if (st == ECRLINT_OK && el_alloc_failures() != failures_before)
        st = ECRLINT_ERR_NOMEM;
    if (ck && cx.hit_limit) {
        /* PCRE2 keeps the frames of its largest match in the match data: after a runaway one
         * that may be the heap limit, which a checker is not to hold from one input to the
         * next. Fresh state, when there is memory for it; else the old one stays usable. */
        pcre2_match_data *md;
        pcre2_match_context *mctx;
        if (el_regex_match_state_new(&md, &mctx, true)) {
            pcre2_match_data_free(ck->md);
            pcre2_match_context_free(ck->mctx);
            ck->md = md;
            ck->mctx = mctx;
        }
    }
    ctx_free(&cx, ck);
    el_arena_end(&arena);
    if (st != ECRLINT_OK) {
        ecrlint_result_free(res);
        return el_error_set(err, st, path, 0, 0, "%s", ecrlint_status_str(st));
    }
    /* ECR answers with an exception or with per-image failures, never both. */
    if (res->exc_code)
        res->nfailures = 0; /* their texts go with the result */
    el_result_sort(res);
    *out = res;
    return ECRLINT_OK;
}

/* driver.c - checking one input: size limit, HTTP framing, byte-order mark, parsing, choosing
 * what the input is, handing it to its kind's checker, and placing the findings.
 *
 * The order of work mirrors how ECR reads a request: the body is framed and parsed first
 * (problems there are SerializationException), then the kind's checker runs (for requests,
 * the operation's constraints in the model's member order: the first violation is the
 * InvalidParameterException ECR answers with). The driver knows the kinds only through the
 * table of input/kinds.c. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "check/el_ctx.h"
#include "input/el_input.h"
#include "report/el_result.h"
#include "request/el_request.h"
#include "rules/el_engine.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_error.h"
#include "util/el_json.h"

static bool only_whitespace(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

/* The kind an input names: --operation, or a declared media type without one. */
static bool pick_explicit(const el_ruleset *rs, const ecrlint_check_options *opt, el_pick *pick)
{
    memset(pick, 0, sizeof *pick);
    for (const el_input_kind *const *k = el_input_kinds; *k; k++) {
        bool named = opt && opt->operation ? (*k)->by_name(rs, opt->operation, pick)
                                           : opt && opt->media_type && (*k)->by_media_type;
        if (named) {
            pick->kind = *k;
            return true;
        }
    }
    return !(opt && opt->operation); /* an unknown name is the caller's mistake */
}

/* The name --operation takes for what v, a value inside an input, is recognised as by its
 * members alone (a request of an operation, a manifest), or NULL. */
static const char *recognized_as(el_ctx *cx, const json_t *v)
{
    if (!json_is_object(v))
        return NULL;
    el_body inner = {
        .path = NULL, .text = "", .len = 0, .bom = 0, .root = v, .relaxed = NULL, .names = NULL};
    for (const el_input_kind *const *k = el_input_kinds; *k; k++) {
        el_pick p;
        memset(&p, 0, sizeof p);
        const char *why = NULL;
        if ((*k)->recognize(cx->rs, &inner, &p, &why))
            return p.op ? p.op->name : (*k)->name;
    }
    return NULL;
}

/* Wrapped fixtures: ECR documents inside another JSON document, which ecrlint does not check in
 * place. A skipped input that holds them gets a hint (ecrlint_result_skip_hint): a JSON array
 * of requests, a member holding one (botocore Stubber's expected_params, {"input": ...,
 * "output": ...} pairs, any member whose value is one). Their items and members are looked at
 * up to a bound, so that a large array costs no more than its first items. */
#define WRAPPED_LOOK 64

static ecrlint_status hint_wrapped(el_ctx *cx, const json_t *root)
{
    ecrlint_result *res = cx->res;
    const char *as = NULL, *member = NULL;
    size_t items = 0;
    if (json_is_array(root)) {
        for (size_t i = 0; i < json_array_size(root) && i < WRAPPED_LOOK && !as; i++)
            as = recognized_as(cx, json_array_get(root, i));
        items = json_array_size(root);
    } else if (json_is_object(root)) {
        size_t n = 0;
        const char *key;
        json_t *v;
        EL_OBJECT_EACH(root, it, key, v)
        {
            if (n++ >= WRAPPED_LOOK)
                break;
            if ((as = recognized_as(cx, v)) != NULL) {
                member = key;
                break;
            }
        }
    }
    if (!as)
        return ECRLINT_OK;
    const char *path = res->path && strcmp(res->path, "-") != 0 ? res->path : "FILE";
    el_buf_reset(&cx->scratch);
    if (member) {
        bool plain = member[0] != '\0';
        for (const char *c = member; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
                  (c > member && *c >= '0' && *c <= '9')))
                plain = false;
        el_buf_printf(&cx->scratch,
                      "its member '%s' holds an ECR document (%s), which is not checked inside "
                      "another one: jq '.%s%s%s' %s | ecrlint --operation %s -",
                      member, as, plain ? "" : "[\"", member, plain ? "" : "\"]", path, as);
    } else if (items == 1) {
        el_buf_printf(&cx->scratch,
                      "its item is an ECR document (%s), which is checked as a file of its own: "
                      "jq '.[0]' %s | ecrlint --operation %s -",
                      as, path, as);
    } else {
        el_buf_printf(&cx->scratch,
                      "its %zu items hold ECR documents (%s, ...), which are checked one per "
                      "file or one per line: jq -c '.[]' %s | ecrlint --jsonl -",
                      items, as, path);
    }
    if (cx->scratch.failed)
        return ECRLINT_ERR_NOMEM;
    return el_result_keep(res, &res->skip_hint, cx->scratch.data) ? ECRLINT_OK : ECRLINT_ERR_NOMEM;
}

/* Automatic mode: the first kind that recognises root; else the input is skipped, with the
 * first kind's reason (and a hint when it wraps ECR documents). */
static ecrlint_status pick_auto(el_ctx *cx, const el_body *b, el_pick *pick)
{
    ecrlint_result *res = cx->res;
    if (!json_is_object(b->root)) {
        const char *type = el_json_type_name(b->root);
        res->kind = ECRLINT_KIND_SKIPPED;
        el_buf_reset(&cx->scratch);
        el_buf_printf(&cx->scratch, "the top-level value is %s %s, not an object",
                      type[0] == 'a' || type[0] == 'o' ? "an" : "a", type);
        if (!el_result_keep(res, &res->skip_reason, cx->scratch.data))
            return ECRLINT_ERR_NOMEM;
        return hint_wrapped(cx, b->root);
    }
    const char *reason = NULL;
    for (const el_input_kind *const *k = el_input_kinds; *k; k++) {
        const char *why = NULL;
        if ((*k)->recognize(cx->rs, b, pick, &why)) {
            pick->kind = *k;
            return ECRLINT_OK;
        }
        if (!reason)
            reason = why;
    }
    res->kind = ECRLINT_KIND_SKIPPED;
    if (!el_result_keep(res, &res->skip_reason, reason))
        return ECRLINT_ERR_NOMEM;
    return hint_wrapped(cx, b->root);
}

/* The line and column of byte `off` of text, whose first byte is on line first_line. */
static void position(const char *text, size_t off, int first_line, int *line, int *column)
{
    size_t l = 0, start = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = first_line + (int)l;
    *column = (int)(off - start) + 1;
}

/* Jansson's nesting limit; --max-depth above it is held to it for parsing. */
#define PARSE_DEPTH_MAX (JSON_PARSER_MAX_DEPTH - 1)

/* Parses b's text, as jansson reads it or, when it cannot hold valid JSON (a number beyond its
 * range, nesting beyond its depth, an unpaired surrogate escape), as el_json_relax rewrites
 * it: valid JSON is never refused as invalid. Sets b->relaxed then; the rewrites are reported
 * once the input's kind is known (report_relaxed). */
static json_t *parse_body(el_ctx *cx, el_body *b, size_t flags, json_error_t *jerr, bool *oom,
                          el_json_relax_notes *notes)
{
    memset(notes, 0, sizeof *notes);
    json_t *root = el_json_loadb(b->text, b->len, flags, jerr, oom);
    if (root || *oom || json_error_code(jerr) == json_error_duplicate_key)
        return root;
    size_t cap = cx->max_depth < PARSE_DEPTH_MAX ? cx->max_depth : PARSE_DEPTH_MAX;
    char *r = el_json_relax(b->text, b->len, cap, notes);
    if (!r) {
        *oom = true;
        return NULL;
    }
    size_t n = 0;
    for (int k = 0; k < EL_RELAX_KINDS; k++)
        n += notes->count[k];
    json_error_t e2;
    json_t *again = n ? el_json_loadb(r, b->len, flags, &e2, oom) : NULL;
    if (n && (again || (!*oom && json_error_code(&e2) == json_error_duplicate_key))) {
        b->relaxed = r;
        *jerr = e2;
        return again;
    }
    el_free(r);
    memset(notes, 0, sizeof *notes);
    return NULL;
}

/* Findings for what el_json_relax rewrote: the depth limit as the limit it is (ECR0007), an
 * unpaired surrogate (ECR0008). A number out of range needs none of its own: as +-1e308 it is
 * a type or range finding of its member, or ignored with an unknown member. */
static void report_relaxed(el_ctx *cx, const el_body *b, const el_json_relax_notes *notes,
                           int first_line)
{
    int line, column;
    if (notes->count[EL_RELAX_DEPTH]) {
        char lbuf[32];
        size_t cap = cx->max_depth < PARSE_DEPTH_MAX ? cx->max_depth : PARSE_DEPTH_MAX;
        snprintf(lbuf, sizeof lbuf, "%zu", cap);
        el_var v[] = {{"limit", lbuf}, {NULL, NULL}};
        position(b->relaxed, notes->first[EL_RELAX_DEPTH], first_line, &line, &column);
        el_report_at(cx, "ECR0007", line, column, v);
    }
    if (notes->count[EL_RELAX_SURROGATE]) {
        position(b->relaxed, notes->first[EL_RELAX_SURROGATE], first_line, &line, &column);
        el_report_at(cx, "ECR0008", line, column, NULL);
    }
}

/* Is `doc` (what could be read of a text that is not JSON) recognised as a kind of input? */
static bool recognized(el_ctx *cx, const el_body *b, const json_t *doc)
{
    el_body partial = *b;
    partial.root = doc;
    for (const el_input_kind *const *k = el_input_kinds; *k; k++) {
        el_pick pick;
        memset(&pick, 0, sizeof pick);
        const char *why = NULL;
        if ((*k)->recognize(cx->rs, &partial, &pick, &why))
            return true;
    }
    return false;
}

/* A text that is not JSON, in automatic mode. It is an input error when something says it is
 * meant for ECR: its name (el_named_for_ecr), the members of a kind of input before its syntax
 * error, or in it once the comments and trailing commas of JSON-with-comments are blanked out.
 * Otherwise it is another tool's file (tsconfig.json, editor settings with comments) and is
 * skipped with the reason; *meant says which. *jsonc says what JSONC syntax the text has
 * (EL_JSONC_*), for the error's message. */
static ecrlint_status not_json(el_ctx *cx, const el_body *b, const json_error_t *jerr,
                               int first_line, bool *meant, unsigned *jsonc)
{
    *meant = true;
    char *stripped = el_json_strip_jsonc(b->text, b->len, jsonc);
    if (!stripped)
        return ECRLINT_ERR_NOMEM;
    if (b->path && el_named_for_ecr(cx->rs, b->path)) {
        el_free(stripped);
        return ECRLINT_OK;
    }
    bool oom = false, whole = false;
    json_t *doc = NULL;
    if (*jsonc) {
        json_error_t e2;
        doc = el_json_loadb(stripped, b->len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &e2, &oom);
        whole = doc != NULL;
    }
    el_free(stripped);
    if (!doc && !oom)
        doc = el_json_prefix_members(b->text, b->len, (size_t)jerr->position, &oom);
    if (oom)
        return ECRLINT_ERR_NOMEM;
    bool ecr = doc && json_is_object(doc) && recognized(cx, b, doc);
    if (!el_arena_active())
        json_decref(doc);
    if (ecr)
        return ECRLINT_OK;
    *meant = false;
    ecrlint_result *res = cx->res;
    res->kind = ECRLINT_KIND_SKIPPED;
    el_buf_reset(&cx->scratch);
    if (whole)
        el_buf_printf(&cx->scratch,
                      "JSON with %s (JSONC, as tsconfig.json and editor settings are), and not "
                      "an ECR request, response or manifest",
                      *jsonc == EL_JSONC_TRAILING_COMMA ? "trailing commas"
                      : *jsonc == EL_JSONC_COMMENT      ? "comments"
                                                        : "comments and trailing commas");
    else {
        const char *service = b->path ? el_folder_other_service(b->path) : NULL;
        el_buf_printf(&cx->scratch, "not JSON (%s at line %d, column %d), ", jerr->text,
                      first_line + (jerr->line > 0 ? jerr->line - 1 : 0),
                      jerr->column > 0 ? jerr->column : 1);
        if (service)
            el_buf_printf(&cx->scratch,
                          "in a folder named after another AWS service, %s (pass --operation to "
                          "check it as ECR's)",
                          service);
        else
            el_buf_puts(&cx->scratch,
                        "and neither its name nor its members before that say it is meant for ECR");
    }
    if (cx->scratch.failed)
        return ECRLINT_ERR_NOMEM;
    return el_result_keep(res, &res->skip_reason, cx->scratch.data) ? ECRLINT_OK
                                                                    : ECRLINT_ERR_NOMEM;
}

/* The JSON text b->text[0..len), whose first byte is on line first_line. */
static ecrlint_status check_body(el_ctx *cx, el_body *b, int first_line, el_pick *pick)
{
    ecrlint_result *res = cx->res;
    const el_input_kind *kind = pick->kind;

    if (only_whitespace(b->text, b->len)) {
        if (!kind || !kind->empty_is_kind) {
            res->kind = ECRLINT_KIND_ERROR;
            return el_report_at(cx, "ECR0003", first_line, 1, NULL);
        }
        /* the kind's checker sees it too, without a root (the client's answer) */
        ecrlint_status st = kind->begin(cx, pick);
        if (st == ECRLINT_OK)
            st = el_report_at(cx, "ECR0003", first_line, 1, NULL);
        if (st == ECRLINT_OK)
            st = kind->check(cx, b, pick);
        return st != ECRLINT_OK ? st : cx->status;
    }

    json_error_t jerr;
    size_t flags = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY;
    bool oom = false;
    el_json_relax_notes notes;
    json_t *root = parse_body(cx, b, flags, &jerr, &oom, &notes);
    if (oom)
        return ECRLINT_ERR_NOMEM;
    const char *parsed = b->relaxed ? b->relaxed : b->text;
    cx->unique_keys = root != NULL; /* findings are placed in the same text */
    if (!root && json_error_code(&jerr) == json_error_duplicate_key) {
        /* I-JSON forbids duplicate names and parsers disagree on which value wins; jansson keeps
         * the last one, so the rest of the checks see that one. */
        el_var v[] = {{"detail", jerr.text}, {NULL, NULL}};
        el_report_at(cx, "ECR0005", first_line + jerr.line - 1, jerr.column, v);
        root = el_json_loadb(parsed, b->len, JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr, &oom);
        if (oom)
            return ECRLINT_ERR_NOMEM;
    }
    b->root = root;

    ecrlint_status st = ECRLINT_OK;
    if (!root) {
        unsigned jsonc = 0;
        if (!kind) {
            bool meant;
            st = not_json(cx, b, &jerr, first_line, &meant, &jsonc);
            if (st != ECRLINT_OK || !meant)
                return st != ECRLINT_OK ? st : cx->status;
        } else {
            char *stripped = el_json_strip_jsonc(b->text, b->len, &jsonc);
            if (!stripped)
                return ECRLINT_ERR_NOMEM;
            el_free(stripped);
        }
        if (kind)
            kind->begin(cx, pick);
        else
            res->kind = ECRLINT_KIND_ERROR;
        char detail[JSON_ERROR_TEXT_LENGTH + 64];
        snprintf(detail, sizeof detail, "%s%s", jerr.text,
                 jsonc & EL_JSONC_COMMENT          ? " (JSON does not allow comments)"
                 : jsonc & EL_JSONC_TRAILING_COMMA ? " (JSON does not allow trailing commas)"
                                                   : "");
        el_var v[] = {{"detail", detail}, {NULL, NULL}};
        bool predict = cx->predict;
        if (kind && kind->answers_syntax)
            cx->predict = false;
        st = el_report_at(cx, "ECR0001", first_line + (jerr.line > 0 ? jerr.line - 1 : 0),
                          jerr.column > 0 ? jerr.column : 1, v);
        cx->predict = predict;
        if (st == ECRLINT_OK && kind)
            st = kind->check(cx, b, pick);
        return st != ECRLINT_OK ? st : cx->status;
    }

    if (!kind) {
        st = pick_auto(cx, b, pick);
        kind = pick->kind;
    }
    if (st == ECRLINT_OK && kind) {
        st = kind->begin(cx, pick);
        if (st == ECRLINT_OK && b->relaxed)
            report_relaxed(cx, b, &notes, first_line);
        if (st == ECRLINT_OK)
            st = kind->check(cx, b, pick);
    }
    if (!el_arena_active())
        json_decref(root); /* in an arena, the tree goes with it (ecrlint_check_buffer) */
    b->root = NULL;
    return st != ECRLINT_OK ? st : cx->status;
}

/* What one thread keeps from one check to the next. */
struct ecrlint_checker {
    const ecrlint_engine *engine;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    struct chunk *spare; /* the arena's first chunk */
    el_name_memo names;  /* what the last input's name said (JSON Lines records share one) */
};

ecrlint_checker *ecrlint_checker_new(const ecrlint_engine *engine)
{
    if (!engine)
        return NULL;
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
    el_name_memo_clear(&ck->names);
    el_free(ck);
}

static ecrlint_status check_impl(const ecrlint_engine *engine, ecrlint_checker *ck,
                                 const ecrlint_check_options *opt, const char *path,
                                 const char *buf, size_t len, ecrlint_result **out,
                                 ecrlint_error *err);

ecrlint_status ecrlint_check_buffer(const ecrlint_engine *engine, const ecrlint_check_options *opt,
                                    const char *path, const char *buf, size_t len,
                                    ecrlint_result **out, ecrlint_error *err)
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

/* The size limit in force: the caller's, at most ECRLINT_MAX_FILE_SIZE. */
static size_t size_limit(const ecrlint_check_options *opt)
{
    size_t max_size = opt && opt->limits.max_file_size ? opt->limits.max_file_size
                                                       : ECRLINT_DEFAULT_MAX_FILE_SIZE;
    return max_size > ECRLINT_MAX_FILE_SIZE ? ECRLINT_MAX_FILE_SIZE : max_size;
}

/* An input over the size limit is refused unread. */
static ecrlint_status refuse_size(el_ctx *cx, size_t len, size_t max_size)
{
    cx->res->kind = ECRLINT_KIND_ERROR;
    char size[64], limit[64];
    snprintf(size, sizeof size, "%zu", len);
    snprintf(limit, sizeof limit, "%zu", max_size);
    el_var v[] = {{"size", size}, {"limit", limit}, {NULL, NULL}};
    return el_report_at(cx, "ECR0004", 0, 0, v);
}

/* Frames buf[0..len) (HTTP, byte-order mark) and checks the body. */
static ecrlint_status check_input(el_ctx *cx, const char *path, const char *buf, size_t len,
                                  el_name_memo *names, el_pick *pick)
{
    const ecrlint_check_options *opt = cx->opt;
    el_body b = {.path = path,
                 .text = buf,
                 .len = len,
                 .bom = 0,
                 .root = NULL,
                 .relaxed = NULL,
                 .names = names};
    int first_line = opt && opt->first_line > 0 ? opt->first_line : 1;
    ecrlint_input_mode mode = opt ? opt->input : ECRLINT_INPUT_AUTO;
    ecrlint_client client = opt ? opt->client : ECRLINT_CLIENT_DEFAULT;
    /* A JSON file is sent by the AWS CLI (--cli-input-json) or an SDK; a raw HTTP capture was
     * sent already, by whatever client. */
    cx->client_botocore = client != ECRLINT_CLIENT_NONE;
    if (mode != ECRLINT_INPUT_JSON) {
        el_http h;
        el_http_parse(buf, len, &h);
        if (h.is_http && client == ECRLINT_CLIENT_DEFAULT)
            cx->client_botocore = false;
        if (h.is_http) {
            el_http_outcome next;
            ecrlint_status st =
                el_http_check(cx, &h, h.malformed ? 0 : len - h.body_offset, pick, &next);
            if (st != ECRLINT_OK || next == EL_HTTP_DONE)
                return st;
            b.text = buf + h.body_offset;
            b.len = len - h.body_offset;
            first_line = h.body_line;
        } else if (mode == ECRLINT_INPUT_HTTP) {
            cx->res->kind = ECRLINT_KIND_ERROR;
            return el_report_at(cx, "ECR0034", 1, 1, NULL);
        }
    }
    if (b.len >= 3 && memcmp(b.text, "\xEF\xBB\xBF", 3) == 0) {
        el_report_at(cx, "ECR0006", first_line, 1, NULL);
        b.bom = 3;
        b.text += 3;
        b.len -= 3;
    }
    el_buf_reset(&cx->scratch);
    ecrlint_status st = check_body(cx, &b, first_line, pick);
    if (st == ECRLINT_OK && cx->late_code && !cx->res->exc_code) {
        if (!el_result_set_exception(cx->res, cx->late_code, cx->late_message))
            st = ECRLINT_ERR_NOMEM;
        cx->res->exc_conf = cx->late_conf;
    }
    if (st == ECRLINT_OK)
        st = el_ctx_place(cx, b.relaxed ? b.relaxed : b.text, b.len, first_line);
    el_free(b.relaxed);
    return st;
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
    /* Any allocation that fails during the check, even one whose caller (jansson building an
     * object, say) would carry on with less, makes the whole check fail: no half results. */
    unsigned long failures_before = el_alloc_failures();
    if (!buf)
        buf = "";

    /* Resolve an explicit kind before doing any work. */
    el_pick pick;
    if (!pick_explicit(engine->rs, opt, &pick))
        return el_error_set(err, ECRLINT_ERR_USAGE, NULL, 0, 0, "unknown operation '%s'",
                            opt->operation);

    /* Positions are ints: a body within the size limit, which is at most 1 GiB, starting at
     * a line that leaves room for one line per byte, keeps each of them in range. */
    if (opt && opt->first_line > 0 && len <= size_limit(opt) &&
        (size_t)opt->first_line > (size_t)INT_MAX - len)
        return el_error_set(err, ECRLINT_ERR_USAGE, path, 0, 0,
                            "first line %d and a body of %zu bytes: line numbers would pass %d",
                            opt->first_line, len, INT_MAX);

    ecrlint_result *res = el_result_new(path, opt ? opt->limits.max_diagnostics : 0);
    if (!res)
        return el_error_set(err, ECRLINT_ERR_NOMEM, path, 0, 0, "out of memory");
    res->record_line = opt && opt->first_line > 0 ? opt->first_line : 0;
    el_ctx cx;
    el_ctx_init(&cx, engine->rs, opt, res);
    cx.embedded = el_embedded_checkers;
    /* jansson's values of this check: allocated in bulk, dropped together at the end */
    el_arena arena;
    el_arena_begin(&arena, ck ? &ck->spare : NULL);

    /* Through el_malloc, with match, depth and heap limits (rules/regex.c). */
    ecrlint_status st = ECRLINT_OK;
    if (len > size_limit(opt)) {
        st = refuse_size(&cx, len, size_limit(opt));
    } else if (ck) {
        cx.match.md = ck->md;
        cx.match.mctx = ck->mctx;
    } else if (!el_regex_match_state_new(&cx.match.md, &cx.match.mctx, false)) {
        st = ECRLINT_ERR_NOMEM;
    }
    if (st == ECRLINT_OK && cx.match.md)
        st = check_input(&cx, path, buf, len, ck ? &ck->names : NULL, &pick);

    if (st == ECRLINT_OK && cx.status != ECRLINT_OK)
        st = cx.status;
    if (st == ECRLINT_OK && el_alloc_failures() != failures_before)
        st = ECRLINT_ERR_NOMEM;
    if (ck && cx.match.hit_limit) {
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
    } else if (!ck) {
        pcre2_match_data_free(cx.match.md);
        pcre2_match_context_free(cx.match.mctx);
    }
    el_ctx_free(&cx);
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

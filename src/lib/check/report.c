/* report.c - reporting a finding: the rule's templates filled, ECR's predicted answer kept,
 * the finding added to the result (check/el_ctx.h). */
#include <string.h>

#include "check/el_ctx.h"
#include "report/el_result.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"

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

/* The imageId a failure echoes: the item as ECR read it (el_item.shape), compact JSON. */
static bool echo_item(el_buf *b, const el_item *item)
{
    const el_shape *shape = item->shape;
    if (!shape || shape->type != EL_T_STRUCTURE || !json_is_object(item->value))
        return el_buf_json_value(b, item->value);
    el_buf_putc(b, '{');
    bool first = true;
    for (size_t i = 0; i < shape->nmembers; i++) {
        const char *name = shape->members[i].name;
        const json_t *v = json_object_get(item->value, name);
        if (!v || json_is_null(v))
            continue;
        if (!first)
            el_buf_putc(b, ',');
        first = false;
        el_buf_json_string(b, name, strlen(name));
        el_buf_putc(b, ':');
        el_buf_json_value(b, v);
    }
    el_buf_putc(b, '}');
    return !b->failed;
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

/* How a finding is placed: by its pointer, at a known position (placed), or at a byte offset
 * of the checked text, an embedded document's or the input's (inner_at, when not 0: the
 * offset + 1). */
static ecrlint_status report_impl(el_ctx *cx, const char *rule_id, const char *pointer,
                                  el_locate_what what, bool placed, int line, int column,
                                  size_t inner_at, const el_var *vars)
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
    const ecrlint_rule_info *ri = &rule->info;
    /* How sure its answer is: the rule's, or less where the checker says that ECR's answer
     * there is inferred (cx->conf_cap; a lint predicts no answer and keeps its own) */
    int conf = el_conf_rank(ri->confidence);
    bool capped =
        cx->conf_cap != EL_CONF_NONE && cx->conf_cap < conf && (ri->exception || ri->failure);
    if (capped)
        conf = cx->conf_cap;
    /* A disabled rule is not reported; one that predicts ECR's answer still predicts it:
       turning a finding off does not change what ECR answers. */
    bool on = el_rule_on(cx, rule_id);
    if (!on && !(cx->predict && (ri->exception || ri->failure)))
        return ECRLINT_OK;

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
    bool want_reason =
        ri->failure_reason &&
        (!rule->message || (cx->predict && ri->failure && cx->item.value && !cx->item.failed));
    if (want_exc)
        expand(&exc, cx->list_item && rule->item_message ? &rule->item_tpl : &rule->exception_tpl,
               vars, cx->lazy);
    if (want_reason)
        expand(&reason, &rule->reason_tpl, vars, cx->lazy);
    /* The message: "<embedding pointer><pointer>: " inside an embedded document (without
     * <pointer> when the checker's messages name the place), then the text */
    if (cx->embed_pointer) {
        el_buf_puts(&msg, cx->embed_pointer);
        if (!cx->embed_names_place)
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
    if (cx->msg_suffix)
        el_buf_puts(&msg, cx->msg_suffix);
    ecrlint_status st = ECRLINT_OK;
    if (exc.failed || reason.failed || msg.failed) {
        st = ECRLINT_ERR_NOMEM;
        goto out;
    }
    if (cx->predict) {
        if (ri->exception && rule->after_validation) {
            /* A service-side check (a digest comparison): ECR gets there only once the request
             * has passed validation, whatever the member order. */
            if (!cx->late_code) {
                if (!el_result_set_string(&cx->late_code, ri->exception) ||
                    !el_result_set_string(&cx->late_message, exc.data ? exc.data : "")) {
                    st = ECRLINT_ERR_NOMEM;
                    goto out;
                }
                cx->late_conf = conf;
            }
        } else if (ri->exception && !res->exc_code) {
            if (!el_result_set_exception(res, ri->exception, exc.data ? exc.data : "")) {
                st = ECRLINT_ERR_NOMEM;
                goto out;
            }
            res->exc_conf = conf;
        }
        if (ri->failure && cx->item.value && !cx->item.failed) {
            /* the imageId as ECR read it, compact */
            char id_mem[256];
            el_buf id;
            el_buf_init_in(&id, id_mem, sizeof id_mem);
            bool ok =
                echo_item(&id, &cx->item) &&
                el_result_add_failure(res, id.data, ri->failure, reason.data ? reason.data : "",
                                      cx->item.pointer(cx->item.arg));
            el_buf_free(&id);
            if (!ok) {
                st = ECRLINT_ERR_NOMEM;
                goto out;
            }
            cx->item.failed = true;
            el_conf_lower(&res->fail_conf, conf);
        }
    }
    if (!on)
        goto out;
    bool dropped;
    const char *where = cx->embed_pointer ? cx->embed_pointer : pointer;
    ecrlint_severity sev =
        rule->client_refuses && cx->client_botocore ? ECRLINT_SEVERITY_ERROR : ri->severity;
    const ecrlint_check_options *o = cx->opt;
    if (o && o->rule_severity)
        sev = (ecrlint_severity)o->rule_severity(ri->id, (int)sev, o->rule_userdata);
    el_diag *d =
        el_result_add_diag_n(res, ri->id, sev, where, msg.data ? msg.data : "", msg.len, &dropped);
    if (!d && !dropped) {
        st = ECRLINT_ERR_NOMEM;
        goto out;
    }
    if (d) {
        d->what = what;
        if (capped)
            d->conf = conf;
        if (cx->embed_pointer && !el_result_diag_set_inner(res, d, pointer, inner_at)) {
            st = ECRLINT_ERR_NOMEM;
            goto out;
        }
        if (!cx->embed_pointer)
            d->inner_at = inner_at; /* an offset of the input's own text */
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

ecrlint_status el_report(el_ctx *cx, const char *rule_id, const char *pointer, el_locate_what what,
                         const el_var *vars)
{
    return report_impl(cx, rule_id, pointer, what, false, 0, 0, 0, vars);
}

ecrlint_status el_report_at(el_ctx *cx, const char *rule_id, int line, int column,
                            const el_var *vars)
{
    return report_impl(cx, rule_id, "", EL_LOCATE_VALUE, true, line, column, 0, vars);
}

ecrlint_status el_report_offset(el_ctx *cx, const char *rule_id, size_t offset, const el_var *vars)
{
    return report_impl(cx, rule_id, "", EL_LOCATE_VALUE, false, 0, 0, offset + 1, vars);
}

/* ---- embedded documents --------------------------------------------------------------------- */

const el_embedded_checker *el_ctx_embedded_checker(const el_ctx *cx, const char *name)
{
    for (const el_embedded_checker *e = cx->embedded; e && e->name; e++)
        if (strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

ecrlint_status el_ctx_check_embedded(el_ctx *cx, const char *name, const char *pointer,
                                     const el_embedded *doc)
{
    const el_embedded_checker *e = el_ctx_embedded_checker(cx, name);
    if (!e)
        return ECRLINT_OK;
    const char *saved = cx->embed_pointer;
    bool saved_names = cx->embed_names_place;
    cx->embed_pointer = pointer;
    cx->embed_names_place = e->names_place;
    ecrlint_status st = e->check(cx, doc);
    cx->embed_pointer = saved;
    cx->embed_names_place = saved_names;
    return st;
}

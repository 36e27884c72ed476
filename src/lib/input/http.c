/* http.c - raw HTTP request files: request line, headers, blank line, JSON body.
 *
 * The seed documents show ECR requests this way (POST / HTTP/1.1, X-Amz-Target, ...); teams
 * keep captured requests in the same form. Only framing is done here; the body is checked
 * like any other JSON. */
#include <stdio.h>
#include <string.h>

#include "check/el_ctx.h"
#include "input/el_input.h"
#include "report/el_result.h"
#include "request/el_request.h"
#include "util/el_buf.h"

static bool is_token_char(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool header_is(const char *line, size_t len, const char *name, const char **value,
                      size_t *vlen)
{
    size_t n = strlen(name);
    if (len <= n || line[n] != ':')
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = line[i], b = name[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (char)(b + 32);
        if (a != b)
            return false;
    }
    const char *v = line + n + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *value = v;
    *vlen = (size_t)(end - v);
    return true;
}

void el_http_parse(const char *buf, size_t len, el_http *h)
{
    memset(h, 0, sizeof *h);
    h->content_length = -1;
    /* Request line: METHOD SP target SP HTTP/x(.y) */
    size_t i = 0;
    while (i < len && i < 16 && is_token_char(buf[i]))
        i++;
    if (i == 0 || i >= len || buf[i] != ' ')
        return;
    const char *eol = memchr(buf, '\n', len);
    size_t line_end = eol ? (size_t)(eol - buf) : len;
    const char *http = NULL;
    for (size_t k = i; k + 6 <= line_end; k++)
        if (memcmp(buf + k, " HTTP/", 6) == 0) {
            http = buf + k;
            break;
        }
    if (!http)
        return;
    h->is_http = true;
    h->method = buf;
    h->method_len = i;
    if (!eol) {
        h->malformed = true;
        h->malformed_line = 1;
        return;
    }
    size_t pos = line_end + 1;
    int line = 2;
    for (;;) {
        if (pos >= len) {
            /* Headers but no blank line: there is no body. */
            h->malformed = true;
            h->malformed_line = line;
            return;
        }
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        size_t llen = end - pos;
        const char *l = buf + pos;
        if (llen == 0 || (llen == 1 && l[0] == '\r')) {
            h->body_offset = nl ? end + 1 : len;
            h->body_line = line + 1;
            return;
        }
        const char *v;
        size_t vlen;
        if (header_is(l, llen, "x-amz-target", &v, &vlen)) {
            h->target = v;
            h->target_len = vlen;
            h->target_line = line;
        } else if (header_is(l, llen, "content-type", &v, &vlen)) {
            /* Compare the media type only: parameters (charset) are allowed. */
            const char *semi = memchr(v, ';', vlen);
            h->content_type = v;
            h->content_type_len = semi ? (size_t)(semi - v) : vlen;
            while (h->content_type_len && v[h->content_type_len - 1] == ' ')
                h->content_type_len--;
            h->content_type_line = line;
        } else if (header_is(l, llen, "content-length", &v, &vlen)) {
            long long n = 0;
            bool ok = vlen > 0 && vlen < 16;
            for (size_t k = 0; k < vlen && ok; k++) {
                if (v[k] < '0' || v[k] > '9')
                    ok = false;
                else
                    n = n * 10 + (v[k] - '0');
            }
            h->content_length = ok ? n : -1;
            h->content_length_line = line;
        } else if (!memchr(l, ':', llen)) {
            h->malformed = true;
            h->malformed_line = line;
            return;
        }
        if (!nl) {
            h->malformed = true;
            h->malformed_line = line;
            return;
        }
        pos = end + 1;
        line++;
    }
}

ecrlint_status el_http_check(el_ctx *cx, const el_http *h, size_t body_len, el_pick *pick,
                             el_http_outcome *out)
{
    ecrlint_result *res = cx->res;
    *out = EL_HTTP_DONE;
    if (h->malformed) {
        res->kind = ECRLINT_KIND_ERROR;
        return el_report_at(cx, "ECR0034", h->malformed_line, 1, NULL);
    }
    if (h->method_len != 4 || memcmp(h->method, "POST", 4) != 0) {
        char m[16];
        snprintf(m, sizeof m, "%.*s", (int)(h->method_len < 15 ? h->method_len : 15), h->method);
        el_var v[] = {{"method", m}, {NULL, NULL}};
        el_report_at(cx, "ECR0033", 1, 1, v);
    }
    if (h->content_type && !(h->content_type_len == 26 &&
                             memcmp(h->content_type, "application/x-amz-json-1.1", 26) == 0)) {
        el_buf_reset(&cx->scratch);
        el_buf_append(&cx->scratch, h->content_type, h->content_type_len);
        el_var v[] = {{"value", cx->scratch.data}, {NULL, NULL}};
        el_report_at(cx, "ECR0031", h->content_type_line, 1, v);
    }
    if (h->content_length >= 0 && (size_t)h->content_length != body_len) {
        char want[32], got[32];
        snprintf(want, sizeof want, "%lld", h->content_length);
        snprintf(got, sizeof got, "%zu", body_len);
        el_var v[] = {{"declared", want}, {"actual", got}, {NULL, NULL}};
        el_report_at(cx, "ECR0032", h->content_length_line, 1, v);
    }
    if (!pick->kind) {
        if (!h->target) {
            el_report_at(cx, "ECR0030", 1, 1, NULL);
        } else if ((pick->op = el_operation_for_target(cx->rs, h->target, h->target_len))) {
            pick->kind = &el_kind_operation;
        } else {
            res->kind = ECRLINT_KIND_SKIPPED;
            el_buf_reset(&cx->scratch);
            el_buf_printf(&cx->scratch, "X-Amz-Target '%.*s' is not an operation ecrlint checks",
                          (int)(h->target_len < 200 ? h->target_len : 200), h->target);
            if (!el_result_keep(res, &res->skip_reason, cx->scratch.data))
                return cx->status = ECRLINT_ERR_NOMEM;
            return cx->status;
        }
    }
    *out = EL_HTTP_BODY;
    return cx->status;
}

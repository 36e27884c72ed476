/* buf.c - growable byte buffer. An allocation failure is sticky: the buffer records it and
 * every later append is a no-op returning false, so callers may check once at the end. */
#include <stdio.h>
#include <string.h>

#include "util/el_alloc.h"
#include "util/el_buf.h"

bool el_buf_grow(el_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > ((size_t)-1) / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = b->borrowed ? el_malloc(cap) : el_realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    if (b->borrowed)
        memcpy(p, b->data, b->len + 1);
    b->borrowed = false;
    b->data = p;
    b->cap = cap;
    return true;
}

bool el_buf_append_slow(el_buf *b, const char *data, size_t len)
{
    if (!el_buf_grow(b, len))
        return false;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

bool el_buf_printf(el_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return false;
    if ((size_t)n < sizeof small)
        return el_buf_append(b, small, (size_t)n);
    if (!el_buf_grow(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

/* Length of the valid UTF-8 sequence at s[0..len), or 0 when invalid (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). */
size_t el_utf8_sequence(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t n;
    unsigned int cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Bytes that need no escaping in a JSON string: printable ASCII but '"' and '\\'. */
static bool json_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

bool el_buf_json_string(el_buf *b, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    el_buf_putc(b, '"');
    size_t i = 0;
    while (i < len) {
        /* Copy runs of plain bytes at once: most strings are nothing but. */
        size_t run = i;
        while (run < len && json_plain(s[run]))
            run++;
        if (run > i) {
            el_buf_append(b, (const char *)s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t n = el_utf8_sequence(s + i, len - i);
            if (n == 0) {
                el_buf_append(b, "\\ufffd", 6);
                i++;
            } else {
                el_buf_append(b, (const char *)s + i, n);
                i += n;
            }
            continue;
        }
        switch (c) {
        case '"':
            el_buf_append(b, "\\\"", 2);
            break;
        case '\\':
            el_buf_append(b, "\\\\", 2);
            break;
        case '\n':
            el_buf_append(b, "\\n", 2);
            break;
        case '\r':
            el_buf_append(b, "\\r", 2);
            break;
        case '\t':
            el_buf_append(b, "\\t", 2);
            break;
        case '\b':
            el_buf_append(b, "\\b", 2);
            break;
        case '\f':
            el_buf_append(b, "\\f", 2);
            break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            el_buf_append(b, esc, 6);
        }
        }
        i++;
    }
    return el_buf_putc(b, '"');
}

char *el_buf_take(el_buf *b)
{
    if (b->failed) {
        el_buf_free(b);
        return NULL;
    }
    char *p = b->borrowed ? el_strndup(b->data, b->len) : b->data;
    if (!p)
        p = el_strdup("");
    el_buf_init(b);
    return p;
}

const char *el_fmt_int(char out[EL_INT_TEXT], long long v)
{
    unsigned long long u =
        v < 0 ? (unsigned long long)0 - (unsigned long long)v : (unsigned long long)v;
    char *p = el_fmt_uint(out, u);
    if (v < 0)
        *--p = '-';
    return p;
}

/* Deeper than this, a value is written as null: the trees written here are a manifest's facts,
 * a few levels deep, but a platform object is copied from the input as it is. */
#define JSON_VALUE_MAX_DEPTH 256

static bool json_value(el_buf *b, const json_t *v, int depth)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (depth >= JSON_VALUE_MAX_DEPTH)
            return el_buf_append(b, "null", 4);
        el_buf_putc(b, '{');
        const char *key;
        json_t *mv;
        bool first = true;
        json_object_foreach((json_t *)v, key, mv)
        {
            if (!first)
                el_buf_putc(b, ',');
            first = false;
            el_buf_json_string(b, key, strlen(key));
            el_buf_putc(b, ':');
            json_value(b, mv, depth + 1);
        }
        return el_buf_putc(b, '}');
    }
    case JSON_ARRAY: {
        if (depth >= JSON_VALUE_MAX_DEPTH)
            return el_buf_append(b, "null", 4);
        el_buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                el_buf_putc(b, ',');
            json_value(b, json_array_get(v, i), depth + 1);
        }
        return el_buf_putc(b, ']');
    }
    case JSON_STRING:
        return el_buf_json_string(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER: {
        json_int_t n = json_integer_value(v);
        if (n < 0) {
            el_buf_putc(b, '-');
            return el_buf_put_uint(b, (unsigned long long)0 - (unsigned long long)n);
        }
        return el_buf_put_uint(b, (unsigned long long)n);
    }
    case JSON_REAL: {
        /* as jansson writes reals: 17 significant digits, and ".0" when that looks like an
         * integer, so that a reader still sees a real */
        char t[40];
        int n = snprintf(t, sizeof t, "%.17g", json_real_value(v));
        if (n < 0 || (size_t)n >= sizeof t - 2)
            return el_buf_puts(b, t);
        if (!strpbrk(t, ".eE"))
            memcpy(t + n, ".0", 3);
        return el_buf_puts(b, t);
    }
    case JSON_TRUE:
        return el_buf_append(b, "true", 4);
    case JSON_FALSE:
        return el_buf_append(b, "false", 5);
    case JSON_NULL:
        return el_buf_append(b, "null", 4);
    }
    return false;
}

bool el_buf_json_value(el_buf *b, const json_t *v)
{
    return json_value(b, v, 0) && !b->failed;
}

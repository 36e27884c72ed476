/* el_buf.h - growable byte buffer, JSON text and decimal numbers written into it.
 *
 * A buffer latches its first allocation failure (`failed`): later appends do nothing, and the
 * writer tests the flag once at the end instead of after every append. */
#ifndef EL_UTIL_EL_BUF_H
#define EL_UTIL_EL_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "util/el_alloc.h"
#include "util/el_error.h"

typedef struct el_buf {
    char *data; /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    bool failed;   /* an allocation failed; later appends do nothing */
    bool borrowed; /* data is the caller's storage (el_buf_init_in), not to be freed */
} el_buf;

static inline void el_buf_init(el_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
    b->borrowed = false;
}

/* Starts in the caller's storage (cap bytes, usually on the stack) and moves to the heap only
 * when it outgrows it: most messages fit. data must not be kept past the storage's life. */
static inline void el_buf_init_in(el_buf *b, char *storage, size_t cap)
{
    el_buf_init(b);
    if (storage && cap) {
        b->data = storage;
        b->data[0] = '\0';
        b->cap = cap;
        b->borrowed = true;
    }
}

static inline void el_buf_free(el_buf *b)
{
    if (!b->borrowed)
        el_free(b->data);
    el_buf_init(b);
}

static inline void el_buf_reset(el_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    b->failed = false;
}
/* The common case, room left, is inline; growing is el_buf_append_slow. */
bool el_buf_append_slow(el_buf *b, const char *data, size_t len);

static inline bool el_buf_append(el_buf *b, const char *data, size_t len)
{
    if (!b->failed && b->cap - b->len > len) { /* cap > 0 here, so data is set */
        if (len)
            memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return true;
    }
    return el_buf_append_slow(b, data, len);
}

static inline bool el_buf_puts(el_buf *b, const char *s)
{
    return el_buf_append(b, s, strlen(s));
}

static inline bool el_buf_putc(el_buf *b, char c)
{
    if (!b->failed && b->cap - b->len > 1) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return true;
    }
    return el_buf_append_slow(b, &c, 1);
}
/* Makes room for `extra` more bytes and the NUL (moving borrowed storage to the heap); false
 * once the buffer has failed. */
bool el_buf_grow(el_buf *b, size_t extra);

/* Room for n more bytes (and the NUL): where they go, or NULL once the buffer has failed.
 * The caller writes at most n bytes there and hands the end to el_buf_commit: a line made of
 * known pieces is written with one capacity check instead of one per piece. */
static inline char *el_buf_reserve(el_buf *b, size_t n)
{
    if (!b->failed && b->cap - b->len > n)
        return b->data + b->len;
    return el_buf_grow(b, n) ? b->data + b->len : NULL;
}

static inline void el_buf_commit(el_buf *b, char *end)
{
    b->len = (size_t)(end - b->data);
    b->data[b->len] = '\0';
}
bool el_buf_printf(el_buf *b, const char *fmt, ...) EL_PRINTF(2, 3);
/* Length of the valid UTF-8 sequence at s[0..len), 0 when invalid (overlong, surrogate, >U+10FFFF).
 */
size_t el_utf8_sequence(const unsigned char *s, size_t len);
/* Appends a JSON string literal (quotes and escapes); invalid UTF-8 becomes U+FFFD. */
bool el_buf_json_string(el_buf *b, const char *s, size_t len);
/* Appends v as compact JSON: members in their order, strings as el_buf_json_string writes
 * them (the same escaping as the rest of the JSON report). */
bool el_buf_json_value(el_buf *b, const json_t *v);
/* The library's one integer formatter: the decimal text of v at the end of out, NUL-terminated;
 * returns where it starts inside out. */
#define EL_INT_TEXT 24
static inline char *el_fmt_uint(char out[EL_INT_TEXT], unsigned long long v)
{
    char *p = out + EL_INT_TEXT - 1;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

/* The same for a signed value. */
const char *el_fmt_int(char out[EL_INT_TEXT], long long v);

/* Appends v in decimal. */
static inline bool el_buf_put_uint(el_buf *b, unsigned long long v)
{
    char tmp[EL_INT_TEXT];
    const char *p = el_fmt_uint(tmp, v);
    return el_buf_append(b, p, (size_t)(tmp + EL_INT_TEXT - 1 - p));
}

/* Takes the buffer's text (caller frees with el_free); the buffer is left empty. */
char *el_buf_take(el_buf *b);

#endif

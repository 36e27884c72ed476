/* text.c - small text helpers: edit distance for suggestions, JSON pointer tokens, UTF-8,
 * wildcard patterns. */
#include <stdint.h>
#include <string.h>

#include <nettle/base64.h>

#include "util/el_buf.h"
#include "util/el_json.h"
#include "util/el_text.h"

/* Only the cells within `limit` of the diagonal are computed (a cell further away costs more
 * than `limit` edits whatever follows), so a call costs about len(a) * (2 * limit + 1) steps,
 * not len(a) * len(b): did-you-mean asks it for every value of an enum on every bad value. */
size_t el_edit_distance(const char *a, const char *b, size_t limit)
{
    return el_edit_distance_n(a, strlen(a), b, strlen(b), limit);
}

size_t el_edit_distance_n(const char *a, size_t la, const char *b, size_t lb, size_t limit)
{
    if (la > 64 || lb > 64)
        return limit + 1; /* member names are short; do not spend time on long strings */
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    /* A common beginning and end cost nothing and change nothing (media types share
     * "application/vnd." and "+json"): only what lies between is compared. */
    while (la && lb && *a == *b) {
        a++, b++;
        la--, lb--;
    }
    while (la && lb && a[la - 1] == b[lb - 1])
        la--, lb--;
    const size_t over = limit + 1; /* stands for "more than limit" outside the band */
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j <= limit ? j : over;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > limit ? i - limit : 1;
        size_t hi = i + limit < lb ? i + limit : lb;
        size_t diag = row[lo - 1];                      /* the row above, one column left */
        row[lo - 1] = lo == 1 && i <= limit ? i : over; /* this row, left of the band */
        size_t best = row[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            if (v > over)
                v = over;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return over;
    }
    return row[lb] > limit ? over : row[lb];
}

bool el_pointer_append(el_buf *b, const char *token)
{
    el_buf_putc(b, '/');
    const char *p = token;
    for (;;) {
        size_t run = strcspn(p, "~/");
        el_buf_append(b, p, run);
        p += run;
        if (!*p)
            break;
        el_buf_append(b, *p == '~' ? "~0" : "~1", 2);
        p++;
    }
    return !b->failed;
}

size_t el_utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    size_t i = 0;
    while (i < len) {
        uint64_t word;
        if (len - i >= 8 && (memcpy(&word, s + i, 8), !(word & 0x8080808080808080ULL))) {
            n += 8; /* eight ASCII bytes, eight code points */
            i += 8;
            continue;
        }
        if ((unsigned char)s[i] < 0x80) { /* the tail of an ASCII string */
            n++;
            i++;
            continue;
        }
        size_t k = el_utf8_sequence((const unsigned char *)s + i, len - i);
        i += k ? k : 1;
        n++;
    }
    return n;
}

const char *el_json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    case JSON_NULL:
        return "null";
    }
    return "null";
}

bool el_base64_length(const char *s, size_t len, size_t *bytes)
{
    /* Nettle decodes; it also skips white space, which RFC 4648 text does not have, and its
     * final step accepts unpadded text, which must be a multiple of four characters. */
    if (len % 4 || (len && s[len - 1] == '=' && s[len - 2] == '=' && s[len - 3] == '='))
        return false; /* three '=' would end a group of one character: six bits, no byte */
    for (size_t i = 0; i < len; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
            s[i] == '\v')
            return false;
    struct base64_decode_ctx ctx;
    base64_decode_init(&ctx);
    uint8_t out[BASE64_DECODE_LENGTH(1024)];
    size_t total = 0;
    for (size_t at = 0; at < len; at += 1024) {
        size_t n = len - at < 1024 ? len - at : 1024, got = sizeof out;
        if (!base64_decode_update(&ctx, &got, out, n, s + at))
            return false;
        total += got;
    }
    if (!base64_decode_final(&ctx))
        return false;
    *bytes = total;
    return true;
}

bool el_glob_match(const char *pattern, const char *text, bool question)
{
    /* '*' backtracks to the last star only: a later star can take over whatever an earlier one
     * would, so that is enough, and it costs at most |pattern| * |text| steps */
    const char *p = pattern, *t = text, *star = NULL, *resume = NULL;
    while (*t) {
        if (*p == '*') {
            star = p++;
            resume = t;
        } else if (*p && (*p == *t || (question && *p == '?'))) {
            p++;
            t++;
        } else if (star) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* json_relax.c - valid JSON that jansson cannot hold, rewritten into JSON it can, in place and
 * at the same length (util/el_json.h).
 *
 * RFC 8259 lets a parser limit the range of numbers (section 6), the depth of nesting (section
 * 9), and leaves strings with unpaired surrogate escapes to the receiver (section 8.2); jansson
 * refuses all three, which made ecrlint call valid JSON "invalid". Each rewrite keeps every
 * byte offset, so lines and columns of the findings are those of the original text. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/el_alloc.h"
#include "util/el_json.h"

static int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static void note(el_json_relax_notes *n, el_json_relax_kind kind, size_t offset)
{
    if (n->count[kind]++ == 0)
        n->first[kind] = offset;
}

/* A string from its opening quote at s[i]; returns the index after its closing quote, or len. */
static size_t relax_string(char *s, size_t i, size_t len, el_json_relax_notes *n)
{
    for (i++; i < len; i++) {
        if (s[i] == '"')
            return i + 1;
        if (s[i] != '\\')
            continue;
        if (i + 1 < len && s[i + 1] == 'u' && i + 6 <= len) {
            int u = hex4(s + i + 2);
            bool high = u >= 0xD800 && u <= 0xDBFF, low = u >= 0xDC00 && u <= 0xDFFF;
            if (high && i + 12 <= len && s[i + 6] == '\\' && s[i + 7] == 'u') {
                int u2 = hex4(s + i + 8);
                if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
                    i += 11; /* a pair */
                    continue;
                }
            }
            if (high || low) {
                /* unpaired: read as U+FFFD, one character that no pattern of the model takes,
                 * as the unpaired UTF-16 unit is for a reader that keeps it */
                memcpy(s + i, "\\uFFFD", 6);
                note(n, EL_RELAX_SURROGATE, i);
            }
            i += 5;
            continue;
        }
        i++; /* the escaped character */
    }
    return len;
}

/* A number at s[i]; returns the index after it. */
static size_t relax_number(char *s, size_t i, size_t len, el_json_relax_notes *n)
{
    size_t start = i;
    bool neg = s[i] == '-', real = false;
    size_t digits = 0;
    if (neg)
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        i++;
        digits++;
    }
    while (i < len && (s[i] == '.' || s[i] == 'e' || s[i] == 'E' || s[i] == '+' || s[i] == '-' ||
                       (s[i] >= '0' && s[i] <= '9'))) {
        real = true;
        i++;
    }
    size_t tlen = i - start;
    bool big = false;
    if (!real) {
        /* beyond int64: jansson refuses ("too big integer") */
        if (digits > 19)
            big = true;
        else if (digits == 19) {
            char tmp[24];
            memcpy(tmp, s + start, tlen);
            tmp[tlen] = '\0';
            errno = 0;
            (void)strtoll(tmp, NULL, 10);
            big = errno == ERANGE;
        }
    } else if (tlen < 512) {
        char tmp[512];
        memcpy(tmp, s + start, tlen);
        tmp[tlen] = '\0';
        errno = 0;
        double d = strtod(tmp, NULL);
        big = errno == ERANGE && isinf(d);
    }
    if (big) {
        /* The largest power of ten a double holds, with the number's sign: a number, not an
         * integer, as far beyond every range of the model as the original. A token this large
         * has room for it (at least 5 characters, 6 with a sign). */
        const char *r = neg ? "-1e308" : "1e308";
        size_t rl = strlen(r);
        if (rl <= tlen) {
            memcpy(s + start, r, rl);
            memset(s + start + rl, ' ', tlen - rl);
            note(n, EL_RELAX_NUMBER, start);
        }
    }
    return i;
}

static void blank(char *s, size_t j)
{
    if (s[j] != '\n' && s[j] != '\r')
        s[j] = ' ';
}

/* Blanks the container opening at s[i] (brackets inside strings do not count) to an empty
 * container of the same length, newlines kept; returns the index after it. */
static size_t blank_container(char *s, size_t i, size_t len)
{
    char open = s[i];
    size_t depth = 0;
    for (size_t k = i; k < len; k++) {
        char c = s[k];
        if (c == '"') {
            size_t end = k + 1;
            while (end < len && s[end] != '"')
                end += s[end] == '\\' ? 2 : 1;
            if (end >= len)
                end = len - 1;
            for (size_t j = k; j <= end; j++)
                blank(s, j);
            k = end;
            continue;
        }
        if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && --depth == 0) {
            s[k] = open == '[' ? ']' : '}';
            return k + 1;
        }
        if (k != i)
            blank(s, k);
    }
    return len;
}

char *el_json_relax(const char *text, size_t len, size_t max_depth, el_json_relax_notes *notes)
{
    memset(notes, 0, sizeof *notes);
    char *s = el_malloc(len + 1);
    if (!s)
        return NULL;
    memcpy(s, text, len);
    s[len] = '\0';
    size_t depth = 0;
    for (size_t i = 0; i < len;) {
        char c = s[i];
        if (c == '"') {
            i = relax_string(s, i, len, notes);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            i = relax_number(s, i, len, notes);
        } else if (c == '[' || c == '{') {
            if (depth >= max_depth) {
                note(notes, EL_RELAX_DEPTH, i);
                i = blank_container(s, i, len);
            } else {
                depth++;
                i++;
            }
        } else {
            if ((c == ']' || c == '}') && depth > 0)
                depth--;
            i++;
        }
    }
    return s;
}

size_t el_json_depth_past(const char *text, size_t len, size_t limit)
{
    size_t depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '"') {
            /* to the closing quote: the next quote not escaped (after an even run of
             * backslashes; the opening quote ends the run), found with memchr - most of a
             * document's bytes are in strings, and a byte loop took four times as long */
            for (;;) {
                const char *q = memchr(text + i + 1, '"', len - i - 1);
                if (!q)
                    return len;
                i = (size_t)(q - text);
                size_t backslashes = 0;
                while (text[i - 1 - backslashes] == '\\')
                    backslashes++;
                if (backslashes % 2 == 0)
                    break;
            }
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return len;
}

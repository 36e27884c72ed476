/* json_text.c - parsing a document's text with jansson, white space left out first.
 *
 * jansson reads its input a byte at a time, through a callback per byte, and spends about as
 * much on a byte of indentation as on a byte of a value; a fifth of a pretty-printed request
 * is such white space. So a text with line breaks is copied with the white space between its
 * tokens dropped, and the copy is parsed: white space outside strings carries no value, and
 * the tree is the same. Where dropping it would join two tokens ("1 2", "true false"), one
 * space stays, so that the copy is valid JSON exactly when the text is.
 *
 * Line and column numbers in jansson's errors would be those of the copy, so any failure is
 * answered by parsing the text as written instead: errors, and their positions, are exactly
 * what json_loadb says of the text. Texts over SQUEEZE_MAX are parsed as written: the copy
 * would add its size to a large input's peak memory. */
#include <stdint.h>
#include <string.h>

#include "el_private.h"

/* Texts shorter than this are parsed as they are: the copy would save next to nothing. */
#define SQUEEZE_MIN 64
/* Copies up to this size go on the stack; larger ones, up to SQUEEZE_MAX, in the arena. */
#define SQUEEZE_STACK 8192
#define SQUEEZE_MAX ((size_t)1 << 20)

/* Bytes outside strings: part of a number or literal (WORD: anything jansson might read as
 * one, so never joined to a neighbour), white space, the opening quote, punctuation. */
enum { C_WORD = 0, C_WS, C_QUOTE, C_PUNCT };
static const unsigned char byte_class[256] = {
    [' '] = C_WS,    ['\t'] = C_WS,   ['\n'] = C_WS,   ['\r'] = C_WS,  ['"'] = C_QUOTE,
    ['{'] = C_PUNCT, ['}'] = C_PUNCT, ['['] = C_PUNCT, [']'] = C_PUNCT, [':'] = C_PUNCT,
    [','] = C_PUNCT};

/* Eight bytes at a time, in a word: masks with the high bit of each byte that is nonzero, or
 * that equals x. Exact per byte (no carry crosses from one byte to the next). */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static inline uint64_t nonzero_bytes(uint64_t d)
{
    return (((d & ~HIGHS) + ~HIGHS) | d) & HIGHS;
}

static inline uint64_t bytes_equal(uint64_t w, unsigned char x)
{
    return ~nonzero_bytes(w ^ (ONES * x)) & HIGHS;
}

/* The index (0..7, in memory order) of the first byte flagged in a nonzero mask. */
static inline size_t first_flagged(uint64_t mask)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(mask) / 8;
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (size_t)__builtin_clzll(mask) / 8;
#else
    unsigned char b[8];
    memcpy(b, &mask, 8);
    size_t k = 0;
    while (!b[k])
        k++;
    return k;
#endif
}

/* Copies s[0..len) to out (room for len bytes) without the white space between tokens;
 * returns the copy's length. */
static size_t squeeze(const unsigned char *s, size_t len, unsigned char *out)
{
    size_t i = 0, o = 0; /* o <= i throughout: eight bytes stored at o stay inside out */
    bool word = false;   /* the last byte copied is a WORD byte */
    while (i < len) {
        unsigned char c = s[i], k = byte_class[c];
        if (k == C_WS) {
            /* Indentation is mostly spaces: eight at a time. */
            size_t e = i + 1;
            for (;;) {
                if (len - e >= 8) {
                    uint64_t w;
                    memcpy(&w, s + e, 8);
                    if (w == ONES * ' ') {
                        e += 8;
                        continue;
                    }
                    e += first_flagged(nonzero_bytes(w ^ (ONES * ' '))); /* the first other */
                }
                if (e < len && byte_class[s[e]] == C_WS) {
                    e++;
                    continue;
                }
                break;
            }
            if (word && e < len && byte_class[s[e]] == C_WORD)
                out[o++] = ' '; /* two tokens stay two */
            i = e;
            continue;
        }
        out[o++] = c;
        i++;
        word = k == C_WORD;
        if (k != C_QUOTE)
            continue;
        /* A string, copied up to its closing quote, eight bytes at a time. */
        for (;;) {
            while (len - i >= 8) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                memcpy(out + o, &w, 8);
                uint64_t m = bytes_equal(w, '"') | bytes_equal(w, '\\');
                if (m) {
                    size_t at = first_flagged(m);
                    i += at;
                    o += at;
                    break;
                }
                i += 8;
                o += 8;
            }
            while (i < len && s[i] != '"' && s[i] != '\\')
                out[o++] = s[i++];
            if (i >= len)
                return o; /* unterminated: jansson says so */
            c = s[i++];
            out[o++] = c;
            if (c == '"')
                break;
            if (i < len)
                out[o++] = s[i++]; /* the escaped byte, whatever it is */
        }
    }
    return o;
}

json_t *el_json_parse(const char *buf, size_t len, size_t flags, json_error_t *err, bool *oom)
{
    *oom = false;
    if (len >= SQUEEZE_MIN && len <= SQUEEZE_MAX && memchr(buf, '\n', len)) {
        /* Line breaks: pretty-printed, worth squeezing (JSON Lines records and compact texts
         * have none, or hardly any white space to drop). */
        unsigned char stack[SQUEEZE_STACK];
        unsigned char *copy = len <= sizeof stack ? stack : el_arena_malloc(len);
        if (!copy) {
            *oom = true;
            return NULL;
        }
        size_t n = squeeze((const unsigned char *)buf, len, copy);
        json_t *v = el_json_loadb((const char *)copy, n, flags, err, oom);
        if (copy != stack)
            el_json_free(copy);
        if (v || *oom)
            return v;
    }
    return el_json_loadb(buf, len, flags, err, oom);
}

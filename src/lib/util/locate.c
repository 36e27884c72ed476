/* locate.c - from JSON pointers to positions in the source text.
 *
 * jansson keeps no positions, so findings are placed by walking the raw text. All the pointers
 * of one input are resolved in a single pass: the walk descends only into members that some
 * pointer still needs and skips every other value with a flat scan, so the cost is linear in
 * the size of the text, however many findings there are. Lines and columns are counted on the
 * way (newlines occur only in the white space the walker skips), so there is no second pass.
 *
 * The text has been accepted by jansson before it gets here, but the walker does not rely on
 * that: on anything unexpected it stops and keeps what it found so far. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_locate.h"
#include "util/el_text.h"

typedef struct token {
    const char *text; /* unescaped: in the pointer itself unless it had an escape */
    size_t len;
} token;

typedef struct req_state {
    el_locate_req *req;
    token *tokens;
    size_t ntokens;
    size_t plen;        /* the pointer's length */
    bool escaped;       /* it has a '~': its tokens are unescaped into a copy */
    size_t depth_found; /* tokens matched so far by the deepest span recorded */
    el_span span;       /* the recorded span */
    bool have;
    bool placed; /* the pointer itself was found, its span complete: nothing can change it
                    when the text has no duplicate names */
} req_state;

typedef struct walker {
    const char *s;
    size_t len;
    size_t pos;
    req_state *states;
    size_t max_depth;
    /* The text has no duplicate member names: once every request is placed, the rest of the
     * text cannot change a span, and the walk stops (`done`). */
    bool unique_keys;
    size_t unplaced;
    bool done;
    el_buf key; /* the object key being matched, unescaped */
    /* Positions, kept as the walk goes: newlines occur only in the white space between
     * tokens, so the walker counts them where it skips that, and a column is counted from the
     * last position asked for on the same line. No second pass over the text, no sorting. */
    int line;          /* of w->pos */
    size_t line_start; /* offset of that line's first byte */
    int first_line, first_column;
    int col_line;   /* the line of the column cache */
    size_t col_pos; /* an offset on that line, and its column */
    int col;
} walker;

static void newline(walker *w, size_t at)
{
    w->line++;
    w->line_start = at + 1;
}

/* Line and column of `off`, an offset on the walker's current line at or after the last one
 * asked for (the walk asks in increasing order). */
static inline void position(walker *w, size_t off, int *line, int *column)
{
    if (w->col_line != w->line || off < w->col_pos) {
        w->col_line = w->line;
        w->col_pos = w->line_start;
        w->col = w->line == w->first_line ? w->first_column : 1;
    }
    const char *t = w->s;
    size_t pos = w->col_pos, end = off < w->len ? off : w->len;
    while (pos < end) {
        uint64_t word;
        if (end - pos >= 8 && (memcpy(&word, t + pos, 8), !(word & 0x8080808080808080ULL))) {
            w->col += 8; /* eight ASCII bytes */
            pos += 8;
            continue;
        }
        if ((unsigned char)t[pos] < 0x80) {
            pos++;
        } else {
            size_t k = el_utf8_sequence((const unsigned char *)t + pos, w->len - pos);
            pos += k ? k : 1;
        }
        w->col++;
    }
    w->col_pos = pos;
    *line = w->line;
    *column = w->col;
}

/* JSON's white space: 1, and 2 for a newline. */
static const unsigned char ws_class[256] = {[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 2};

static void skip_ws_run(walker *w)
{
    const char *s = w->s;
    size_t pos = w->pos, len = w->len;
    unsigned char k;
    while (pos < len && (k = ws_class[(unsigned char)s[pos]]) != 0) {
        if (k == 2)
            newline(w, pos);
        pos++;
    }
    w->pos = pos;
}

/* Most tokens follow the one before without white space (compact text), or after a newline
 * and an indent: the first byte decides. */
static inline void skip_ws(walker *w)
{
    if (w->pos < w->len && ws_class[(unsigned char)w->s[w->pos]])
        skip_ws_run(w);
}

/* Skips a string starting at its opening quote; returns false when unterminated. */
static bool skip_string(walker *w)
{
    w->pos++; /* opening quote */
    while (w->pos < w->len) {
        const char *q = memchr(w->s + w->pos, '"', w->len - w->pos);
        if (!q)
            break;
        size_t at = (size_t)(q - w->s);
        /* count the backslashes just before the quote */
        size_t bs = 0;
        while (at > w->pos + bs && w->s[at - 1 - bs] == '\\')
            bs++;
        w->pos = at + 1;
        if (bs % 2 == 0)
            return true;
    }
    w->pos = w->len;
    return false;
}

/* Skips any value without recursion: containers are skipped by counting brackets outside
 * strings. Returns false on malformed text. */
static bool skip_value(walker *w)
{
    skip_ws(w);
    if (w->pos >= w->len)
        return false;
    char c = w->s[w->pos];
    if (c == '"')
        return skip_string(w);
    if (c == '{' || c == '[') {
        /* bytes that matter while skipping a container: quotes and brackets */
        static const unsigned char stop[256] = {
            ['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['\n'] = 1};
        size_t depth = 0;
        const char *s = w->s;
        size_t len = w->len;
        while (w->pos < len) {
            size_t pos = w->pos;
            while (pos < len && !stop[(unsigned char)s[pos]])
                pos++;
            w->pos = pos;
            if (pos >= len)
                break;
            c = w->s[w->pos];
            if (c == '"') {
                if (!skip_string(w))
                    return false;
                continue;
            }
            if (c == '\n')
                newline(w, w->pos);
            else if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (depth == 0)
                    return false;
                depth--;
                if (depth == 0) {
                    w->pos++;
                    return true;
                }
            }
            w->pos++;
        }
        return false;
    }
    /* number, true, false, null */
    while (w->pos < w->len) {
        c = w->s[w->pos];
        if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r')
            break;
        w->pos++;
    }
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex4(const char *s, size_t len, size_t i, unsigned *out)
{
    if (i + 4 > len)
        return false;
    unsigned v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(s[i + k]);
        if (h < 0)
            return false;
        v = (v << 4) | (unsigned)h;
    }
    *out = v;
    return true;
}

static size_t put_utf8(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Unescapes the JSON string at w->pos (opening quote) into w->key, and leaves w->pos after the
 * closing quote; *bad is set when it holds an invalid escape (then it equals no token). Returns
 * false when memory ran out. */
static bool decode_key(walker *w, bool *bad)
{
    const char *s = w->s;
    size_t i = w->pos + 1;
    *bad = false;
    el_buf_reset(&w->key);
    while (i < w->len && s[i] != '"') {
        char dec[8];
        size_t n;
        if (s[i] == '\\' && i + 1 < w->len) {
            char e = s[i + 1];
            i += 2;
            switch (e) {
            case 'n':
                dec[0] = '\n';
                n = 1;
                break;
            case 't':
                dec[0] = '\t';
                n = 1;
                break;
            case 'r':
                dec[0] = '\r';
                n = 1;
                break;
            case 'b':
                dec[0] = '\b';
                n = 1;
                break;
            case 'f':
                dec[0] = '\f';
                n = 1;
                break;
            case 'u': {
                unsigned cp;
                if (!read_hex4(s, w->len, i, &cp)) {
                    n = 0;
                    *bad = true; /* not a valid escape: no token can equal this key */
                    break;
                }
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= w->len && s[i] == '\\' &&
                    s[i + 1] == 'u') {
                    unsigned lo;
                    if (read_hex4(s, w->len, i + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                n = put_utf8(cp, dec);
                break;
            }
            default:
                dec[0] = e;
                n = 1;
                break;
            }
        } else {
            /* a run of plain bytes at once (at least one: a '\\' ending the text) */
            size_t j = i + 1;
            while (j < w->len && s[j] != '"' && s[j] != '\\')
                j++;
            el_buf_append(&w->key, s + i, j - i);
            i = j;
            continue;
        }
        el_buf_append(&w->key, dec, n);
    }
    w->pos = i < w->len ? i + 1 : w->len;
    return !w->key.failed;
}

static bool parse_index(const token *tok, size_t *out)
{
    if (tok->len == 0 || tok->len > 18 || (tok->len > 1 && tok->text[0] == '0'))
        return false;
    size_t v = 0;
    for (size_t i = 0; i < tok->len; i++) {
        if (tok->text[i] < '0' || tok->text[i] > '9')
            return false;
        v = v * 10 + (size_t)(tok->text[i] - '0');
    }
    *out = v;
    return true;
}

/* Records a span for a request reached at `depth`; deeper spans win, and a later occurrence
 * at the same depth (a duplicate key) replaces an earlier one. A KEY request takes the key's
 * span, not the value's, when the member exists. */
static void record(walker *w, req_state *st, size_t depth, const el_span *span, bool is_key,
                   bool in_object)
{
    bool key = st->req->what == EL_LOCATE_KEY && in_object;
    if (depth == st->ntokens && key && !is_key)
        return;
    if (!st->have || depth >= st->depth_found) {
        st->have = true;
        st->depth_found = depth;
        st->span = *span;
    }
    /* What a request asks for is final once found: a key's span at its key, a value's once
     * the value is walked (the key's span stands in for it until then). */
    if (!st->placed && depth == st->ntokens && is_key == key) {
        st->placed = true;
        if (--w->unplaced == 0 && w->unique_keys)
            w->done = true;
    }
}

/* A request continuing below a container, keyed by what it needs there: an object key (the
 * token) or an array index. Sorted, so that each member finds its requests by binary search
 * (objects) or a moving cursor (arrays): the cost stays linear in the text, not the text
 * times the number of findings. */
typedef struct pending {
    const char *text;
    size_t len;
    size_t index; /* SIZE_MAX: the token is not an index */
    size_t req;
} pending;

static int cmp_key(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return alen < blen ? -1 : 1;
    return alen ? memcmp(a, b, alen) : 0;
}

static int cmp_pending_key(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    return cmp_key(x->text, x->len, y->text, y->len);
}

static int cmp_pending_index(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Few requests continue below most containers: a stack buffer holds them. */
#define SMALL 16
/* Up to this many, each member is compared with every request instead of sorting them. */
#define LINEAR 8
/* The tokens of the pointers of one input, and their unescaped texts, up to this many tokens'
   worth: on the stack. */
#define SMALL_TOKENS 64

/* Walks the value at w->pos. `active` lists the requests whose first `depth` tokens matched
 * the path to this value; `in_object` says whether that value is an object member. */
static bool walk(walker *w, const size_t *active, size_t nactive, size_t depth, bool in_object)
{
    skip_ws(w);
    size_t start = w->pos;
    if (start >= w->len)
        return false;
    char c = w->s[start];
    el_span span;
    position(w, start, &span.line, &span.column);
    span.offset = start;
    bool container = c == '{' || c == '[';

    size_t ndeeper = 0;
    if (container && depth < w->max_depth)
        for (size_t i = 0; i < nactive; i++)
            if (w->states[active[i]].ntokens > depth)
                ndeeper++;

    if (ndeeper == 0) {
        if (!skip_value(w))
            return false;
    } else {
        /* on the stack for the common few, else on the heap */
        size_t sub_small[SMALL];
        pending deeper_small[SMALL];
        bool heap = ndeeper > SMALL;
        size_t *sub = heap ? el_malloc(ndeeper * sizeof *sub) : sub_small;
        pending *deeper = heap ? el_malloc(ndeeper * sizeof *deeper) : deeper_small;
        if (!sub || !deeper) {
            if (heap) {
                el_free(sub);
                el_free(deeper);
            }
            return false;
        }
        ndeeper = 0;
        for (size_t i = 0; i < nactive; i++) {
            req_state *st = &w->states[active[i]];
            if (st->ntokens > depth) {
                pending *p = &deeper[ndeeper++];
                p->text = st->tokens[depth].text;
                p->len = st->tokens[depth].len;
                if (!parse_index(&st->tokens[depth], &p->index))
                    p->index = SIZE_MAX;
                p->req = active[i];
            }
        }
        /* A few are matched by looking at each; more are sorted, for a binary search (objects)
           or a moving cursor (arrays). */
        bool linear = ndeeper <= LINEAR;
        if (!linear)
            el_sort(deeper, ndeeper, sizeof *deeper,
                    c == '{' ? cmp_pending_key : cmp_pending_index);
        size_t cursor = 0; /* arrays: the first request whose index is not below `index` */

        bool ok = true;
        size_t index = 0;
        w->pos++; /* { or [ */
        for (;;) {
            skip_ws(w);
            if (w->pos >= w->len) {
                ok = false;
                break;
            }
            if (w->s[w->pos] == '}' || w->s[w->pos] == ']') {
                w->pos++;
                break;
            }
            size_t nsub = 0;
            size_t key_start = w->pos;
            el_span key_span = {0};
            if (c == '{') {
                if (w->s[w->pos] != '"') {
                    ok = false;
                    break;
                }
                bool bad;
                if (!decode_key(w, &bad)) {
                    ok = false;
                    break;
                }
                if (!bad && linear) {
                    const char *k = w->key.data ? w->key.data : "";
                    for (size_t q = 0; q < ndeeper; q++)
                        if (cmp_key(deeper[q].text, deeper[q].len, k, w->key.len) == 0)
                            sub[nsub++] = deeper[q].req;
                } else if (!bad) {
                    const char *k = w->key.data ? w->key.data : "";
                    size_t lo = 0, hi = ndeeper;
                    while (lo < hi) { /* the first request whose token is not below the key */
                        size_t mid = lo + (hi - lo) / 2;
                        if (cmp_key(deeper[mid].text, deeper[mid].len, k, w->key.len) < 0)
                            lo = mid + 1;
                        else
                            hi = mid;
                    }
                    for (; lo < ndeeper &&
                           cmp_key(deeper[lo].text, deeper[lo].len, k, w->key.len) == 0;
                         lo++)
                        sub[nsub++] = deeper[lo].req;
                }
                if (nsub) { /* on the key's line: white space may follow before ':' */
                    position(w, key_start, &key_span.line, &key_span.column);
                    position(w, w->pos, &key_span.end_line, &key_span.end_column);
                    key_span.offset = key_start;
                    key_span.end_offset = w->pos;
                }
                skip_ws(w);
                if (w->pos >= w->len || w->s[w->pos] != ':') {
                    ok = false;
                    break;
                }
                w->pos++;
            } else if (linear) {
                for (size_t q = 0; q < ndeeper; q++)
                    if (deeper[q].index == index)
                        sub[nsub++] = deeper[q].req;
            } else {
                while (cursor < ndeeper && deeper[cursor].index < index)
                    cursor++;
                for (; cursor < ndeeper && deeper[cursor].index == index; cursor++)
                    sub[nsub++] = deeper[cursor].req;
            }
            if (nsub) {
                for (size_t i = 0; i < nsub; i++) {
                    req_state *st = &w->states[sub[i]];
                    /* A duplicate key: forget what the earlier occurrence matched below. */
                    if (st->have && st->depth_found > depth)
                        st->have = false;
                    if (c == '{')
                        record(w, st, depth + 1, &key_span, true, true);
                }
                if (w->done) /* every request placed at its key */
                    break;
                if (!walk(w, sub, nsub, depth + 1, c == '{')) {
                    ok = false;
                    break;
                }
                if (w->done)
                    break;
            } else if (!skip_value(w)) {
                ok = false;
                break;
            }
            index++;
            skip_ws(w);
            if (w->pos < w->len && w->s[w->pos] == ',')
                w->pos++;
        }
        if (heap) {
            el_free(deeper);
            el_free(sub);
        }
        if (!ok)
            return false;
        if (w->done) /* the spans of what encloses a placed request do not matter */
            return true;
    }
    position(w, w->pos, &span.end_line, &span.end_column);
    span.end_offset = w->pos;
    for (size_t i = 0; i < nactive; i++)
        record(w, &w->states[active[i]], depth, &span, false, in_object);
    return true;
}

/* Counts an RFC 6901 pointer's tokens (one per '/') into st, with its length and whether it
 * has an escape; returns the count. */
static size_t count_tokens(const char *pointer, size_t known_len, req_state *st)
{
    size_t n = 0, len = known_len ? known_len : pointer ? strlen(pointer) : 0;
    for (const char *p = memchr(pointer ? pointer : "", '/', len); p;
         p = memchr(p + 1, '/', len - (size_t)(p + 1 - pointer)))
        n++;
    st->ntokens = n;
    st->plen = len;
    st->escaped = len && memchr(pointer, '~', len);
    return n;
}

/* Splits a pointer into its tokens (count_tokens said how many), stored in `tokens`; a pointer
 * with an escape has its tokens unescaped into `text` (at most its length plus one byte a
 * token). Returns the bytes of `text` used. */
static size_t split_pointer(const char *pointer, token *tokens, char *text, req_state *st)
{
    size_t n = st->ntokens;
    st->tokens = n ? tokens : NULL;
    if (!n)
        return 0;
    char *start = text;
    const char *p = pointer + (pointer[0] == '/'), *end = pointer + st->plen;
    for (size_t t = 0; t < n; t++) {
        const char *e = memchr(p, '/', (size_t)(end - p));
        size_t raw = e ? (size_t)(e - p) : (size_t)(end - p);
        if (!st->escaped) {
            tokens[t].text = p;
            tokens[t].len = raw;
        } else {
            char *tok = text;
            size_t k = 0;
            for (size_t i = 0; i < raw; i++) {
                if (p[i] == '~' && i + 1 < raw && (p[i + 1] == '0' || p[i + 1] == '1')) {
                    tok[k++] = p[i + 1] == '0' ? '~' : '/';
                    i++;
                } else {
                    tok[k++] = p[i];
                }
            }
            text += k + 1;
            tokens[t].text = tok;
            tokens[t].len = k;
        }
        p += raw + (e ? 1 : 0);
    }
    return (size_t)(text - start);
}

bool el_locate_all(const char *text, size_t len, el_locate_req *reqs, size_t n, int first_line,
                   int first_column, size_t max_depth, bool unique_keys)
{
    if (n == 0)
        return true;
    bool ok = false;
    /* The states and the active list: on the stack for the common few, else one block. */
    req_state states_small[SMALL];
    size_t active_small[SMALL];
    token tokens_small[SMALL_TOKENS];
    bool heap = n > SMALL;
    if (n > SIZE_MAX / (sizeof(req_state) + sizeof(size_t)))
        return false;
    req_state *states = heap ? el_malloc(n * (sizeof(req_state) + sizeof(size_t))) : states_small;
    size_t *active = !states ? NULL : heap ? (size_t *)(states + n) : active_small;
    token *tokens = NULL;
    if (!states)
        goto out;
    memset(states, 0, n * sizeof *states);
    /* Every pointer's tokens in one block: the token arrays, then the texts of those that
       needed unescaping. */
    size_t ntokens = 0, nbytes = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = count_tokens(reqs[i].pointer, reqs[i].pointer_len, &states[i]);
        size_t bytes = states[i].escaped ? states[i].plen + k : 0;
        if (k > SIZE_MAX / 2 / sizeof(token) - ntokens || bytes > SIZE_MAX / 2 - nbytes)
            goto out;
        ntokens += k;
        nbytes += bytes;
    }
    if (ntokens * sizeof *tokens + nbytes <= sizeof tokens_small)
        tokens = tokens_small;
    else if (!(tokens = el_malloc(ntokens * sizeof *tokens + nbytes)))
        goto out;
    char *texts = tokens ? (char *)(tokens + ntokens) : NULL;
    for (size_t i = 0, used = 0; i < n; i++) {
        states[i].req = &reqs[i];
        memset(&reqs[i].span, 0, sizeof reqs[i].span);
        reqs[i].exact = false;
        texts += split_pointer(reqs[i].pointer, tokens + used, texts, &states[i]);
        used += states[i].ntokens;
        active[i] = i;
    }
    walker w;
    memset(&w, 0, sizeof w);
    w.s = text;
    w.len = len;
    w.states = states;
    w.max_depth = max_depth ? max_depth : ECRLINT_DEFAULT_MAX_DEPTH;
    w.line = w.first_line = first_line;
    w.first_column = first_column;
    w.col_line = first_line - 1; /* no column cached yet */
    w.unique_keys = unique_keys;
    w.unplaced = n;
    el_buf_init(&w.key);
    (void)walk(&w, active, n, 0, false); /* on malformed text, keep what was found */
    el_buf_free(&w.key);

    for (size_t i = 0; i < n; i++) {
        if (!states[i].have)
            continue;
        reqs[i].exact = states[i].depth_found == states[i].ntokens;
        reqs[i].span = states[i].span;
    }
    ok = true;
out:
    if (tokens != tokens_small)
        el_free(tokens);
    if (heap)
        el_free(states);
    return ok;
}

/* ---- inside a string: a document held by a JSON string ------------------------------------- */

/* One unit of the string literal lit[0..len) at lit[i] (i after the opening quote): its raw
 * length, and its decoded bytes in dec (*ndec of them). A surrogate pair is one unit; a lone
 * surrogate decodes as U+FFFD. Returns 0 at the closing quote or the end. */
static size_t string_unit(const char *lit, size_t len, size_t i, char dec[8], size_t *ndec)
{
    if (i >= len || lit[i] == '"')
        return 0;
    if (lit[i] != '\\') {
        size_t k = (unsigned char)lit[i] < 0x80
                       ? 1
                       : el_utf8_sequence((const unsigned char *)lit + i, len - i);
        if (!k)
            k = 1;
        memcpy(dec, lit + i, k);
        *ndec = k;
        return k;
    }
    if (i + 1 >= len) {
        *ndec = 0;
        return 1;
    }
    static const char simple_from[] = "\"\\/bfnrt", simple_to[] = "\"\\/\b\f\n\r\t";
    const char *p = strchr(simple_from, lit[i + 1]);
    if (lit[i + 1] && p) {
        dec[0] = simple_to[p - simple_from];
        *ndec = 1;
        return 2;
    }
    unsigned cp;
    if (lit[i + 1] != 'u' || !read_hex4(lit, len, i + 2, &cp)) {
        *ndec = 0; /* not an escape jansson accepts: nothing decoded */
        return 2;
    }
    size_t raw = 6;
    unsigned lo;
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 12 <= len && lit[i + 6] == '\\' && lit[i + 7] == 'u' &&
        read_hex4(lit, len, i + 8, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        raw = 12;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
        cp = 0xFFFD;
    }
    *ndec = put_utf8(cp, dec);
    return raw;
}

bool el_string_decode(const char *lit, size_t len, el_buf *out)
{
    el_buf_reset(out);
    el_buf_puts(out, "");
    size_t i = len && lit[0] == '"' ? 1 : 0, k, ndec;
    char dec[8];
    while ((k = string_unit(lit, len, i, dec, &ndec)) != 0) {
        el_buf_append(out, dec, ndec);
        i += k;
    }
    return !out->failed;
}

void el_string_columns(const char *lit, size_t len, const size_t *targets, size_t n,
                       size_t *columns)
{
    size_t i = len && lit[0] == '"' ? 1 : 0, k, ndec, decoded = 0, col = i, t = 0;
    char dec[8];
    while (t < n && (k = string_unit(lit, len, i, dec, &ndec)) != 0) {
        while (t < n && targets[t] < decoded + ndec)
            columns[t++] = col;
        decoded += ndec;
        i += k;
        col += (unsigned char)lit[i - k] < 0x80 ? k : 1; /* escapes are ASCII */
    }
    while (t < n)
        columns[t++] = col; /* at the closing quote */
}

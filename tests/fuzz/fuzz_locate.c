/* fuzz_locate.c - the location finder on arbitrary text. The input is "pointers \0 text": up to
 * 8 pointers, one per line, then the text. When the text is JSON, the pointers of its values
 * (up to 64, in document order) are located too, so that found paths are exercised as much as
 * missing ones. The locator must never read out of bounds, loop, or place a value outside the
 * text, whatever the text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_json.h"
#include "util/el_locate.h"
#include "util/el_text.h"

#define MAX_REQS 72

typedef struct collect {
    el_locate_req reqs[MAX_REQS];
    char *owned[MAX_REQS];
    size_t n;
} collect;

static void add_pointers(collect *c, const json_t *v, el_buf *path, size_t depth)
{
    if (c->n >= MAX_REQS || depth > 32)
        return;
    char *p = el_strdup(path->data ? path->data : "");
    if (!p)
        return;
    c->owned[c->n] = p;
    c->reqs[c->n].pointer = p;
    c->reqs[c->n].what = (c->n % 3 == 2) ? EL_LOCATE_KEY : EL_LOCATE_VALUE;
    c->n++;
    size_t mark = path->len;
    if (json_is_object(v)) {
        const char *key;
        json_t *mv;
        json_object_foreach((json_t *)v, key, mv)
        {
            el_pointer_append(path, key); /* "/" + the escaped key */
            add_pointers(c, mv, path, depth + 1);
            path->len = mark;
            if (path->data)
                path->data[mark] = '\0';
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            el_buf_putc(path, '/');
            el_buf_put_uint(path, i);
            add_pointers(c, json_array_get(v, i), path, depth + 1);
            path->len = mark;
            if (path->data)
                path->data[mark] = '\0';
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ecrlint_global_init();
    const char *nul = memchr(data, 0, size);
    if (!nul)
        return 0;
    size_t head = (size_t)(nul - (const char *)data);
    char *ptrs = malloc(head + 1);
    if (!ptrs)
        return 0;
    memcpy(ptrs, data, head);
    ptrs[head] = '\0';
    collect c;
    memset(&c, 0, sizeof c);
    for (char *p = ptrs; c.n < 8 && p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        c.reqs[c.n].pointer = p;
        c.reqs[c.n].what = (c.n & 1) ? EL_LOCATE_KEY : EL_LOCATE_VALUE;
        c.n++;
        p = nl ? nl + 1 : NULL;
    }
    /* A copy of exactly the text's length, so that reading past it is caught. */
    size_t tlen = size - head - 1;
    char *text = malloc(tlen ? tlen : 1);
    if (!text) {
        free(ptrs);
        return 0;
    }
    memcpy(text, nul + 1, tlen);

    json_error_t jerr;
    bool oom;
    json_t *root = el_json_loadb(text, tlen, JSON_DECODE_ANY, &jerr, &oom);
    if (root) {
        el_buf path;
        el_buf_init(&path);
        el_buf_puts(&path, "");
        add_pointers(&c, root, &path, 0);
        el_buf_free(&path);
    }
    int lines = 1;
    for (size_t i = 0; i < tlen; i++)
        lines += text[i] == '\n';

    /* Text without duplicate names may be walked only until every pointer is placed: the
       answers must be those of the whole walk. */
    json_t *unique =
        el_json_loadb(text, tlen, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr, &oom);
    el_locate_req early[MAX_REQS];
    memcpy(early, c.reqs, c.n * sizeof *early);
    bool early_ok = unique && el_locate_all(text, tlen, early, c.n, 1, 1, 64, true);
    json_decref(unique);

    if (el_locate_all(text, tlen, c.reqs, c.n, 1, 1, 64, false)) {
        for (size_t i = 0; early_ok && i < c.n; i++)
            if (early[i].exact != c.reqs[i].exact ||
                memcmp(&early[i].span, &c.reqs[i].span, sizeof early[i].span) != 0) {
                fprintf(stderr, "'%s' placed differently when the walk stops early\n",
                        c.reqs[i].pointer);
                abort();
            }
        for (size_t i = 0; i < c.n; i++) {
            const el_span *s = &c.reqs[i].span;
            if (s->line == 0)
                continue;
            /* A span lies inside the text and does not end before it starts. */
            if (s->line < 1 || s->line > lines || s->end_line < s->line || s->end_line > lines ||
                (s->end_line == s->line && s->end_column < s->column) || s->column < 1) {
                fprintf(stderr, "bad span %d:%d-%d:%d for '%s'\n", s->line, s->column, s->end_line,
                        s->end_column, c.reqs[i].pointer);
                abort();
            }
            /* In JSON that jansson accepted, every value's own pointer is found exactly. */
            if (root && i >= 8 && c.reqs[i].what == EL_LOCATE_VALUE && !c.reqs[i].exact) {
                fprintf(stderr, "'%s' not found in valid JSON\n", c.reqs[i].pointer);
                abort();
            }
        }
    }
    json_decref(root);
    for (size_t i = 0; i < c.n; i++)
        el_free(c.owned[i]);
    free(text);
    free(ptrs);
    return 0;
}

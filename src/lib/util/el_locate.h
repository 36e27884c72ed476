/* el_locate.h - from JSON pointer to position in the source text. */
#ifndef EL_UTIL_EL_LOCATE_H
#define EL_UTIL_EL_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/el_buf.h"

typedef struct el_span {
    int line, column, end_line, end_column; /* 0 when not found */
    size_t offset, end_offset;              /* the same as byte offsets in the text */
} el_span;

/* Which part of a member to locate: its value, or its key (for an absent or null value). */
typedef enum el_locate_what { EL_LOCATE_VALUE = 0, EL_LOCATE_KEY } el_locate_what;

/* One pointer to locate: filled in by el_locate_all(). */
typedef struct el_locate_req {
    const char *pointer; /* RFC 6901 */
    size_t pointer_len;  /* strlen(pointer), or 0 to have it measured */
    el_locate_what what;
    el_span span; /* out: the value or key; the nearest ancestor found when absent */
    bool exact;   /* out: the pointer itself was found */
} el_locate_req;

/*
 * Finds what each request's pointer names in the JSON text text[0..len), in one pass over the
 * text whatever the number of requests. Duplicate keys resolve to the last occurrence, as
 * jansson keeps the last value. `first_line`/`first_column` give the position of text[0] in
 * the file. Never reads past `len`; pointer depth is bounded by `max_depth`. `unique_keys`: the
 * text is known to have no duplicate member names (jansson parsed it with
 * JSON_REJECT_DUPLICATES), so the walk stops as soon as every pointer is placed instead of
 * reading on for a later occurrence. Returns false only when memory ran out.
 */
bool el_locate_all(const char *text, size_t len, el_locate_req *reqs, size_t n, int first_line,
                   int first_column, size_t max_depth, bool unique_keys);

/* A document held by a JSON string: lit[0..len) is the string as written, from its opening
 * quote. el_string_decode writes its value to out (false when memory ran out);
 * el_string_columns gives, for each byte offset of that value in targets[0..n) (ascending),
 * the number of code points of lit before the character that writes it (an escape, a
 * surrogate pair, a UTF-8 sequence), so that a position inside the document is a column in
 * the file; an offset past the value gives the closing quote's. */
bool el_string_decode(const char *lit, size_t len, el_buf *out);
void el_string_columns(const char *lit, size_t len, const size_t *targets, size_t n,
                       size_t *columns);

#endif

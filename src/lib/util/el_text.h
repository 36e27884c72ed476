/* el_text.h - small text helpers: edit distance, JSON-pointer tokens, UTF-8 lengths, wildcard
 * patterns, sorting. */
#ifndef EL_UTIL_EL_TEXT_H
#define EL_UTIL_EL_TEXT_H

#include <stddef.h>

#include "util/el_buf.h"

/* Levenshtein distance (bounded by `limit`; returns limit + 1 when over it). */
size_t el_edit_distance(const char *a, const char *b, size_t limit);
/* The same, of a[0..la) and b[0..lb), for a caller that knows the lengths. */
size_t el_edit_distance_n(const char *a, size_t la, const char *b, size_t lb, size_t limit);
/* Appends the JSON-pointer escaped form of `token` (~ -> ~0, / -> ~1). */
bool el_pointer_append(el_buf *b, const char *token);
/* Number of Unicode code points in s[0..len) (invalid bytes count one each). */
size_t el_utf8_length(const char *s, size_t len);

/* Is s (len bytes) base64 text as RFC 4648 section 4 writes it (the alphabet, padded to a
 * multiple of four, no white space)? If so, *bytes is the number of bytes it decodes to. */
bool el_base64_length(const char *s, size_t len, size_t *bytes);

/* Does `text` match `pattern` as a whole? '*' matches any run of characters, the empty one too;
 * with `question`, '?' matches any one byte; every other byte matches itself, case-sensitively.
 * The one matcher of lifecycle tag patterns (el_lc_glob_match, without '?') and of the
 * preview's --protect globs (with it). */
bool el_glob_match(const char *pattern, const char *text, bool question);

void el_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif

/* test_locate.c - the JSON pointer locator: positions, keys, escapes, duplicates, bad text. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/el_format.h"
#include "suite_run.h"
#include "util/el_alloc.h"
#include "util/el_buf.h"
#include "util/el_locate.h"
#include "util/el_text.h"

static el_span locate(const char *text, const char *pointer, el_locate_what what, bool *exact)
{
    el_locate_req r = {.pointer = pointer, .what = what};
    ck_assert(el_locate_all(text, strlen(text), &r, 1, 1, 1, 0, false));
    if (exact)
        *exact = r.exact;
    return r.span;
}

START_TEST(value_positions)
{
    const char *t =
        "{\n  \"repositoryName\": \"a\",\n  \"imageIds\": [\n    {\"imageTag\": \"x y\"}\n  ]\n}";
    bool exact;
    el_span s = locate(t, "/repositoryName", EL_LOCATE_VALUE, &exact);
    ck_assert(exact);
    ck_assert_int_eq(s.line, 2);
    ck_assert_int_eq(s.column, 21);
    ck_assert_int_eq(s.end_line, 2);
    ck_assert_int_eq(s.end_column, 24);
    s = locate(t, "/imageIds/0/imageTag", EL_LOCATE_VALUE, &exact);
    ck_assert(exact);
    ck_assert_int_eq(s.line, 4);
    ck_assert_int_eq(s.column, 18);
    s = locate(t, "", EL_LOCATE_VALUE, &exact);
    ck_assert(exact);
    ck_assert_int_eq(s.line, 1);
    ck_assert_int_eq(s.column, 1);
    ck_assert_int_eq(s.end_line, 6);
    ck_assert_int_eq(s.end_column, 2);
}
END_TEST

START_TEST(key_and_fallback)
{
    const char *t = "{\"a\": 1, \"b\": {\"c\": null}}";
    bool exact;
    el_span s = locate(t, "/b/c", EL_LOCATE_KEY, &exact);
    ck_assert(exact);
    ck_assert_int_eq(s.column, 16); /* the key "c" */
    ck_assert_int_eq(s.end_column, 19);
    /* An absent member falls back to the nearest ancestor that exists. */
    s = locate(t, "/b/missing", EL_LOCATE_KEY, &exact);
    ck_assert(!exact);
    ck_assert_int_eq(s.column, 15);
    s = locate(t, "/nothing/deeper", EL_LOCATE_VALUE, &exact);
    ck_assert(!exact);
    ck_assert_int_eq(s.column, 1);
}
END_TEST

START_TEST(escapes_and_unicode)
{
    /* Keys with escapes match their decoded form; columns count code points. */
    const char *t = "{\"\\u00e9t\\u00e9\": \"\xc3\xa9\xc3\xa9\", \"a/b\": 1, \"m~n\": 2, \"k\": "
                    "\"\xf0\x9f\x98\x80\", \"z\": 3}";
    bool exact;
    el_span s = locate(t, "/\xc3\xa9t\xc3\xa9", EL_LOCATE_VALUE, &exact);
    ck_assert(exact);
    ck_assert_int_eq(s.column, 19);
    s = locate(t, "/a~1b", EL_LOCATE_VALUE, &exact);
    ck_assert(exact);
    s = locate(t, "/m~0n", EL_LOCATE_VALUE, &exact);
    ck_assert(exact);
    s = locate(t, "/z", EL_LOCATE_VALUE, &exact);
    ck_assert(exact);
    /* the emoji before it is one column, not four */
    ck_assert_int_eq(s.column, 60);
}
END_TEST

START_TEST(duplicates_take_last)
{
    const char *t = "{\"a\": {\"x\": 1}, \"a\": 7}";
    bool exact;
    el_span s = locate(t, "/a", EL_LOCATE_VALUE, &exact);
    ck_assert(exact);
    ck_assert_int_eq(s.column, 22);
    /* /a/x existed only in the first occurrence, which jansson discards */
    s = locate(t, "/a/x", EL_LOCATE_VALUE, &exact);
    ck_assert(!exact);
}
END_TEST

/* Text without duplicate names is walked only until every pointer is placed: the answers are
 * those of the whole walk, for values, keys, absent members and array items alike. */
START_TEST(early_stop_same_answers)
{
    const char *docs[] = {
        "{\"registryId\": \"1\", \"repositoryName\": \"r\",\n \"imageIds\": [{\"imageTag\": "
        "\"a\"},\n"
        "  {\"imageDigest\": \"sha256:x\", \"imageTag\": \"b\"}], \"maxResults\": 0}",
        "{\"a\": {\"b\": {\"c\": [1, [2, {\"d\": null}]]}}, \"e\": \"\\u00e9\\\"x\", \"f\": {}}",
        "[{\"a\": 1}, {\"a\": 2}, [], {\"b\": {\"a\": 3}}]",
    };
    const char *ptrs[] = {"/registryId",
                          "/repositoryName",
                          "/imageIds",
                          "/imageIds/1/imageTag",
                          "/imageIds/0",
                          "/imageIds/0/imageDigest",
                          "/maxResults",
                          "/missing",
                          "/a/b/c/1/1/d",
                          "/a/b",
                          "/e",
                          "/f/g",
                          "/0/a",
                          "/3/b/a",
                          "/2/0",
                          "/9",
                          "/1"};
    size_t np = sizeof ptrs / sizeof ptrs[0];
    for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++) {
        /* every single pointer, then all of them together, as values and as keys */
        for (size_t first = 0; first <= np; first++) {
            el_locate_req a[64], b[64];
            size_t n = 0;
            for (size_t i = first == np ? 0 : first; i < (first == np ? np : first + 1); i++)
                for (int what = 0; what < 2; what++)
                    a[n++] = (el_locate_req){.pointer = ptrs[i], .what = (el_locate_what)what};
            memcpy(b, a, n * sizeof *a);
            ck_assert(el_locate_all(docs[d], strlen(docs[d]), a, n, 1, 1, 0, false));
            ck_assert(el_locate_all(docs[d], strlen(docs[d]), b, n, 1, 1, 0, true));
            for (size_t i = 0; i < n; i++) {
                ck_assert_msg(a[i].exact == b[i].exact, "doc %zu %s", d, a[i].pointer);
                ck_assert_msg(memcmp(&a[i].span, &b[i].span, sizeof a[i].span) == 0,
                              "doc %zu %s (%d): %d:%d-%d:%d vs %d:%d-%d:%d", d, a[i].pointer,
                              (int)a[i].what, a[i].span.line, a[i].span.column, a[i].span.end_line,
                              a[i].span.end_column, b[i].span.line, b[i].span.column,
                              b[i].span.end_line, b[i].span.end_column);
            }
        }
    }
}
END_TEST

START_TEST(many_requests_one_pass)
{
    el_buf b;
    el_buf_init(&b);
    el_buf_puts(&b, "[");
    for (int i = 0; i < 1000; i++)
        el_buf_printf(&b, "%s{\"v\": %d}", i ? ",\n" : "", i);
    el_buf_puts(&b, "]");
    el_locate_req reqs[1000];
    char ptrs[1000][16];
    for (int i = 0; i < 1000; i++) {
        snprintf(ptrs[i], sizeof ptrs[i], "/%d/v", 999 - i);
        reqs[i] = (el_locate_req){.pointer = ptrs[i], .what = EL_LOCATE_VALUE};
    }
    ck_assert(el_locate_all(b.data, b.len, reqs, 1000, 1, 1, 0, false));
    for (int i = 0; i < 1000; i++) {
        ck_assert(reqs[i].exact);
        ck_assert_int_eq(reqs[i].span.line, 1000 - i);
    }
    el_buf_free(&b);
}
END_TEST

START_TEST(malformed_text_is_safe)
{
    const char *bad[] = {"{\"a\": [1, 2", "{\"a\" 1}", "\"unterminated",     "{\"a\": \"\\",
                         "]]]]",          "",          "{\"a\": {\"b\": [}}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        el_locate_req r = {.pointer = "/a/b/0", .what = EL_LOCATE_KEY};
        ck_assert(el_locate_all(bad[i], strlen(bad[i]), &r, 1, 1, 1, 0, false));
        ck_assert(!r.exact);
    }
}
END_TEST

START_TEST(first_line_offset)
{
    const char *t = "{\n\"a\": 1}";
    el_locate_req r = {.pointer = "/a", .what = EL_LOCATE_VALUE};
    ck_assert(el_locate_all(t, strlen(t), &r, 1, 7, 1, 0, false));
    ck_assert_int_eq(r.span.line, 8);
    ck_assert_int_eq(r.span.column, 6);
}
END_TEST

/* The text helpers findings are built with. */
START_TEST(integer_text_and_stack_buffers)
{
    char t[EL_INT_TEXT];
    ck_assert_str_eq(el_fmt_int(t, 0), "0");
    ck_assert_str_eq(el_fmt_int(t, 1234), "1234");
    ck_assert_str_eq(el_fmt_int(t, -1), "-1");
    ck_assert_str_eq(el_fmt_int(t, LLONG_MAX), "9223372036854775807");
    ck_assert_str_eq(el_fmt_int(t, LLONG_MIN), "-9223372036854775808");

    /* a buffer that starts on the stack moves to the heap when it outgrows it */
    char mem[8];
    el_buf b;
    el_buf_init_in(&b, mem, sizeof mem);
    el_buf_puts(&b, "abc");
    ck_assert_ptr_eq(b.data, mem);
    el_buf_puts(&b, "defghijkl");
    ck_assert_ptr_ne(b.data, mem);
    ck_assert_str_eq(b.data, "abcdefghijkl");
    el_buf_free(&b);
    el_buf_init_in(&b, mem, sizeof mem);
    el_buf_puts(&b, "xy");
    char *kept = el_buf_take(&b); /* a copy: the stack storage does not outlive the caller */
    ck_assert_ptr_ne(kept, mem);
    ck_assert_str_eq(kept, "xy");
    el_free(kept);
}
END_TEST

/* Blob members: base64 as RFC 4648 section 4 writes it, and the bytes it decodes to. */
START_TEST(base64_text_and_length)
{
    static const struct {
        const char *text;
        bool ok;
        size_t bytes;
    } cases[] = {{"", true, 0},
                 {"AQID", true, 3},
                 {"AQI=", true, 2},
                 {"AQ==", true, 1},
                 {"AQID"
                  "AQ==",
                  true, 4},
                 {"AQI", false, 0},
                 {"AQ=", false, 0},
                 {"A===", false, 0},
                 {"AQ ID", false, 0},
                 {"AQ\nI=", false, 0},
                 {"AQ!D", false, 0},
                 {"AQ==AQID", false, 0},
                 {"-_-_", false, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = 99;
        bool ok = el_base64_length(cases[i].text, strlen(cases[i].text), &n);
        ck_assert_msg(ok == cases[i].ok, "'%s': %d", cases[i].text, ok);
        if (ok)
            ck_assert_msg(n == cases[i].bytes, "'%s': %zu bytes", cases[i].text, n);
    }
    /* longer than the decoder's chunk: 3000 bytes in 4000 characters */
    char *big = el_malloc(4001);
    ck_assert_ptr_nonnull(big);
    for (size_t i = 0; i < 4000; i++)
        big[i] = "AQID"[i % 4];
    size_t n = 0;
    ck_assert(el_base64_length(big, 4000, &n));
    ck_assert_uint_eq(n, 3000);
    big[2001] = '*';
    ck_assert(!el_base64_length(big, 4000, &n));
    el_free(big);
}
END_TEST

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* el_sort: the insertion sort below 17 elements, the in-order pass and qsort above. */
START_TEST(sort_every_path)
{
    enum { N = 200 };
    int a[N], want[N];
    unsigned seed = 12345;
    const size_t sizes[] = {0, 1, 2, 16, 17, 100, N};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        for (int kind = 0; kind < 4; kind++) {
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                a[i] = kind == 0   ? (int)i                     /* in order */
                       : kind == 1 ? (int)(n - i)               /* reversed */
                       : kind == 2 ? (int)(seed >> 16) % 7      /* many ties */
                                   : (i + 1 < n ? (int)i : -1); /* in order but the last */
                want[i] = a[i];
            }
            qsort(want, n, sizeof *want, cmp_int);
            el_sort(a, n, sizeof *a, cmp_int);
            for (size_t i = 0; i < n; i++)
                ck_assert_msg(a[i] == want[i], "n=%zu kind=%d at %zu: %d, want %d", n, kind, i,
                              a[i], want[i]);
        }
    }
}
END_TEST

static char *escaped(const char *s)
{
    el_buf b;
    el_buf_init(&b);
    el_text_escape(&b, s);
    ck_assert(!b.failed);
    return el_buf_take(&b);
}

/* el_text_escape takes printable ASCII eight bytes at a time: every byte value, at every
 * position of a word, is escaped as it is alone. */
START_TEST(text_escape_every_byte)
{
    for (int c = 1; c < 256; c++) {
        char alone[16];
        snprintf(alone, sizeof alone, "%cbcdefghij", c);
        char *want_tail = escaped(alone);
        for (int at = 0; at < 16; at++) {
            char s[64];
            memset(s, 'a', (size_t)at);
            strcpy(s + at, alone);
            char *got = escaped(s);
            ck_assert_msg(strncmp(got, s, (size_t)at) == 0 && strcmp(got + at, want_tail) == 0,
                          "byte 0x%02x at %d: %s", c, at, got);
            el_free(got);
        }
        if (c >= 0x20 && c < 0x7F)
            ck_assert_msg(strcmp(want_tail, alone) == 0, "printable 0x%02x changed", c);
        else if (c < 0x80)
            ck_assert_msg(strcmp(want_tail, alone) != 0, "control 0x%02x kept", c);
        el_free(want_tail);
    }
}
END_TEST

/* A document inside a JSON string: its value decoded, and offsets of the value turned into
 * columns of the literal through every kind of escape. */
START_TEST(inside_a_string)
{
    /* "a\"b\n\u00e9\ud83d\ude00é😀c\/" : the value is a " b LF é 😀 é 😀 c / */
    const char *lit = "\"a\\\"b\\n\\u00e9\\ud83d\\ude00\xC3\xA9\xF0\x9F\x98\x80"
                      "c\\/\"";
    el_buf b;
    el_buf_init(&b);
    ck_assert(el_string_decode(lit, strlen(lit), &b));
    const char *want = "a\"b\n\xC3\xA9\xF0\x9F\x98\x80\xC3\xA9\xF0\x9F\x98\x80"
                       "c/";
    ck_assert_uint_eq(b.len, strlen(want));
    ck_assert(memcmp(b.data, want, b.len) == 0);
    el_buf_free(&b);
    /* value offsets: a 0, " 1, b 2, LF 3, é 4-5, 😀 6-9, é 10-11, 😀 12-15, c 16, / 17, end 18 */
    size_t targets[] = {0, 1, 2, 3, 4, 5, 6, 9, 10, 12, 16, 17, 18};
    /* code points of the literal before each: " 0; a 1; \" 2-3; b 4; \n 5-6; \u00e9 7-12;
     * the pair 13-24; é 25; 😀 26; c 27; \/ 28-29; closing quote 30 */
    size_t want_cols[] = {1, 2, 4, 5, 7, 7, 13, 13, 25, 26, 27, 28, 30};
    size_t n = sizeof targets / sizeof targets[0], cols[sizeof targets / sizeof targets[0]];
    el_string_columns(lit, strlen(lit), targets, n, cols);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(cols[i] == want_cols[i], "offset %zu: column %zu, want %zu", targets[i],
                      cols[i], want_cols[i]);
    /* a lone surrogate decodes as U+FFFD; a cut escape decodes to nothing, safely */
    const char *odd[] = {"\"\\ud800x\"", "\"ab\\", "\"\\u12\"", "\"\\q\"", ""};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        el_buf_init(&b);
        ck_assert(el_string_decode(odd[i], strlen(odd[i]), &b));
        if (i == 0)
            ck_assert_str_eq(b.data, "\xEF\xBF\xBDx");
        size_t t = 100, c;
        el_string_columns(odd[i], strlen(odd[i]), &t, 1, &c);
        ck_assert_uint_le(c, strlen(odd[i]));
        el_buf_free(&b);
    }
}
END_TEST

/* The plain Levenshtein distance, the whole matrix: what el_edit_distance's band must agree
 * with. */
static size_t full_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

START_TEST(edit_distance_is_levenshtein_within_limit)
{
    ck_assert_uint_eq(el_edit_distance("imageID", "imageIds", 3), 2);
    ck_assert_uint_eq(el_edit_distance("kitten", "sitting", 3), 3);
    ck_assert_uint_eq(el_edit_distance("kitten", "sitting", 2), 3); /* over: limit + 1 */
    ck_assert_uint_eq(el_edit_distance("", "abc", 5), 3);
    ck_assert_uint_eq(el_edit_distance("same", "same", 0), 0);
    /* random strings over a small alphabet, so that near and far pairs both occur */
    unsigned seed = 12345;
    char a[40], b[40];
    for (int round = 0; round < 20000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t la = (seed >> 16) % 30;
        for (size_t i = 0; i < la; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = (char)('a' + (seed >> 16) % 3);
        }
        a[la] = '\0';
        /* b: a with a few random edits, or unrelated */
        seed = seed * 1103515245u + 12345u;
        size_t lb = 0;
        if ((seed >> 16) % 4 == 0) {
            lb = (seed >> 20) % 30;
            for (size_t i = 0; i < lb; i++) {
                seed = seed * 1103515245u + 12345u;
                b[i] = (char)('a' + (seed >> 16) % 3);
            }
        } else {
            for (size_t i = 0; i < la && lb < 38; i++) {
                seed = seed * 1103515245u + 12345u;
                unsigned op = (seed >> 16) % 8;
                if (op == 0)
                    continue; /* deleted */
                if (op == 1)
                    b[lb++] = 'c';              /* inserted */
                b[lb++] = op == 2 ? 'b' : a[i]; /* changed or kept */
            }
        }
        b[lb] = '\0';
        size_t want = full_distance(a, b);
        for (size_t limit = 0; limit < 8; limit++) {
            size_t got = el_edit_distance(a, b, limit);
            ck_assert_msg(want <= limit ? got == want : got == limit + 1,
                          "'%s' '%s' limit %zu: %zu, Levenshtein %zu", a, b, limit, got, want);
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("locate");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, value_positions);
    tcase_add_test(tc, key_and_fallback);
    tcase_add_test(tc, escapes_and_unicode);
    tcase_add_test(tc, duplicates_take_last);
    tcase_add_test(tc, many_requests_one_pass);
    tcase_add_test(tc, early_stop_same_answers);
    tcase_add_test(tc, malformed_text_is_safe);
    tcase_add_test(tc, first_line_offset);
    tcase_add_test(tc, integer_text_and_stack_buffers);
    tcase_add_test(tc, base64_text_and_length);
    tcase_add_test(tc, sort_every_path);
    tcase_add_test(tc, text_escape_every_byte);
    tcase_add_test(tc, inside_a_string);
    tcase_add_test(tc, edit_distance_is_levenshtein_within_limit);
    suite_add_tcase(s, tc);
    return suite_run(s);
}

/* test_json_text.c - el_json_parse, which parses a text with its white space squeezed out: it
 * must answer exactly what json_loadb answers of the text as written (the same tree, or the
 * same error at the same position), for texts built to trip it and for many random ones. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "el_private.h"

static const size_t FLAGS[] = {JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY,
                               JSON_ALLOW_NUL | JSON_DECODE_ANY, 0};

/* Both parsers on text[0..len), with each set of flags: the same outcome. Returns whether the
 * text is valid (with the first flags). */
static bool same(const char *text, size_t len)
{
    bool valid = false;
    for (size_t f = 0; f < sizeof FLAGS / sizeof FLAGS[0]; f++) {
        json_error_t e1, e2;
        bool oom = true;
        json_t *a = json_loadb(text, len, FLAGS[f], &e1);
        json_t *b = el_json_parse(text, len, FLAGS[f], &e2, &oom);
        ck_assert(!oom);
        if (f == 0)
            valid = a != NULL;
        ck_assert_msg(!a == !b, "%.*s: %s / %s", (int)(len > 200 ? 200 : len), text,
                      a ? "valid" : e1.text, b ? "valid" : e2.text);
        if (a) {
            char *da = json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
            char *db = json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
            ck_assert_ptr_nonnull(da);
            ck_assert_str_eq(da, db);
            el_json_free(da);
            el_json_free(db);
        } else {
            ck_assert_str_eq(e1.text, e2.text);
            ck_assert_int_eq(e1.line, e2.line);
            ck_assert_int_eq(e1.column, e2.column);
            ck_assert_int_eq(e1.position, e2.position);
        }
        json_decref(a);
        json_decref(b);
    }
    return valid;
}

/* The case, then a line break and enough white space that the squeezed path is taken. */
static bool same_padded(const char *body, size_t len)
{
    size_t pad = 80;
    char *t = malloc(len + pad + 1);
    memcpy(t, body, len);
    t[len] = '\n';
    memset(t + len + 1, ' ', pad);
    t[len + pad] = '\0';
    bool valid = same(t, len + pad);
    free(t);
    return valid;
}

static bool same_str(const char *body)
{
    return same_padded(body, strlen(body));
}

START_TEST(tokens_stay_apart)
{
    /* white space between two tokens that would join when dropped */
    const char *invalid[] = {"[1 2]",       "[1\n2]",       "[true false]", "[1 .5]",
                             "[1e 5]",      "[- 1]",        "[nul l]",      "[\"a\" \"b\"]",
                             "[1 \"a\"]",   "[\"a\" 1]",    "{\"a\" 1}",    "{\"a\": 1 2}",
                             "[1\t\r\n-2]", "[truefalse]", "[1 2 3 4]",    "{} {}",
                             "1 2",         "[1,]",         "[tr ue]",      "\"a\" \"b\""};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        ck_assert_msg(!same_str(invalid[i]), "%s", invalid[i]);
    const char *valid[] = {"[1, 2]",          "[ 1 , -2.5e3 ]", "{ \"a\" : [ true , false , null ] }",
                           "\n\n\t\r [1]",    "[\"\"]",         "[1\n,\n2]",
                           "{\"a\":{\"b\":{}}}", "  \"top\"  ",  "-0",
                           "[\"a\", \"b\"]"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        ck_assert_msg(same_str(valid[i]), "%s", valid[i]);
}
END_TEST

START_TEST(strings_kept_whole)
{
    /* white space, quotes and backslashes inside strings stay as they are */
    const char *valid[] = {"[\"a  b\\t c\"]",   "[\"a\\\"  b\"]",      "[\"a\\\\\" , 1]",
                           "[\"\\\\\\\"\"]",    "{\"k  k\": \" v \"}", "[\"\\u0020 \\n\"]",
                           "[\"\\\\\\\\\", \"x\"]", "[\"\xc3\xa9  \xe2\x82\xac\"]"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        ck_assert_msg(same_str(valid[i]), "%s", valid[i]);
    const char *invalid[] = {"[\"a\tb\"]",     "[\"a\nb\"]",   "[\"abc",     "[\"abc\\",
                             "[\"a\\\"]",      "[\"\\x\"]",    "[\"\\u12\"]", "{\"a\": \"b\" \"c\"}",
                             "[\"\xff\"]",     "[\"a\" , \"b"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        ck_assert_msg(!same_str(invalid[i]), "%s", invalid[i]);
    /* a quote, a backslash pair or an escaped quote at every offset of the eight-byte scan */
    for (size_t at = 0; at < 24; at++) {
        const char *inserts[] = {"\\\"", "\\\\", "\\n", " ", "\"", "\\"};
        for (size_t k = 0; k < sizeof inserts / sizeof inserts[0]; k++) {
            char t[128];
            int n = snprintf(t, sizeof t, "[\"%.*s%s%.*s\" , 1]", (int)at,
                             "abcdefghijklmnopqrstuvwxyz", inserts[k], (int)(24 - at),
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
            same_padded(t, (size_t)n);
        }
    }
}
END_TEST

START_TEST(other_bytes)
{
    /* NUL and other bytes that are not JSON white space, a BOM, duplicates, nothing at all */
    const char nul_out[] = "[1, \0 2]";
    same_padded(nul_out, sizeof nul_out - 1);
    const char nul_in[] = "[\"a\0b\"]";
    same_padded(nul_in, sizeof nul_in - 1);
    const char *cases[] = {"\xef\xbb\xbf[1]", "[1,\f2]", "[1,\v2]", "{\"a\": 1, \"a\": 2}",
                           "{\"a\": 1,\n \"b\": {\"c\": 1, \"c\": 2}}", "", "   ", "\n",
                           "[1] x", "[1]\n]", "{\"a\": 1}\n\n{\"b\": 2}"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same_str(cases[i]);
}
END_TEST

START_TEST(sizes)
{
    /* the stack copy, the arena copy and texts parsed as they are (over the copy's limit) */
    size_t lens[] = {63, 64, 65, 8191, 8192, 8193, 100000, (1 << 20) - 1, 1 << 20,
                      (1 << 20) + 1, (1 << 20) + 5000};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        size_t n = lens[i];
        char *t = malloc(n + 1);
        size_t o = 0;
        t[o++] = '[';
        while (o + 16 < n) {
            memcpy(t + o, "\n  \"ab  c\", 12,", 15);
            o += 15;
        }
        t[o++] = '0';
        t[o++] = ']';
        while (o < n)
            t[o++] = ' ';
        t[n] = '\0';
        ck_assert(same(t, n));
        t[n / 2] = 'x'; /* now broken somewhere in the middle: the same error */
        same(t, n);
        free(t);
    }
}
END_TEST

/* Random texts: tokens of JSON and not, joined by random white space; a deterministic
 * generator, so that a failure repeats. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

START_TEST(random_texts)
{
    static const char *const tokens[] = {"{", "}", "[", "]", ":", ",", "1", "-2.5e3", "0",
                                         "true", "false", "null", "\"a\"", "\"k k\"", "\"\\\"\"",
                                         "\"\\\\\"", "\"\\u00e9\"", "e", "+", ".", "x", "\""};
    static const char *const spaces[] = {"", "", " ", "\n", "  ", "\t", "\r\n", "\n    "};
    size_t valid = 0;
    for (int round = 0; round < 20000; round++) {
        char t[512];
        size_t o = 0;
        unsigned ntok = 1 + next(24);
        for (unsigned k = 0; k < ntok && o < 400; k++) {
            const char *sp = spaces[next(sizeof spaces / sizeof spaces[0])];
            const char *tk = tokens[next(sizeof tokens / sizeof tokens[0])];
            o += (size_t)snprintf(t + o, sizeof t - o, "%s%s", sp, tk);
        }
        valid += same_padded(t, o);
    }
    /* and valid documents, pretty-printed, with white space inserted at random */
    for (int round = 0; round < 2000; round++) {
        json_t *doc = json_pack("{s:s, s:[{s:s},{s:s, s:i}], s:b, s:n, s:f}", "repositoryName",
                                "team/app", "imageIds", "imageDigest", "sha256:0123456789abcdef",
                                "imageTag", "v 1.2", "n", round, "ok", round % 2, "none",
                                "x", round / 7.0);
        char *text = json_dumps(doc, JSON_INDENT(next(5)) | JSON_PRESERVE_ORDER);
        json_decref(doc);
        ck_assert(same_str(text));
        el_json_free(text);
        valid++;
    }
    ck_assert_uint_gt(valid, 2000); /* the random texts are not all broken */
}
END_TEST

int main(void)
{
    el_alloc_init();
    Suite *s = suite_create("json_text");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, tokens_stay_apart);
    tcase_add_test(tc, strings_kept_whole);
    tcase_add_test(tc, other_bytes);
    tcase_add_test(tc, sizes);
    tcase_add_test(tc, random_texts);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

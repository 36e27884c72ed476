/* test_global_init.c - a host program that uses jansson itself alongside libecrlint.
 *
 * The library must not change jansson's allocator behind its caller's back: without
 * ecrlint_global_init() jansson keeps the program's allocator; with it, the program's own
 * jansson values stay valid across checks, also while another thread checks. Each test runs in
 * a process of its own (Check forks), so each starts with jansson as a new program has it. */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"
#include "suite_run.h"

static const char *bad_request =
    "{\"repositoryName\": \"Web\", \"imageIds\": [{\"imageTag\": \"v1\"}, {}]}";

/* Checks bad_request and returns its exception code as a new string (caller frees). */
static char *check_once(ecrlint_engine *eng)
{
    ecrlint_result *res = NULL;
    ecrlint_error err;
    ck_assert_int_eq(
        ecrlint_check_buffer(eng, NULL, "req.json", bad_request, strlen(bad_request), &res, &err),
        ECRLINT_OK);
    const char *code = ecrlint_result_exception_code(res);
    ck_assert_ptr_nonnull(code);
    char *copy = strdup(code);
    ecrlint_result_free(res);
    return copy;
}

/* A value the host builds, to be used and freed after checks ran. */
static json_t *host_value(void)
{
    json_t *v =
        json_pack("{s:s, s:[i,i,i], s:{s:b}}", "name", "host", "list", 1, 2, 3, "nested", "ok", 1);
    ck_assert_ptr_nonnull(v);
    return v;
}

static void host_value_check(json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    ck_assert_str_eq(text, "{\"list\":[1,2,3],\"name\":\"host\",\"nested\":{\"ok\":true}}");
    free(text);
}

START_TEST(library_leaves_jansson_allocator_alone)
{
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    ck_assert(m == malloc);
    ck_assert(f == free);

    json_t *mine = host_value();
    ecrlint_error err;
    ecrlint_engine *eng = ecrlint_engine_new(&err);
    ck_assert_ptr_nonnull(eng);
    char *code = check_once(eng);
    ck_assert_str_eq(code, "InvalidParameterException");
    free(code);

    ecrlint_report *rep = ecrlint_report_new(eng);
    ck_assert_ptr_nonnull(rep);
    ecrlint_report_free(rep);

    json_get_alloc_funcs(&m, &f);
    ck_assert(m == malloc);
    ck_assert(f == free);
    host_value_check(mine);
    json_decref(mine);
    ecrlint_engine_free(eng);
}
END_TEST

START_TEST(same_answers_with_and_without_global_init)
{
    ecrlint_error err;
    ecrlint_engine *eng = ecrlint_engine_new(&err);
    ck_assert_ptr_nonnull(eng);
    char *before = check_once(eng);
    ck_assert_int_eq(ecrlint_global_init(), ECRLINT_OK);
    ck_assert_int_eq(ecrlint_global_init(), ECRLINT_OK); /* idempotent */
    char *after = check_once(eng);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    ecrlint_engine_free(eng);
}
END_TEST

typedef struct checker_arg {
    ecrlint_engine *eng;
    int rounds;
    int answered;
} checker_arg;

static void *checking_thread(void *p)
{
    checker_arg *a = p;
    ecrlint_checker *ck = ecrlint_checker_new(a->eng);
    if (!ck)
        return NULL;
    for (int i = 0; i < a->rounds; i++) {
        ecrlint_result *res = NULL;
        if (ecrlint_checker_check(ck, NULL, "req.json", bad_request, strlen(bad_request), &res,
                                  NULL) == ECRLINT_OK &&
            ecrlint_result_exception_code(res))
            a->answered++;
        ecrlint_result_free(res);
    }
    ecrlint_checker_free(ck);
    return NULL;
}

START_TEST(host_values_survive_checks_after_global_init)
{
    ck_assert_int_eq(ecrlint_global_init(), ECRLINT_OK);
    /* A value made before any check, kept across them, freed after. */
    json_t *kept = host_value();
    ecrlint_error err;
    ecrlint_engine *eng = ecrlint_engine_new(&err);
    ck_assert_ptr_nonnull(eng);

    /* Another thread checks while this one makes and frees its own values. */
    checker_arg arg = {eng, 200, 0};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, checking_thread, &arg), 0);
    for (int i = 0; i < 200; i++) {
        json_t *v = host_value();
        ck_assert_int_eq(json_array_append_new(json_object_get(v, "list"), json_integer(i)), 0);
        ck_assert_int_eq(json_array_size(json_object_get(v, "list")), 4);
        json_decref(v);
    }
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_int_eq(arg.answered, arg.rounds);

    /* And checks on this very thread between uses of the kept value. */
    for (int i = 0; i < 20; i++) {
        char *code = check_once(eng);
        ck_assert_str_eq(code, "InvalidParameterException");
        free(code);
        ck_assert_int_eq(json_object_set_new(kept, "round", json_integer(i)), 0);
    }
    json_object_del(kept, "round");
    host_value_check(kept);
    json_decref(kept);
    ecrlint_engine_free(eng);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("global_init");
    TCase *tc = tcase_create("host");
    tcase_add_test(tc, library_leaves_jansson_allocator_alone);
    tcase_add_test(tc, same_answers_with_and_without_global_init);
    tcase_add_test(tc, host_values_survive_checks_after_global_init);
    suite_add_tcase(s, tc);
    return suite_run(s);
}

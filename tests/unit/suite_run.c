/* suite_run.c - see suite_run.h. */
#include <stdlib.h>
#include <string.h>

#include "suite_run.h"

int suite_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int suite_text_sink(const char *data, size_t len, void *userdata)
{
    char **text = userdata;
    size_t have = *text ? strlen(*text) : 0;
    char *p = realloc(*text, have + len + 1);
    ck_assert_ptr_nonnull(p);
    memcpy(p + have, data, len);
    p[have + len] = '\0';
    *text = p;
    return 0;
}

/*
 * consumer.c - a program that uses an installed libecrlint through its public header only, as
 * a user's program would (built by install_test.sh with pkg-config). It checks the request
 * given as its argument and prints "<kind> <operation> <exception or none>", or the
 * library's error and exit status 2.
 */
#include <stdio.h>
#include <string.h>

#include <ecrlint/ecrlint.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: consumer REQUEST-JSON\n");
        return 2;
    }
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    ecrlint_engine *engine = ecrlint_engine_new(&err);
    if (engine == NULL) {
        fprintf(stderr, "consumer: %s\n", err.text);
        return 2;
    }
    ecrlint_result *result = NULL;
    ecrlint_status status =
        ecrlint_check_buffer(engine, NULL, "request.json", argv[1], strlen(argv[1]), &result, &err);
    if (status != ECRLINT_OK) {
        fprintf(stderr, "consumer: %s: %s\n", ecrlint_status_str(status), err.text);
        ecrlint_engine_free(engine);
        return 2;
    }
    const char *operation = ecrlint_result_operation(result);
    const char *exception = ecrlint_result_exception_code(result);
    printf("%s %s %s\n", ecrlint_kind_str(ecrlint_result_kind(result)),
           operation != NULL ? operation : "-", exception != NULL ? exception : "none");
    ecrlint_result_free(result);
    ecrlint_engine_free(engine);
    return 0;
}

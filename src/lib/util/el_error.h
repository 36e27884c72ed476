/* el_error.h - filling an ecrlint_error, and the printf-format attribute. */
#ifndef EL_UTIL_EL_ERROR_H
#define EL_UTIL_EL_ERROR_H

#include "ecrlint/ecrlint.h"

#if defined(__GNUC__)
#define EL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EL_PRINTF(f, a)
#endif

ecrlint_status el_error_set(ecrlint_error *err, ecrlint_status code, const char *source, int line,
                            int column, const char *fmt, ...) EL_PRINTF(6, 7);

#endif

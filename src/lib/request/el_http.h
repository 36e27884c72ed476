/* el_http.h - raw HTTP request framing: a captured request's header block and body. */
#ifndef EL_REQUEST_EL_HTTP_H
#define EL_REQUEST_EL_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* Raw HTTP request framing. */
typedef struct el_http {
    bool is_http;
    size_t body_offset; /* where the JSON body starts */
    int body_line;      /* its line (1-based) */
    const char *target; size_t target_len; int target_line;
    const char *content_type; size_t content_type_len; int content_type_line;
    long long content_length; int content_length_line; /* -1 when absent */
    const char *method; size_t method_len;
    bool malformed;     /* looked like HTTP but the header block is broken */
    int malformed_line;
} el_http;

/* Recognises a raw HTTP request at the start of buf; fills *h (h->is_http false otherwise). */
void el_http_parse(const char *buf, size_t len, el_http *h);

#endif

/* fuzz_locate.c - the location finder on arbitrary text, with pointers built from the input:
 * it must never read out of bounds or loop, whatever the text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "el_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The input is "pointer1\npointer2\n\0text": up to 8 pointers, then the JSON text. */
    const char *nul = memchr(data, 0, size);
    if (!nul)
        return 0;
    size_t head = (size_t)(nul - (const char *)data);
    char *ptrs = malloc(head + 1);
    memcpy(ptrs, data, head);
    ptrs[head] = '\0';
    el_locate_req reqs[8];
    size_t n = 0;
    for (char *p = ptrs; n < 8 && p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        reqs[n].pointer = p;
        reqs[n].what = (n & 1) ? EL_LOCATE_KEY : EL_LOCATE_VALUE;
        n++;
        p = nl ? nl + 1 : NULL;
    }
    /* A copy of exactly the text's length, so that reading past it is caught. */
    size_t tlen = size - head - 1;
    char *text = malloc(tlen ? tlen : 1);
    memcpy(text, nul + 1, tlen);
    el_locate_all(text, tlen, reqs, n, 1, 1, 64);
    free(text);
    free(ptrs);
    return 0;
}

/* sort.c - sorting the short arrays a check makes (requests of one container, findings of one
 * input, the ids of one list): most hold a handful of elements, where an insertion sort costs
 * less than qsort's set-up; longer ones go to qsort, unless they are in order already (findings
 * are reported, and positions asked for, mostly in document order: one pass instead of a merge
 * sort of a hundred elements). Stable for the short ones and for ordered input; callers whose
 * order must not depend on that break ties themselves. */
#include <stdlib.h>
#include <string.h>

#include "util/el_text.h"

#define SHORT 16
#define MAX_ELEMENT 128 /* larger elements go to qsort whatever the count */

void el_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    unsigned char *a = base, x[MAX_ELEMENT];
    if (n > SHORT || size > MAX_ELEMENT) {
        size_t i = 1;
        while (i < n && cmp(a + (i - 1) * size, a + i * size) <= 0)
            i++;
        if (i < n)
            qsort(base, n, size, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        while (j > 0 && cmp(a + (j - 1) * size, a + i * size) > 0)
            j--;
        if (j == i)
            continue;
        memcpy(x, a + i * size, size);
        memmove(a + (j + 1) * size, a + j * size, (i - j) * size);
        memcpy(a + j * size, x, size);
    }
}

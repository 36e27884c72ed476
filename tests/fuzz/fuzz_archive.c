/* fuzz_archive.c - the image archive reader (src/lib/image/im_source.c): a tar read from memory
 * in one pass with libarchive (the first byte says whether layers are decompressed, as with
 * --verify-layers), then the lookups and reads the walk makes. */
#include <stdbool.h>
#include <stdint.h>

#include "image/el_image.h"
#include "util/el_alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    im_source s;
    char why[256];
    if (im_source_archive_memory(&s, data + 1, size - 1, (data[0] & 1) != 0, why, sizeof why) ==
        ECRLINT_OK) {
        static const char *const names[] = {"oci-layout", "index.json", "manifest.json"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            im_entry *e = im_source_find(&s, names[i]);
            char *text;
            size_t len;
            bool owned;
            if (e && im_source_read(&s, e, (size_t)1 << 20, &text, &len, &owned) == 0 && owned)
                el_free(text);
        }
        for (size_t i = 0; i < s.n; i++)
            if (im_source_find(&s, s.entries[i].name) != &s.entries[i])
                __builtin_trap(); /* the table is sorted and its names unique */
    }
    im_source_free(&s);
    return 0;
}

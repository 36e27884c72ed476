#include "el_private.h"
bool el_manifest_sniff(const json_t *root) { (void)root; return false; }
ecrlint_status el_manifest_check(el_ctx *cx, const char *bytes, size_t len, const json_t *root,
                                 const char *declared, const char *const *accept)
{ (void)cx; (void)bytes; (void)len; (void)root; (void)declared; (void)accept; return ECRLINT_OK; }

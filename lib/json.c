/* Every JSON document the library writes is built with jansson and turned
 * into text here, so any text round-trips (quotes, backslashes, tabs, line
 * breaks, U+2028, any scalar value). */
#include "internal.h"
#include <jansson.h>
#include <stdlib.h>

int cbc__json_dump(struct json_t *root, size_t flags, char **out)
{
  *out = NULL;
  /* Building fails on memory, and also on what the callers check first:
   * invalid UTF-8 or NULL strings (json_string), NaN or infinities
   * (json_real).  Texts are validated on the way in and read back checked,
   * so what is left is memory. */
  if (!root)
    return cbc__error_oom();
  char *text = json_dumps(root, flags);
  json_decref(root);
  if (!text)
    return cbc__error_oom();
  *out = cbc__strdup(text); /* jansson's memory is not the caller's allocator */
  free(text);
  return *out ? 0 : cbc__error_oom();
}

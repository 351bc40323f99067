/* People and units named in messages by their external id and name, which
 * users know, not by the internal row id (docs/integration.md). */
#include "db_internal.h"
#include <stdio.h>
#include <string.h>

/* At most this many bytes of a name (100 CJK characters fit in CBC_MAX_NAME;
 * a message names up to two people or units in its 512 bytes). */
#define NAME_SHOWN 90

/* The length of @p name cut to at most NAME_SHOWN bytes on a character
 * boundary (names are stored valid UTF-8). */
static size_t shown_length(const char *name)
{
  size_t len = strlen(name);
  if (len <= NAME_SHOWN)
    return len;
  len = NAME_SHOWN;
  while (len > 0 && ((unsigned char)name[len] & 0xC0) == 0x80)
    len--; /* name[len] continues a character: cut before it */
  return len;
}

static void format(char out[CBC__REF_SIZE], const char *what, int64_t id, const char *ext,
                   const char *name)
{
  if (!ext || !*ext) {
    snprintf(out, CBC__REF_SIZE, "%s #%lld", what, (long long)id);
    return;
  }
  size_t shown = shown_length(cbc__str(name));
  snprintf(out, CBC__REF_SIZE, "%s %s (%.*s%s)", what, ext, (int)shown, cbc__str(name),
           shown < strlen(cbc__str(name)) ? "…" : "");
}

void cbc__describe_employee(cbc_db *db, const char *as, int64_t id, char out[CBC__REF_SIZE])
{
  cbc__error_saved saved; /* the error being reported */
  cbc__error_save(&saved);
  cbc_employee e;
  bool found = db && id > 0 && cbc_store__employee_get(db->store, id, &e) == 0;
  format(out, as, id, found ? e.external_id : NULL, found ? e.name : NULL);
  cbc__error_restore(&saved);
}

void cbc__describe_unit(cbc_db *db, const char *as, int64_t id, char out[CBC__REF_SIZE])
{
  cbc__error_saved saved;
  cbc__error_save(&saved);
  cbc_unit u;
  bool found = db && id > 0 && cbc_store__unit_get(db->store, id, &u) == 0;
  format(out, as, id, found ? u.external_id : NULL, found ? u.name : NULL);
  cbc__error_restore(&saved);
}

void cbc__error_prefix_employee(cbc_db *db, const char *as, int64_t id)
{
  char who[CBC__REF_SIZE];
  cbc__describe_employee(db, as, id, who);
  cbc__error_prefix("%s", who);
}

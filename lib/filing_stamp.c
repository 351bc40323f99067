/* The history's checkpoint printed on a filed report (docs/history.md):
 * whoever holds the paper holds the filing enterprise's chain head as it
 * was when the report was filed. */
#include "filing_internal.h"
#include "render.h"
#include <inttypes.h>

/* Replace *@p text with what @p b holds (consumed). */
static int replace_text(char **text, cbc__sbuf *b)
{
  char *done = NULL;
  int rc = cbc__sb_finish(b, &done);
  if (!rc) {
    cbc__free(*text);
    *text = done;
  }
  return rc;
}

static int stamp_text(char **text, const cbc_history_checkpoint *cp)
{
  cbc__sbuf b = { 0 };
  cbc__sb_adds(&b, *text);
  cbc__sb_addf(&b, "历史链检查点 History checkpoint: chain %" PRId64 ", link %" PRId64
               ", SHA-256 %s\n", cp->tenant_id, cp->seq, cp->seq ? cp->hash : "-");
  return replace_text(text, &b);
}

static int stamp_csv(char **csv, const cbc_history_checkpoint *cp)
{
  cbc__sbuf b = { 0 };
  cbc__sb_adds(&b, *csv);
  cbc__sb_addf(&b, "history_checkpoint,%" PRId64 ",%" PRId64 ",%s\r\n", cp->tenant_id, cp->seq,
               cp->hash);
  return replace_text(csv, &b);
}

static int stamp_json(char **json, const cbc_history_checkpoint *cp)
{
  json_t *root = json_loads(*json, 0, NULL);
  if (!json_is_object(root)) {
    json_decref(root);
    return cbc__error(CBC_EIO, "a filed report's JSON is not an object");
  }
  json_t *c = json_pack("{sIsIss}", "chain", (json_int_t)cp->tenant_id, "seq",
                        (json_int_t)cp->seq, "sha256", cp->hash);
  if (!c || json_object_set_new(root, "history_checkpoint", c) != 0) {
    json_decref(root);
    return cbc__error_oom();
  }
  cbc__sbuf b = { 0 };
  cbc__sb_json(&b, root);
  return replace_text(json, &b);
}

int cbc__filing_stamp(cbc_filing *f, const cbc_history_checkpoint *cp)
{
  int rc = stamp_json(&f->json, cp);
  if (!rc)
    rc = stamp_text(&f->text, cp);
  if (!rc)
    rc = stamp_csv(&f->csv, cp);
  return rc;
}

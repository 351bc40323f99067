/* Units by external id, cached for the length of a sync (lib/unit_cache.h). */
#include "unit_cache.h"
#include <string.h>

static uint64_t hash(const char *s)
{
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static cbc__unit_slot *find(cbc__unit_cache *c, const char *ext)
{
  size_t mask = c->cap - 1;
  for (size_t i = (size_t)hash(ext) & mask;; i = (i + 1) & mask)
    if (!c->slots[i].external_id || strcmp(c->slots[i].external_id, ext) == 0)
      return &c->slots[i];
}

static int grow(cbc__unit_cache *c)
{
  size_t cap = c->cap ? c->cap * 2 : 1024;
  cbc__unit_slot *old = c->slots, *slots = cbc__calloc(cap, sizeof(*slots));
  if (!slots)
    return cbc__error_oom();
  size_t old_cap = c->cap;
  c->slots = slots;
  c->cap = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].external_id)
      *find(c, old[i].external_id) = old[i];
  cbc__free(old);
  return 0;
}

static void fill(const cbc__unit_slot *slot, cbc_unit *out)
{
  memset(out, 0, sizeof(*out));
  out->id = slot->id;
  out->kind = slot->kind;
  out->closed = slot->closed;
  out->external_id = slot->external_id;
  out->name = out->industry = (char *)"";
}

int cbc__unit_cache_get(cbc__unit_cache *c, cbc_store *st, const char *external_id,
                        cbc_unit *out)
{
  if (c->cap) {
    cbc__unit_slot *hit = find(c, external_id);
    if (hit->external_id) {
      fill(hit, out);
      return 0;
    }
  }
  cbc_unit u;
  int rc = cbc_store__unit_get_external(st, external_id, &u);
  if (!rc && (c->n + 1) * 2 > c->cap)
    rc = grow(c);
  if (rc)
    return rc;
  cbc__unit_slot *slot = find(c, external_id);
  slot->external_id = cbc__strdup(external_id);
  if (!slot->external_id)
    return cbc__error_oom();
  slot->id = u.id;
  slot->kind = u.kind;
  slot->closed = u.closed;
  c->n++;
  fill(slot, out);
  return 0;
}

void cbc__unit_cache_clear(cbc__unit_cache *c)
{
  for (size_t i = 0; i < c->cap; i++)
    cbc__free(c->slots[i].external_id);
  cbc__free(c->slots);
  c->slots = NULL;
  c->cap = c->n = 0;
}

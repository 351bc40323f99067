/* A JSON array of objects, read one element at a time with jansson (no JSON
 * parser of our own): after '[', json_load_callback() with
 * JSON_DISABLE_EOF_CHECK parses one element, fed a byte at a time so it stops
 * right after the closing '}' and so an element cannot exceed
 * CBC__FILE_MAX_ELEMENT bytes of memory. */
#include "org_file.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MAX_UNKNOWN_KEYS 64 /* distinct unknown keys warned about, per file */
#define KEY_PREFIX 256      /* bytes of an unknown key remembered (memory stays small) */

typedef struct json_reader {
  cbc__row_reader base;
  json_t *current;               /* the element whose values are handed out */
  char *scratch[CBC__FILE_MAX_COLUMNS]; /* values converted to text */
  size_t element;                /* 1-based */
  bool done;
  char *unknown[MAX_UNKNOWN_KEYS]; /* keys that are no field, told once */
  size_t n_unknown;
} json_reader;

static bool json_space(int ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

static int skip_space(cbc__text_in *f)
{
  int ch;
  while ((ch = cbc__text_getc(f)) != EOF && json_space(ch)) {
  }
  return ch;
}

/* Feeds jansson one byte per call, counting them. */
typedef struct feed {
  cbc__text_in *text;
  size_t bytes;
} feed;

static size_t feed_byte(void *buffer, size_t buflen, void *data)
{
  feed *fd = data;
  int ch;
  if (buflen == 0 || fd->bytes >= CBC__FILE_MAX_ELEMENT || (ch = cbc__text_getc(fd->text)) == EOF)
    return 0;
  *(unsigned char *)buffer = (unsigned char)ch;
  fd->bytes++;
  return 1;
}

static void release(json_reader *j)
{
  json_decref(j->current);
  j->current = NULL;
  for (size_t i = 0; i < CBC__FILE_MAX_COLUMNS; i++) {
    cbc__free(j->scratch[i]);
    j->scratch[i] = NULL;
  }
}

/* Roles may be an array of names: join them with '|'. */
static char *join_array(json_t *array)
{
  size_t len = 0, i;
  json_t *v;
  json_array_foreach(array, i, v) {
    if (!json_is_string(v))
      return NULL;
    len += json_string_length(v) + 1;
  }
  char *out = cbc__calloc(len + 1, 1);
  if (!out)
    return NULL;
  json_array_foreach(array, i, v) {
    if (i)
      strcat(out, "|");
    strcat(out, json_string_value(v));
  }
  return out;
}

/* The text of one value: strings as they are, booleans as 1/0, integers in
 * decimal, arrays of strings joined; NULL for null. */
static int value_text(json_reader *j, int col, json_t *v, const char *key, const char **out)
{
  char num[32];
  *out = NULL;
  if (json_is_null(v))
    return 0;
  if (json_is_string(v)) {
    *out = json_string_value(v);
    return 0;
  }
  double real = json_is_real(v) ? json_real_value(v) : 0.5;
  if (json_is_boolean(v) || json_is_integer(v) || (real == (double)(int64_t)real)) {
    snprintf(num, sizeof(num), "%" PRId64,
             json_is_boolean(v) ? (int64_t)json_is_true(v)
             : json_is_integer(v) ? (int64_t)json_integer_value(v) : (int64_t)real);
    j->scratch[col] = cbc__strdup(num);
  } else if (json_is_array(v)) {
    j->scratch[col] = join_array(v);
    if (!j->scratch[col])
      return cbc__error(CBC_EINVAL, "%s: element %zu: '%s' must be an array of strings",
                        j->base.path, j->element, key);
  } else {
    return cbc__error(CBC_EINVAL, "%s: element %zu: '%s' has a value of the wrong type",
                      j->base.path, j->element, key);
  }
  if (!j->scratch[col])
    return cbc__error_oom();
  *out = j->scratch[col];
  return 0;
}

/* Tell the spec of a key that is no field, the first time it is met. */
static int unknown_key(json_reader *j, const char *key)
{
  for (size_t i = 0; i < j->n_unknown; i++)
    if (strncmp(j->unknown[i], key, KEY_PREFIX) == 0)
      return 0;
  if (j->n_unknown == MAX_UNKNOWN_KEYS)
    return 0; /* enough said */
  size_t len = strlen(key);
  if (!(j->unknown[j->n_unknown] = cbc__strndup(key, len < KEY_PREFIX ? len : KEY_PREFIX)))
    return cbc__error_oom();
  j->n_unknown++;
  return j->base.spec->unknown_column(j->base.spec->payload, key);
}

static int fill_row(json_reader *j, cbc__file_row *row)
{
  const cbc__file_columns *cols = j->base.spec->columns;
  const char *key;
  const char *key_of[CBC__FILE_MAX_COLUMNS] = { NULL };
  json_t *v;
  unsigned int seen = 0;
  char where[48];
  memset(row->values, 0, sizeof(row->values));
  row->line = j->element;
  snprintf(where, sizeof(where), ": element %zu", j->element);
  json_object_foreach(j->current, key, v) {
    int k = cbc__file_field(j->base.spec, key, strlen(key));
    int rc = k == CBC__COLUMN_UNKNOWN ? unknown_key(j, key) : 0;
    if (k < 0) {
      if (rc)
        return rc;
      continue;
    }
    if (key_of[k])
      return cbc__file_field_twice(j->base.spec, j->base.path, where, key_of[k], key, k);
    key_of[k] = key;
    rc = value_text(j, k, v, key, &row->values[k]);
    if (rc)
      return rc;
    if (row->values[k])
      seen |= 1u << k;
  }
  for (size_t k = 0; k < cols->n; k++)
    if ((cols->required & (1u << k)) && !(seen & (1u << k)))
      row->values[k] = NULL; /* a missing required value is a row error later */
  return 0;
}

static int json_next(cbc__row_reader *r, cbc__file_row *row)
{
  json_reader *j = (json_reader *)r;
  release(j);
  if (j->done)
    return CBC_ITEROVER;
  int ch = skip_space(r->text);
  if (j->element > 0) {
    if (ch == ']') {
      j->done = true;
      ch = skip_space(r->text);
      return ch == EOF ? CBC_ITEROVER
                       : cbc__error(CBC_EINVAL, "%s: text after the closing ']'", r->path);
    }
    if (ch != ',')
      return cbc__error(CBC_EINVAL, "%s: after element %zu: expected ',' or ']'", r->path,
                        j->element);
  } else if (ch == ']') {
    j->done = true;
    return skip_space(r->text) == EOF
               ? CBC_ITEROVER : cbc__error(CBC_EINVAL, "%s: text after the closing ']'", r->path);
  } else {
    cbc__text_ungetc(r->text, ch);
  }
  j->element++;
  json_error_t err;
  feed fd = { r->text, 0 };
  j->current = json_load_callback(feed_byte, &fd, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES,
                                  &err);
  if (!j->current && cbc__text_failed(r->text))
    return cbc__error(CBC_EIO, "%s: read error", r->path);
  if (!j->current && fd.bytes >= CBC__FILE_MAX_ELEMENT)
    return cbc__error(CBC_EINVAL, "%s: element %zu is larger than %d bytes", r->path, j->element,
                      CBC__FILE_MAX_ELEMENT);
  if (!j->current && cbc__text_invalid(r->text))
    return cbc__error(CBC_EINVAL, "%s: element %zu: a byte sequence that is no %s character",
                      r->path, j->element, cbc__text_encoding(r->text));
  if (!j->current)
    return cbc__error(CBC_EINVAL, "%s: element %zu: %s", r->path, j->element, err.text);
  if (!json_is_object(j->current))
    return cbc__error(CBC_EINVAL, "%s: element %zu is not an object", r->path, j->element);
  return fill_row(j, row);
}

static void json_free_reader(cbc__row_reader *r)
{
  json_reader *j = (json_reader *)r;
  release(j);
  for (size_t i = 0; i < j->n_unknown; i++)
    cbc__free(j->unknown[i]);
  cbc__free(j);
}

int cbc__json_reader_new(cbc__row_reader **out, cbc__text_in *text, const char *path,
                         const cbc__file_spec *spec)
{
  *out = NULL;
  if (skip_space(text) != '[')
    return cbc__error(CBC_EINVAL, "%s: not a JSON array of objects (it must start with '[')",
                      path);
  json_reader *j = cbc__calloc(1, sizeof(*j));
  if (!j)
    return cbc__error_oom();
  j->base = (cbc__row_reader){ json_next, json_free_reader, text, path, spec };
  *out = &j->base;
  return 0;
}

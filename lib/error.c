/* Per-thread error details (cbc_error_last) and the version. */
#include "internal.h"
#include <stdio.h>
#include <string.h>

typedef struct error_slot {
  cbc_error pub;
  char message[512];
} error_slot;

static _Thread_local error_slot t_err = { { 0, "no error" }, "no error" };

/* Messages quote input (a file's values, a caller's text) and are cut at
 * their size: keep them UTF-8, a byte that starts no character in place
 * becoming '?', so bindings can always decode them. */
static void keep_utf8(char *s)
{
  size_t len = strlen(s);
  for (size_t i = 0; i < len;) {
    size_t n = 1;
    while (n <= 4 && i + n <= len && !cbc__utf8_valid(s + i, n))
      n++;
    if (n <= 4 && i + n <= len) {
      i += n;
    } else {
      s[i] = '?';
      i++;
    }
  }
}

int cbc__error_v(int code, const char *fmt, va_list ap)
{
  char text[sizeof(t_err.message)]; /* the arguments may be the current message */
  vsnprintf(text, sizeof(text), fmt, ap);
  keep_utf8(text);
  memcpy(t_err.message, text, sizeof(text));
  t_err.pub.code = code;
  t_err.pub.message = t_err.message;
  return code;
}

int cbc__error(int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  cbc__error_v(code, fmt, ap);
  va_end(ap);
  return code;
}

int cbc__error_oom(void) { return cbc__error(CBC_ENOMEM, "out of memory"); }

void cbc__error_prefix(const char *fmt, ...)
{
  char prefix[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof(prefix), fmt, ap);
  va_end(ap);
  size_t cap = sizeof(t_err.message), plen = strlen(prefix), olen = strlen(t_err.message);
  if (olen > cap - plen - 3)
    olen = cap - plen - 3; /* keep the start of the old message */
  memmove(t_err.message + plen + 2, t_err.message, olen);
  memcpy(t_err.message, prefix, plen);
  memcpy(t_err.message + plen, ": ", 2);
  t_err.message[plen + 2 + olen] = '\0';
  keep_utf8(t_err.message);
  t_err.pub.message = t_err.message;
}

void cbc__error_save(cbc__error_saved *saved)
{
  saved->code = t_err.pub.code;
  memcpy(saved->message, t_err.message, sizeof(saved->message));
}

void cbc__error_restore(const cbc__error_saved *saved)
{
  t_err.pub.code = saved->code;
  memcpy(t_err.message, saved->message, sizeof(t_err.message));
  t_err.pub.message = t_err.message;
}

int cbc__check_version(const char *what, unsigned int version, unsigned int known)
{
  if (version == 0)
    return cbc__error(CBC_EINVAL, "%s: version 0 (not initialised)", what);
  if (version > known)
    return cbc__error(CBC_EINVAL, "%s: version %u is newer than this libcbc knows (%u)", what,
                      version, known);
  return 0;
}

CBC_EXTERN(const cbc_error *) cbc_error_last(void)
{
  t_err.pub.message = t_err.message;
  return &t_err.pub;
}

CBC_EXTERN(void) cbc_error_clear(void)
{
  t_err.pub.code = 0;
  strcpy(t_err.message, "no error");
  t_err.pub.message = t_err.message;
}

CBC_EXTERN(const char *) cbc_error_name(int code)
{
  static const char *const names[] = { "CBC_OK", "CBC_ENOTFOUND", "CBC_EINVAL", "CBC_ESTATE",
                                       "CBC_EPERM", "CBC_ECONFLICT", "CBC_EBUSY", "CBC_ENOMEM",
                                       "CBC_EIO", "CBC_ECORRUPT", "CBC_EVERSION",
                                       "CBC_ITEROVER" };
  if (code > 0 || -code >= (int)(sizeof(names) / sizeof(names[0])))
    return "unknown";
  return names[-code];
}

CBC_EXTERN(const char *) cbc_version(int *major, int *minor, int *patch)
{
  if (major)
    *major = CBC_VERSION_MAJOR;
  if (minor)
    *minor = CBC_VERSION_MINOR;
  if (patch)
    *patch = CBC_VERSION_PATCH;
  return CBC_VERSION_STRING;
}

/* An HR file's bytes as UTF-8 (lib/org_file.h): UTF-8 passed through,
 * anything else converted with iconv one chunk at a time, so memory does not
 * grow with the file.  HR systems on Chinese Windows write GBK (code page
 * 936), which GB18030 extends: both are read as GB18030. */
#include "org_file.h"
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#define INVALID_MARK 0xFF /* never a byte of UTF-8 */
#define NO_ICONV ((iconv_t)-1)

typedef enum text_mode {
  TEXT_UNDECIDED, /* ASCII so far, no encoding declared */
  TEXT_UTF8,      /* passed through */
  TEXT_CONVERT    /* converted by cd */
} text_mode;

struct cbc__text_in {
  FILE *file;
  const char *path;
  text_mode mode;
  iconv_t cd;
  const char *encoding; /* for messages */
  bool detected;
  bool started;         /* the first bytes were looked at (BOM) */
  bool eof, failed;
  size_t invalid;
  size_t raw_pos, raw_len; /* undecoded bytes: raw[raw_pos..raw_len) */
  size_t out_pos, out_len; /* bytes ready: out[out_pos..out_len) */
  unsigned char raw[CBC__TEXT_CHUNK];
  unsigned char out[CBC__TEXT_CHUNK];
};

/* GBK and its older subset are read as their superset. */
static const char *iconv_name(const char *encoding)
{
  static const char *const gb[] = { "gbk", "gb2312", "cp936", "gb18030", "euc-cn" };
  for (size_t i = 0; i < sizeof(gb) / sizeof(gb[0]); i++)
    if (strcasecmp(encoding, gb[i]) == 0)
      return "GB18030";
  return encoding;
}

static bool is_auto(const char *encoding)
{
  return !encoding || !*encoding || strcasecmp(encoding, "auto") == 0;
}

static bool is_utf8(const char *encoding)
{
  return strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0;
}

int cbc__text_encoding_check(const char *encoding)
{
  if (is_auto(encoding) || is_utf8(encoding))
    return 0;
  iconv_t cd = iconv_open("UTF-8", iconv_name(encoding));
  if (cd == NO_ICONV)
    return cbc__error(CBC_EINVAL, "unknown encoding '%s' (utf-8, gb18030, gbk, or a name "
                      "iconv knows)", encoding);
  iconv_close(cd);
  return 0;
}

static bool start_iconv(cbc__text_in *in, const char *encoding)
{
  in->cd = iconv_open("UTF-8", iconv_name(encoding));
  if (in->cd == NO_ICONV)
    return false;
  in->mode = TEXT_CONVERT;
  in->encoding = iconv_name(encoding);
  return true;
}

int cbc__text_open(cbc__text_in **out, FILE *file, const char *path, const char *encoding)
{
  *out = NULL;
  cbc__text_in *in = cbc__malloc(sizeof(*in));
  if (!in)
    return cbc__error_oom();
  memset(in, 0, offsetof(cbc__text_in, raw)); /* the buffers need no zeroing */
  in->file = file;
  in->path = path;
  in->cd = NO_ICONV;
  in->encoding = "UTF-8";
  in->mode = is_auto(encoding) ? TEXT_UNDECIDED : TEXT_UTF8;
  if (!is_auto(encoding) && !is_utf8(encoding) && !start_iconv(in, encoding)) {
    cbc__free(in);
    return cbc__error(CBC_EINVAL, "unknown encoding '%s'", encoding);
  }
  *out = in;
  return 0;
}

void cbc__text_close(cbc__text_in *in)
{
  if (!in)
    return;
  if (in->cd != NO_ICONV)
    iconv_close(in->cd);
  cbc__free(in);
}

bool cbc__text_failed(const cbc__text_in *in) { return in->failed; }
size_t cbc__text_invalid(const cbc__text_in *in) { return in->invalid; }
const char *cbc__text_encoding(const cbc__text_in *in) { return in->encoding; }
bool cbc__text_detected(const cbc__text_in *in) { return in->detected; }

/* Move the undecoded bytes to the front and read until the buffer is full
 * or the file ends (@p all) or until some bytes came. */
static void read_raw(cbc__text_in *in, bool all)
{
  size_t left = in->raw_len - in->raw_pos;
  memmove(in->raw, in->raw + in->raw_pos, left);
  in->raw_pos = 0;
  in->raw_len = left;
  while (!in->eof && in->raw_len < sizeof(in->raw)) {
    size_t n = fread(in->raw + in->raw_len, 1, sizeof(in->raw) - in->raw_len, in->file);
    in->raw_len += n;
    if (n == 0) {
      in->eof = true;
      in->failed = ferror(in->file) != 0;
    }
    if (!all && n > 0)
      break;
  }
}

/* How many bytes at the end of @p s (@p len) start a UTF-8 sequence that
 * the next chunk would complete. */
static size_t utf8_cut_tail(const unsigned char *s, size_t len)
{
  for (size_t back = 1; back <= 3 && back <= len; back++) {
    unsigned char c = s[len - back];
    if ((c & 0xC0) == 0x80)
      continue; /* a continuation byte: look further back */
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/* Whether raw[raw_pos..raw_len) decodes without an invalid sequence (an
 * incomplete one at the end counts as valid: the next chunk, or a file cut
 * short, is no evidence against the encoding). */
static bool decodes_as(cbc__text_in *in, iconv_t cd)
{
  char *src = (char *)in->raw + in->raw_pos;
  size_t left = in->raw_len - in->raw_pos;
  bool ok = true;
  while (ok && left > 0) {
    char *dst = (char *)in->out;
    size_t room = sizeof(in->out);
    if (iconv(cd, &src, &left, &dst, &room) != (size_t)-1)
      break;
    ok = errno == E2BIG || errno == EINVAL;
    if (errno == EINVAL)
      break;
  }
  iconv(cd, NULL, NULL, NULL, NULL);
  return ok;
}

/* At the first non-ASCII byte of a file with no declared encoding: look at
 * up to a chunk from there and decide. */
static void decide(cbc__text_in *in)
{
  read_raw(in, true);
  const unsigned char *s = in->raw + in->raw_pos;
  size_t len = in->raw_len - in->raw_pos;
  in->mode = TEXT_UTF8;
  if (cbc__utf8_valid((const char *)s, len - utf8_cut_tail(s, len)))
    return;
  if (start_iconv(in, "GB18030")) {
    in->detected = true;
    if (decodes_as(in, in->cd))
      return;
    iconv_close(in->cd);
    in->cd = NO_ICONV;
    in->detected = false;
    in->encoding = "UTF-8";
  }
  in->mode = TEXT_UTF8; /* neither: its rows fail as not UTF-8 */
}

/* Skip a byte order mark; FF FE / FE FF mean UTF-16 when nothing is declared. */
static void look_at_start(cbc__text_in *in)
{
  in->started = true;
  read_raw(in, true);
  const unsigned char *s = in->raw;
  if (in->raw_len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF &&
      in->mode != TEXT_CONVERT) {
    in->raw_pos = 3;
    in->mode = TEXT_UTF8;
  } else if (in->raw_len >= 2 && in->mode == TEXT_UNDECIDED &&
             ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
    if (start_iconv(in, "UTF-16"))
      in->detected = true;
  }
}

/* Undecided: copy the ASCII bytes; decide at the first other one. */
static void pass_ascii(cbc__text_in *in)
{
  size_t n = 0, left = in->raw_len - in->raw_pos;
  const unsigned char *s = in->raw + in->raw_pos;
  while (n < left && s[n] < 0x80)
    n++;
  memcpy(in->out, s, n);
  in->out_len = n;
  in->raw_pos += n;
  if (n == 0 && left > 0)
    decide(in);
}

static void pass_utf8(cbc__text_in *in)
{
  size_t n = in->raw_len - in->raw_pos;
  memcpy(in->out, in->raw + in->raw_pos, n);
  in->out_len = n;
  in->raw_pos += n;
}

/* Convert what iconv can; an invalid sequence, or an incomplete one at the
 * end of the file, becomes INVALID_MARK. */
static void convert(cbc__text_in *in)
{
  char *src = (char *)in->raw + in->raw_pos;
  char *dst = (char *)in->out;
  size_t left = in->raw_len - in->raw_pos, room = sizeof(in->out);
  size_t r = iconv(in->cd, &src, &left, &dst, &room);
  int err = r == (size_t)-1 ? errno : 0;
  in->raw_pos = in->raw_len - left;
  in->out_len = sizeof(in->out) - room;
  bool bad = err == EILSEQ || (err == EINVAL && in->eof) || (err && err != E2BIG &&
                                                             err != EINVAL);
  if (bad && room > 0) {
    in->out[in->out_len++] = INVALID_MARK;
    in->raw_pos = err == EILSEQ ? in->raw_pos + 1 : in->raw_len;
    iconv(in->cd, NULL, NULL, NULL, NULL);
  }
}

/* Drop a U+FEFF that a conversion put at the very start. */
static void skip_converted_bom(cbc__text_in *in)
{
  if (in->out_len >= 3 && in->out[0] == 0xEF && in->out[1] == 0xBB && in->out[2] == 0xBF)
    in->out_pos = 3;
}

/* Fill out[]; false at the end of the file (or a read error). */
static bool refill(cbc__text_in *in)
{
  bool first = !in->started;
  if (first)
    look_at_start(in);
  in->out_pos = in->out_len = 0;
  while (in->out_len == 0) {
    if (in->raw_pos == in->raw_len || in->mode == TEXT_CONVERT)
      read_raw(in, false);
    if (in->raw_pos == in->raw_len)
      return false;
    if (in->mode == TEXT_UNDECIDED)
      pass_ascii(in); /* may decide, with nothing out yet: go round */
    else if (in->mode == TEXT_UTF8)
      pass_utf8(in);
    else
      convert(in); /* nothing out while a sequence waits for the next chunk */
  }
  if (first && in->mode == TEXT_CONVERT)
    skip_converted_bom(in);
  return true;
}

int cbc__text_getc(cbc__text_in *in)
{
  while (in->out_pos == in->out_len)
    if (!refill(in))
      return EOF;
  int ch = in->out[in->out_pos++];
  if (ch == INVALID_MARK && in->mode == TEXT_CONVERT)
    in->invalid++;
  return ch;
}

void cbc__text_ungetc(cbc__text_in *in, int ch)
{
  if (ch == EOF || in->out_pos == 0)
    return;
  in->out_pos--;
  if (ch == INVALID_MARK && in->mode == TEXT_CONVERT)
    in->invalid--;
}

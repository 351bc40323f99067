/* cbc: writing a command's output to stdout, or to FILE replaced whole
 * once complete (a temporary file in FILE's directory renamed onto it),
 * never a partial file, nothing written when the command fails. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct out_file {
  const char *path; /* the destination; NULL: stdout */
  char *tmp;        /* the temporary file, removed unless renamed */
  int fd;
} out_file;

/* A new temporary file next to @p path (or in $TMPDIR when NULL), with
 * the mode a new file gets (mkstemp's is 0600). */
static int out_temp(cli_ctx *ctx, out_file *o, const char *path)
{
  const char *dir = getenv("TMPDIR");
  size_t size = (path ? strlen(path) : strlen(dir ? dir : "/tmp")) + 32;
  o->tmp = malloc(size);
  if (!o->tmp)
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  if (path)
    snprintf(o->tmp, size, "%s.tmp-XXXXXX", path);
  else
    snprintf(o->tmp, size, "%s/cbc-out-XXXXXX", dir && *dir ? dir : "/tmp");
  if ((o->fd = mkstemp(o->tmp)) < 0) {
    int err = errno;
    free(o->tmp);
    o->tmp = NULL;
    return cli_failf(ctx, CLI_IO, "cannot create %s: %s", path ? path : "a temporary file",
                     strerror(err));
  }
  mode_t mask = umask(0);
  umask(mask);
  fchmod(o->fd, 0666 & ~mask);
  return CLI_OK;
}

static void out_discard(out_file *o)
{
  if (o->fd >= 0)
    close(o->fd);
  o->fd = -1;
  if (o->tmp)
    unlink(o->tmp);
  free(o->tmp);
  o->tmp = NULL;
}

/* The complete temporary file becomes o->path. */
static int out_commit(cli_ctx *ctx, out_file *o)
{
  if (rename(o->tmp, o->path) != 0) {
    int err = errno;
    out_discard(o);
    return cli_failf(ctx, CLI_IO, "cannot write %s: %s", o->path, strerror(err));
  }
  free(o->tmp);
  o->tmp = NULL;
  return CLI_OK;
}

/* Copy the (closed) temporary file to stdout, then remove it. */
static int out_copy_to_stdout(cli_ctx *ctx, out_file *o)
{
  FILE *in = fopen(o->tmp, "rb");
  char buf[8192];
  size_t n;
  int ok = in != NULL;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
    ok = fwrite(buf, 1, n, stdout) == n;
  ok = ok && !ferror(in) && fflush(stdout) == 0;
  if (in)
    fclose(in);
  out_discard(o);
  return ok ? CLI_OK : cli_failf(ctx, CLI_IO, "cannot write to stdout");
}

int cli_write_stream(cli_ctx *ctx, const char *path, cli_stream_fn write, const void *arg)
{
  if (!path) {
    int rc = write(ctx, stdout, arg);
    if (rc == CLI_OK && fflush(stdout) != 0)
      rc = cli_failf(ctx, CLI_IO, "cannot write to stdout: %s", strerror(errno));
    return rc;
  }
  out_file o = {path, NULL, -1};
  int rc = out_temp(ctx, &o, path);
  if (rc != CLI_OK)
    return rc;
  FILE *f = fdopen(o.fd, "wb");
  if (!f) {
    out_discard(&o);
    return cli_failf(ctx, CLI_INTERNAL, "out of memory");
  }
  o.fd = -1;
  rc = write(ctx, f, arg);
  int werr = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0 ? errno : 0;
  if (fclose(f) != 0 && !werr)
    werr = errno;
  if (rc == CLI_OK && werr)
    rc = cli_failf(ctx, CLI_IO, "cannot write %s: %s", path, strerror(werr));
  if (rc != CLI_OK) {
    out_discard(&o);
    return rc;
  }
  return out_commit(ctx, &o);
}

int cli_write_named(cli_ctx *ctx, const char *path, cli_named_fn write, const void *arg)
{
  out_file o = {path, NULL, -1};
  int rc = out_temp(ctx, &o, path);
  if (rc != CLI_OK)
    return rc;
  close(o.fd);
  o.fd = -1;
  if ((rc = write(ctx, o.tmp, arg)) != CLI_OK) {
    out_discard(&o);
    return rc;
  }
  return path ? out_commit(ctx, &o) : out_copy_to_stdout(ctx, &o);
}

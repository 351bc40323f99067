/* Replays every file of the corpus directories given through
 * LLVMFuzzerTestOneInput, so ordinary builds (gcc, no libFuzzer) keep the
 * fuzz findings tested. */
#include "fuzz_support.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int replay_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return 1;
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0, n;
  uint8_t chunk[4096];
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
    if (len + n > cap) {
      cap = (len + n) * 2;
      uint8_t *grown = realloc(buf, cap);
      if (!grown) {
        free(buf);
        fclose(f);
        return 1;
      }
      buf = grown;
    }
    memcpy(buf + len, chunk, n);
    len += n;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf ? buf : (const uint8_t *)"", len);
  free(buf);
  return 0;
}

/* Replays the files of @p dir; returns how many, or -1. */
static int replay_dir(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "fuzz replay: cannot open %s\n", dir);
    return -1;
  }
  struct dirent *e;
  int files = 0;
  char path[4096];
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
    if (replay_file(path)) {
      fprintf(stderr, "fuzz replay: cannot read %s\n", path);
      files = -1;
      break;
    }
    files++;
  }
  closedir(d);
  return files;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
    return 2;
  }
  LLVMFuzzerInitialize(&argc, &argv);
  int total = 0;
  for (int i = 1; i < argc; i++) {
    int n = replay_dir(argv[i]);
    if (n < 0)
      return 1;
    total += n;
  }
  printf("fuzz replay: %d inputs\n", total);
  return total == 0;
}

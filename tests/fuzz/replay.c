/* Replays every file of a corpus directory through LLVMFuzzerTestOneInput,
 * so ordinary builds (gcc, no libFuzzer) keep the fuzz findings tested. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

int main(int argc, char **argv)
{
  if (argc != 2)
    return 2;
  DIR *d = opendir(argv[1]);
  if (!d)
    return 1;
  struct dirent *e;
  int files = 0, rc = 0;
  char path[4096];
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
    rc |= replay_file(path);
    files++;
  }
  closedir(d);
  printf("fuzz replay: %d inputs\n", files);
  return rc || files == 0;
}

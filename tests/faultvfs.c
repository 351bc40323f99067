/* The fault-injecting SQLite VFS (tests/faultvfs.h): a shim over "unix"
 * whose files pass every call through, except the writes, syncs and
 * truncates it was armed to fail. */
#include "faultvfs.h"
#include <sqlite3.h>
#include <stddef.h>
#include <string.h>

typedef struct fault_file {
  sqlite3_file base;
  sqlite3_file *real; /* the unix file, allocated right after this struct */
  const char *kind;   /* "db", "-wal", "-journal" or "temp" */
} fault_file;

static struct {
  cbc_fault_mode mode; /* 0: disarmed */
  cbc_fault_op only;   /* 0, or the only kind of operation counted */
  long at, ops;        /* fail the at-th counted operation; counted so far */
  int fired;
  cbc_fault_op fired_op;
  const char *fired_file;
} g_fault;

static sqlite3_vfs g_vfs, *g_unix;

/* Whether @p op is counted in the armed mode. */
static int counted(cbc_fault_op op)
{
  if (g_fault.only && op != g_fault.only)
    return 0;
  switch (g_fault.mode) {
  case CBC_FAULT_IO: return op != CBC_FAULT_OP_READ;
  case CBC_FAULT_FULL: return op == CBC_FAULT_OP_WRITE;
  case CBC_FAULT_BUSY_SYNC: return op == CBC_FAULT_OP_SYNC;
  case CBC_FAULT_READ: return op == CBC_FAULT_OP_READ;
  }
  return op != CBC_FAULT_OP_READ;
}

/* The error to return for @p op on @p f, or SQLITE_OK to let it through. */
static int inject(fault_file *f, cbc_fault_op op)
{
  static const int ioerr[] = { 0, SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC,
                               SQLITE_IOERR_TRUNCATE, SQLITE_IOERR_READ };
  if (!counted(op))
    return SQLITE_OK;
  long n = ++g_fault.ops;
  if (!g_fault.mode || n < g_fault.at)
    return SQLITE_OK;
  if (n > g_fault.at && g_fault.mode != CBC_FAULT_FULL)
    return SQLITE_OK; /* one-shot modes fired already */
  if (n == g_fault.at) {
    g_fault.fired = 1;
    g_fault.fired_op = op;
    g_fault.fired_file = f->kind;
  }
  switch (g_fault.mode) {
  case CBC_FAULT_IO: case CBC_FAULT_READ: return ioerr[op];
  case CBC_FAULT_FULL: return SQLITE_FULL;
  case CBC_FAULT_BUSY_SYNC: return SQLITE_BUSY;
  }
  return SQLITE_OK;
}

#define REAL(file) (((fault_file *)(file))->real)

static int f_close(sqlite3_file *file)
{
  int rc = REAL(file)->pMethods->xClose(REAL(file));
  file->pMethods = NULL;
  return rc;
}

static int f_read(sqlite3_file *file, void *buf, int n, sqlite3_int64 off)
{
  int rc = inject((fault_file *)file, CBC_FAULT_OP_READ);
  return rc ? rc : REAL(file)->pMethods->xRead(REAL(file), buf, n, off);
}

static int f_write(sqlite3_file *file, const void *buf, int n, sqlite3_int64 off)
{
  int rc = inject((fault_file *)file, CBC_FAULT_OP_WRITE);
  return rc ? rc : REAL(file)->pMethods->xWrite(REAL(file), buf, n, off);
}

static int f_truncate(sqlite3_file *file, sqlite3_int64 size)
{
  int rc = inject((fault_file *)file, CBC_FAULT_OP_TRUNCATE);
  return rc ? rc : REAL(file)->pMethods->xTruncate(REAL(file), size);
}

/* A sync is counted and may fail, but is not passed on: tests never cut the
 * power, and thousands of real fsyncs would make the sweeps crawl. */
static int f_sync(sqlite3_file *file, int flags)
{
  (void)flags;
  return inject((fault_file *)file, CBC_FAULT_OP_SYNC);
}

static int f_size(sqlite3_file *file, sqlite3_int64 *out)
{
  return REAL(file)->pMethods->xFileSize(REAL(file), out);
}

static int f_lock(sqlite3_file *file, int level)
{
  return REAL(file)->pMethods->xLock(REAL(file), level);
}

static int f_unlock(sqlite3_file *file, int level)
{
  return REAL(file)->pMethods->xUnlock(REAL(file), level);
}

static int f_reserved(sqlite3_file *file, int *out)
{
  return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}

static int f_control(sqlite3_file *file, int op, void *arg)
{
  return REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}

static int f_sector(sqlite3_file *file)
{
  return REAL(file)->pMethods->xSectorSize(REAL(file));
}

static int f_device(sqlite3_file *file)
{
  return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file));
}

static int f_shm_map(sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
  return REAL(file)->pMethods->xShmMap(REAL(file), page, size, extend, out);
}

static int f_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
  return REAL(file)->pMethods->xShmLock(REAL(file), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *file) { REAL(file)->pMethods->xShmBarrier(REAL(file)); }

static int f_shm_unmap(sqlite3_file *file, int delete_flag)
{
  return REAL(file)->pMethods->xShmUnmap(REAL(file), delete_flag);
}

static int f_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **out)
{
  return REAL(file)->pMethods->xFetch(REAL(file), off, n, out);
}

static int f_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
  return REAL(file)->pMethods->xUnfetch(REAL(file), off, p);
}

static const sqlite3_io_methods g_methods = {
  3, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_reserved,
  f_control, f_sector, f_device, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch,
  f_unfetch,
};

static const char *file_kind(int flags)
{
  if (flags & SQLITE_OPEN_MAIN_DB)
    return "db";
  if (flags & SQLITE_OPEN_WAL)
    return "-wal";
  if (flags & SQLITE_OPEN_MAIN_JOURNAL)
    return "-journal";
  return "temp";
}

static int f_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                  int *out_flags)
{
  (void)vfs;
  fault_file *f = (fault_file *)file;
  f->real = (sqlite3_file *)&f[1];
  f->kind = file_kind(flags);
  int rc = g_unix->xOpen(g_unix, name, f->real, flags, out_flags);
  /* SQLite calls xClose whenever pMethods is set, even after a failed open */
  file->pMethods = f->real->pMethods ? &g_methods : NULL;
  return rc;
}

void cbc_test_faultvfs_install(void)
{
  if (g_unix) {
    sqlite3_vfs_register(&g_vfs, 1);
    return;
  }
  sqlite3_initialize();
  g_unix = sqlite3_vfs_find("unix");
  g_vfs = *g_unix; /* unix's own methods for everything but files */
  g_vfs.pNext = NULL;
  g_vfs.zName = "cbc-fault";
  g_vfs.szOsFile = (int)sizeof(fault_file) + g_unix->szOsFile;
  g_vfs.xOpen = f_open;
  sqlite3_vfs_register(&g_vfs, 1);
}

void cbc_test_faultvfs_uninstall(void)
{
  if (g_unix)
    sqlite3_vfs_register(g_unix, 1);
}

void cbc_test_fault_arm(cbc_fault_mode mode, long n)
{
  memset(&g_fault, 0, sizeof(g_fault));
  g_fault.mode = mode;
  g_fault.at = n;
}

void cbc_test_fault_arm_only(cbc_fault_mode mode, cbc_fault_op op, long n)
{
  cbc_test_fault_arm(mode, n);
  g_fault.only = op;
}

void cbc_test_fault_disarm(void) { memset(&g_fault, 0, sizeof(g_fault)); }

long cbc_test_fault_ops(void) { return g_fault.ops; }
int cbc_test_fault_fired(void) { return g_fault.fired; }
cbc_fault_op cbc_test_fault_fired_op(void) { return g_fault.fired_op; }
const char *cbc_test_fault_fired_file(void) { return g_fault.fired_file ? g_fault.fired_file : ""; }

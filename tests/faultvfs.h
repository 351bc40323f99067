/* An SQLite VFS for tests that fails chosen writes, syncs and truncates.
 *
 * cbc_test_faultvfs_install() registers "cbc-fault", a shim over the
 * default ("unix") VFS, as the process's default VFS, so every connection
 * opened without naming a VFS (libcbc's) goes through it; a connection
 * opened with the VFS "unix" (a test's own checks) does not.  It counts the
 * operations that change a file — xWrite, xSync, xTruncate (or in the read
 * mode, xRead) — over every
 * file of every connection (the database, its -wal, a rollback journal,
 * temporary files) and, once armed, fails one of them as set below.
 * Syncs are counted but not performed (the tests never cut the power). */
#ifndef CBC_TEST_FAULTVFS_H
#define CBC_TEST_FAULTVFS_H

typedef enum cbc_fault_mode {
  CBC_FAULT_IO = 1,       /* the n-th write/sync/truncate fails once with its
                             SQLITE_IOERR_WRITE / _FSYNC / _TRUNCATE */
  CBC_FAULT_FULL = 2,     /* the disk is full: the n-th write and every later
                             one fail with SQLITE_FULL (syncs and truncates
                             succeed); counts writes only */
  CBC_FAULT_BUSY_SYNC = 3, /* the n-th sync fails once with SQLITE_BUSY, which
                              SQLite answers by keeping the transaction (a
                              commit that can be retried); counts syncs only */
  CBC_FAULT_READ = 4       /* the n-th read fails once with SQLITE_IOERR_READ;
                              counts xRead only */
} cbc_fault_mode;

/* What the injected fault hit. */
typedef enum cbc_fault_op {
  CBC_FAULT_OP_WRITE = 1, CBC_FAULT_OP_SYNC, CBC_FAULT_OP_TRUNCATE, CBC_FAULT_OP_READ
} cbc_fault_op;

void cbc_test_faultvfs_install(void);   /* idempotent */
void cbc_test_faultvfs_uninstall(void); /* "unix" becomes the default again */
/* Fail as @p mode says at the @p n-th counted operation from now (n >= 1). */
void cbc_test_fault_arm(cbc_fault_mode mode, long n);
/* The same, counting only operations of kind @p op (say, the n-th sync). */
void cbc_test_fault_arm_only(cbc_fault_mode mode, cbc_fault_op op, long n);
void cbc_test_fault_disarm(void);
/* Counted operations since the last arm (or disarm). */
long cbc_test_fault_ops(void);
/* Whether the armed fault fired; then which operation on which kind of
 * file (the file name's suffix: "-wal", "-journal", "db", or "temp"). */
int cbc_test_fault_fired(void);
cbc_fault_op cbc_test_fault_fired_op(void);
const char *cbc_test_fault_fired_file(void);

#endif

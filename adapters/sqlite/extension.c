/*
 * extension.c — the loadable SQLite extension build/fahras_sqlite.so:
 *
 *   sqlite> .load ./build/fahras_sqlite
 *   sqlite> CREATE VIRTUAL TABLE t USING fts5(body, tokenize='fahras');
 *
 * src/fts5.c compiled once more against sqlite3ext.h (every sqlite3_* call
 * through the routines table of the SQLite that loads us), with the entry
 * points SQLite looks for.  fahras_sqlite.map exports only these.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#define FH_SQLITE_EXTENSION 1
#include "../../src/fts5.c"

#define FH_EXPORT __attribute__((visibility("default")))

int sqlite3_fahrassqlite_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api);
int sqlite3_fahras_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api);

/* The name SQLite derives from "fahras_sqlite.so" (letters of the file name). */
FH_EXPORT int sqlite3_fahrassqlite_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    char err[256];
    if (fh_sqlite_register(db, err, sizeof err) != FH_OK) {
        if (errmsg)
            *errmsg = sqlite3_mprintf("%s", err);
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

/* The same, for a copy renamed fahras.so. */
FH_EXPORT int sqlite3_fahras_init(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
    return sqlite3_fahrassqlite_init(db, errmsg, api);
}

"""python3 -m cbcweb DB [--host H] [--port P] [--proxy-header NAME]
[--upload-dir DIR] [--secret-file FILE] [--admin EXTERNAL_ID]... [--https]:
serve the app with waitress and print its URL.  DB is a database file or a
PostgreSQL URI (postgresql://...)."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

import cbc

from . import SetupError, create_app, secret


def _arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="cbc-web", description="查保促: the campaign in a browser.")
    p.add_argument("database", help="the libcbc database: a file or a postgresql:// URI "
                                    "(it must exist)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument("--proxy-header", metavar="NAME",
                   help="trust this request header, set by a reverse proxy, as the signed-in "
                        "employee's external id (off by default: README, 'Signing in')")
    p.add_argument("--upload-dir", metavar="DIR",
                   help="where photos are kept (default: DATABASE.uploads beside a database "
                        "file; required for a database on a server)")
    p.add_argument("--secret-file", metavar="FILE",
                   help="the file holding the key that signs session cookies, created with a "
                        "random key when missing (default: the key in %s, else the file "
                        "DATABASE.web-secret beside a database file; a database on a server "
                        "needs one of the two)" % secret.ENV)
    p.add_argument("--admin", metavar="EXTERNAL_ID", action="append", default=[],
                   help="an employee who may import HR files through the app (repeatable)")
    p.add_argument("--https", action="store_true",
                   help="served over https (by the proxy): session cookies are marked Secure")
    p.add_argument("--threads", type=int, default=4, help="waitress's worker threads (default 4)")
    return p.parse_args(argv)


def _shown(database: str) -> str:
    """The database as messages name it: a file by its path, a database on
    a server as "the database on the server" (its URI may hold a password)."""
    return "the database on the server" if cbc.target_is_server(database) else database


def _fail(message: str) -> int:
    print("cbc-web: " + message, file=sys.stderr)
    return 2


def main(argv: Optional[List[str]] = None) -> int:
    args = _arguments(argv)
    try:
        cbc.Database(args.database, create=False).close()  # migrated, or a clear error now
    except cbc.NotFoundError as e:
        return _fail("%s: no such database: %s" % (_shown(args.database), e))
    except cbc.CbcError as e:
        return _fail("%s: %s" % (_shown(args.database), e))
    try:
        app = create_app(args.database, proxy_header=args.proxy_header,
                         upload_dir=args.upload_dir, secret_file=args.secret_file,
                         admins=args.admin)
    except (SetupError, OSError) as e:  # OSError: the key file cannot be made or read
        return _fail("%s: %s" % (_shown(args.database), e))
    app.config["SESSION_COOKIE_SECURE"] = args.https
    import waitress  # here: --help works without it
    host = "[%s]" % args.host if ":" in args.host else args.host
    print("cbc-web: serving %s on http://%s:%d/" % (_shown(args.database), host, args.port),
          flush=True)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads,
                   url_scheme="https" if args.https else "http", ident="cbc-web",
                   clear_untrusted_proxy_headers=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

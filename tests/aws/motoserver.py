#!/usr/bin/env python3
"""motoserver.py - the machine's moto app on a kernel-picked loopback port.

usage: motoserver.py --port-file FILE [--lifetime SECONDS] [--no-auth-count N]
                     [--sagemaker-config FILE]

Runs the same WSGI app as `moto_server` (moto.server.main builds it the same
way) with werkzeug's threaded server, but binds 127.0.0.1 port 0 itself, so
parallel test runs never race for a port, and writes the port to --port-file
once it listens.  Training jobs get a life (fakeaws_sagemaker.py) and
signature checking is corrected (fakeaws_auth.py).  Signature checking
switches on after the first N authenticated requests (moto's
INITIAL_NO_AUTH_ACTION_COUNT, read by moto.settings at import).  Exits by
itself after --lifetime seconds or on SIGTERM/SIGINT.
"""
import argparse
import os
import signal
import sys
import threading

def write_atomic(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=1800.0)
    ap.add_argument("--no-auth-count", type=int, default=3)
    ap.add_argument("--sagemaker-config", metavar="FILE",
                    help="training-job settings (fakeaws_sagemaker.py)")
    a = ap.parse_args()

    # moto.settings reads this once, at import: set it before importing moto.
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(a.no_auth_count)
    from werkzeug.serving import WSGIRequestHandler, make_server
    from moto.moto_server.werkzeug_app import (DomainDispatcherApplication,
                                               create_backend_app)
    import fakeaws_auth
    import fakeaws_sagemaker
    fakeaws_sagemaker.install(a.sagemaker_config)
    import fakeaws_validate
    app = fakeaws_auth.install(DomainDispatcherApplication(create_backend_app))
    fakeaws_validate.install(fakeaws_auth.RAW)
    class Handler(WSGIRequestHandler):
        # werkzeug writes the head and the body apart: without this the
        # body waits for the reader's delayed ACK (40 ms a request)
        disable_nagle_algorithm = True
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=Handler)
    server.daemon_threads = True
    os.environ["MOTO_PORT"] = str(server.server_port)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    write_atomic(a.port_file, f"{server.server_port}\n")
    if not done.wait(a.lifetime):
        print(f"motoserver: lifetime of {a.lifetime:g} s reached, exiting",
              file=sys.stderr)
    # Nothing to flush or save: leave at once rather than wait for
    # serve_forever's next poll and for open keep-alive connections.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())

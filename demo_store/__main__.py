"""Serve the demo store website in the foreground: python -m demo_store --port 8001."""

from __future__ import annotations

import argparse

from core.settings import get_settings
from demo_store.site import make_server


def main(argv: list[str] | None = None) -> None:
    """Serve the demo site until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m demo_store", description=__doc__)
    parser.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (0: any)")
    parser.add_argument("--seed", type=int, default=get_settings().demo_seed)
    args = parser.parse_args(argv)
    server = make_server(args.port, args.seed)
    host, port = server.server_address[:2]
    print(f"Demo store site on http://{host!s}:{port}/ (seed {args.seed}); Ctrl-C stops it.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

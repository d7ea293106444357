"""`hall-sim`: run the hall simulator on its own, for a hall without the real systems yet or
for a trainer who wants to flip faults from outside the console."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from console.integrations.http import is_loopback
from console.integrations.sim.images import DEFAULT_PHOTO_BYTES, MAX_PHOTO_BYTES, MIN_PHOTO_BYTES
from console.integrations.sim.server import SimulatorServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hall-sim",
        description=(
            "Serve the hall gateway contract: simulated 122 calls, the parties' submissions "
            "and photos, vehicle, licence and policy records, and SMS."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host (the simulator has no authentication)",
    )
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same calls)")
    parser.add_argument(
        "--calls-per-hour",
        type=float,
        default=30.0,
        help="arrival rate in the rush hours; other hours follow the daily curve",
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=90.0,
        help="mean seconds a caller waits for an answer before hanging up",
    )
    parser.add_argument(
        "--no-generate", action="store_true", help="no random calls; only injected ones"
    )
    parser.add_argument(
        "--no-uploads",
        action="store_true",
        help="a guidance SMS does not make the parties upload (default: as the generator)",
    )
    parser.add_argument(
        "--photo-bytes",
        type=int,
        default=DEFAULT_PHOTO_BYTES,
        help=f"about how large a generated photo is ({MIN_PHOTO_BYTES}–{MAX_PHOTO_BYTES})",
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING …")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not args.allow_remote and not is_loopback(args.host):
        print(
            f"hall-sim: refusing to listen on {args.host}; pass --allow-remote to serve "
            "beyond this machine",
            file=sys.stderr,
        )
        return 2
    if not 0 <= args.port <= 65535:
        print("hall-sim: --port must be 0–65535", file=sys.stderr)
        return 2
    if not MIN_PHOTO_BYTES <= args.photo_bytes <= MAX_PHOTO_BYTES:
        print(
            f"hall-sim: --photo-bytes must be {MIN_PHOTO_BYTES}–{MAX_PHOTO_BYTES}", file=sys.stderr
        )
        return 2
    # The handler goes in before the URL is printed: whoever reads that line may stop the
    # simulator at once (a test did, under load, and got the default handler's exit -15).
    done = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, _stop)
    try:
        server = SimulatorServer(
            host=args.host,
            port=args.port,
            seed=args.seed,
            calls_per_hour=args.calls_per_hour,
            patience_mean_s=args.patience,
            generate=not args.no_generate,
            allow_remote=args.allow_remote,
            uploads=False if args.no_uploads else None,
            photo_bytes=args.photo_bytes,
        )
        url = server.start()
    except (OSError, ValueError) as exc:
        print(f"hall-sim: {exc}", file=sys.stderr)
        return 1
    print(f"hall-sim serving {url}", flush=True)
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

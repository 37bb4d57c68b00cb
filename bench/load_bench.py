"""Load benchmark: N simulated users ask a question at the same moment through a fake Bot API.

The bot runs in its own process (as in production: the real Application, offline writer, the
configured knowledge base, long polling); this process runs tests/fakes/botapi.py, injects the
updates and prints p50/p95/max time from update to reply, and errors.
Target: p95 <= 300 ms on 2 cores, zero errors.

    lawbot ingest && python bench/load_bench.py     # knowledge base from LAWBOT_DATA_DIR
    python bench/load_bench.py --text-search        # the bot's own overhead, no vector search
    python bench/load_bench.py --rate-limiter       # with Telegram's 30 messages/s limit
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.botapi import FakeBotApi  # noqa: E402

QUESTIONS = (
    "法治政府建设年度报告什么时候报送？",
    "年度报告应当包括哪些内容？",
    "重大行政决策有哪些法定程序？",
    "党政主要负责人履行推进法治建设第一责任人职责包括什么？",
    "法治政府建设情况报告要向社会公开吗？",
    "怎样开展宪法宣传周活动？",
    "乡镇如何开展矛盾纠纷排查调处？",
    "合法性审查由谁负责？",
)
FIRST_USER = 10_000


async def one_round(api: FakeBotApi, users: int, first: int) -> tuple[list[float], int]:
    """Users first.. ask at once; returns (seconds to the reply, per user) and the error count.

    Each round has its own users: a user's next message a millisecond after a reply could
    find their previous request still finishing (「正在处理上一条」), which people never do.
    """
    started: dict[int, float] = {}
    for index in range(users):
        user = first + index
        started[user] = time.perf_counter()
        api.send_text(user, QUESTIONS[index % len(QUESTIONS)])

    async def wait(user: int) -> tuple[float, bool]:
        try:
            reply = await api.next_reply(user, timeout=60)
        except TimeoutError:
            return 60.0, False
        ok = "出错了" not in reply.text and "请稍候" not in reply.text
        return reply.at - started[user], ok

    results = await asyncio.gather(*(wait(first + i) for i in range(users)))
    return [seconds for seconds, _ in results], sum(not ok for _, ok in results)


async def drive(users: int, rounds: int, rate_limited: bool, text_search: bool) -> int:
    """Start the fake server and the bot process, run the rounds, print the figures."""
    async with FakeBotApi() as api:
        env = {
            **os.environ,
            "LAWBOT_TELEGRAM_TOKEN": api.token,
            "LAWBOT_TELEGRAM_API_URL": api.base_url,
            "LAWBOT_TELEGRAM_FILE_URL": api.base_file_url,
            "LAWBOT_LLM_BASE_URL": "",
            "LAWBOT_ALLOWED_USERS": ",".join(
                str(FIRST_USER + i) for i in range(users * (rounds + 1))
            ),
            "LAWBOT_LOG_LEVEL": "WARNING",
        }
        flags = ["--rate-limiter"] * rate_limited + ["--text-search"] * text_search
        bot = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--serve-bot", *flags, env=env
        )
        try:
            await api.wait_call("setMyCommands", timeout=120)  # post_init ran: polling
            warm_up = FIRST_USER + users * rounds
            api.send_text(warm_up, QUESTIONS[0])  # warm up models and caches
            await api.next_reply(warm_up, timeout=120)
            all_times: list[float] = []
            errors = 0
            for number in range(rounds):
                times, failed = await one_round(api, users, FIRST_USER + number * users)
                all_times += times
                errors += failed
                print(f"round {number + 1}: p50 {_ms(times, 50)}  p95 {_ms(times, 95)}")
        finally:
            bot.send_signal(signal.SIGINT)  # run_polling stops cleanly on SIGINT
            await bot.wait()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load}")
    print(
        f"{users} users x {rounds} rounds, rate limiter {'on' if rate_limited else 'off'}, "
        f"{'word-overlap searcher' if text_search else 'knowledge base'}: "
        f"p50 {_ms(all_times, 50)}  p95 {_ms(all_times, 95)}  max {max(all_times) * 1000:.0f} ms"
        f"  errors {errors}"
    )
    return 1 if errors else 0


def serve_bot(rate_limited: bool, text_search: bool) -> None:
    """The child process: the bot on long polling against the fake server."""
    import logging

    from bot.services import Services
    from bot.settings import Settings
    from bot.tg.app import build_application

    settings = Settings()
    logging.basicConfig(level=settings.log_level)
    parts = {}
    if text_search:
        from tests.fakes.text_searcher import TextSearcher

        parts["knowledge"] = TextSearcher(settings.knowledge_dir)
    services = Services(settings, **parts)
    if not text_search:
        documents = len(services.knowledge.sources())
        print(f"knowledge base: {documents} documents in {settings.data_dir}", flush=True)
        if not documents:
            print("warning: the knowledge base is empty; run `lawbot ingest` first", flush=True)
    application = build_application(services, rate_limited=rate_limited)
    application.run_polling(poll_interval=0, timeout=5)
    services.close()


def _ms(values: list[float], percent: int) -> str:
    if len(values) < 2:
        return f"{values[0] * 1000:.0f} ms"
    cut = statistics.quantiles(values, n=100, method="inclusive")[percent - 1]
    return f"{cut * 1000:.0f} ms"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--rate-limiter",
        action="store_true",
        help="keep PTB's AIORateLimiter (30 requests/s, as Telegram allows): adds queuing",
    )
    parser.add_argument(
        "--text-search",
        action="store_true",
        help="search with the tests' word-overlap searcher: the bot's own overhead only",
    )
    parser.add_argument("--serve-bot", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bot:
        serve_bot(args.rate_limiter, args.text_search)
    else:
        sys.exit(asyncio.run(drive(args.users, args.rounds, args.rate_limiter, args.text_search)))

"""Load benchmark: N simulated users ask a question at the same moment through a fake Bot API.

The bot runs in its own process (as in production: the real Application, offline writer, the
configured knowledge base, long polling); this process runs tests/fakes/botapi.py, injects the
updates and prints p50/p95/max time from update to reply, and errors.
Target without the rate limiter: p95 <= 300 ms on 2 cores, zero errors. With it (production),
Telegram's 30 messages/s bounds the answers (1,000 answers take at least 33 s); the bot must
spend no call on anything else then, and tell a user whose answer takes a few seconds for its
own reasons that it is queued (「请求已收到，正在排队」, counted as "queued notes").

    lawbot ingest && python bench/load_bench.py --rate-limiter   # 50, 200, 1,000 users
    python bench/load_bench.py --users 50 --rounds 3             # knowledge base, no limiter
    python bench/load_bench.py --text-search        # the bot's own overhead, no vector search
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import signal
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.tg.handlers_common import QUEUED_NOTICE  # noqa: E402
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
WAIT = 60.0  # seconds a user waits for an answer before counting as unanswered


@dataclass
class Round:
    """One group of users asking at once: seconds to the first message and to the answer."""

    users: int
    first: list[float] = field(default_factory=list)  # the queued note, or else the answer
    answer: list[float] = field(default_factory=list)
    unanswered: int = 0  # no answer within WAIT seconds
    errors: int = 0
    notes: int = 0
    calls: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        answered = self.users - self.unanswered
        return (
            f"{self.users:>5} users: answered {answered}/{self.users} within {WAIT:.0f} s; "
            f"first message p50 {_ms(self.first, 50)} p95 {_ms(self.first, 95)}; "
            f"answer p50 {_ms(self.answer, 50)} p95 {_ms(self.answer, 95)} "
            f"max {_ms(self.answer, 100)}; queued notes {self.notes}; errors {self.errors}; "
            "Bot API calls " + ", ".join(f"{m} {n}" for m, n in sorted(self.calls.items()))
        )


async def one_round(api: FakeBotApi, users: int, first: int) -> Round:
    """Users first.. ask at once; collect when each got a first message and the answer.

    Each round has its own users: a user's next message a millisecond after a reply could
    find their previous request still finishing (「正在处理上一条」), which people never do.
    """
    before = collections.Counter(call.method for call in api.calls)
    started: dict[int, float] = {}
    for index in range(users):
        user = first + index
        started[user] = time.perf_counter()
        api.send_text(user, QUESTIONS[index % len(QUESTIONS)])
    result = Round(users)

    async def wait(user: int) -> None:
        deadline = started[user] + WAIT
        try:
            reply = await api.next_reply(user, timeout=WAIT)
            result.first.append(reply.at - started[user])
            if reply.text == QUEUED_NOTICE:
                result.notes += 1
                reply = await api.next_reply(user, timeout=max(0.1, deadline - time.perf_counter()))
        except TimeoutError:
            result.unanswered += 1
            return
        result.answer.append(reply.at - started[user])
        result.errors += "出错了" in reply.text or "请稍候" in reply.text

    await asyncio.gather(*(wait(first + i) for i in range(users)))
    after = collections.Counter(call.method for call in api.calls)
    result.calls = dict(after - before)
    return result


async def drive(sizes: list[int], rounds: int, rate_limited: bool, text_search: bool) -> int:
    """Start the fake server and the bot process, run the rounds, print the figures."""
    total_users = sum(sizes) * rounds
    async with FakeBotApi() as api:
        env = {
            **os.environ,
            "LAWBOT_TELEGRAM_TOKEN": api.token,
            "LAWBOT_TELEGRAM_API_URL": api.base_url,
            "LAWBOT_TELEGRAM_FILE_URL": api.base_file_url,
            "LAWBOT_LLM_BASE_URL": "",
            "LAWBOT_ALLOWED_USERS": ",".join(str(FIRST_USER + i) for i in range(total_users + 1)),
            "LAWBOT_LOG_LEVEL": "WARNING",
        }
        flags = ["--rate-limiter"] * rate_limited + ["--text-search"] * text_search
        bot = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--serve-bot", *flags, env=env
        )
        results: list[Round] = []
        try:
            await api.wait_call("setMyCommands", timeout=120)  # post_init ran: polling
            warm_up = FIRST_USER + total_users
            api.send_text(warm_up, QUESTIONS[0])  # warm up models and caches
            await api.next_reply(warm_up, timeout=120)
            user = FIRST_USER
            for size in sizes:
                for _ in range(rounds):
                    results.append(await one_round(api, size, user))
                    user += size
                    print(results[-1].line(), flush=True)
                    await asyncio.sleep(2)  # let the previous round's sends drain
        finally:
            bot.send_signal(signal.SIGINT)  # run_polling stops cleanly on SIGINT
            await bot.wait()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load}")
    print(
        f"rate limiter {'on' if rate_limited else 'off'}, "
        f"{'word-overlap searcher' if text_search else 'knowledge base'}, {rounds} round(s) each"
    )
    return 1 if any(r.errors or r.unanswered for r in results) else 0


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
    if not values:
        return "-"
    if len(values) < 2 or percent == 100:
        return f"{max(values) * 1000:.0f} ms"
    cut = statistics.quantiles(values, n=100, method="inclusive")[percent - 1]
    return f"{cut * 1000:.0f} ms"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--users", type=int, nargs="+", default=[50, 200, 1000], help="group sizes, in turn"
    )
    parser.add_argument("--rounds", type=int, default=1, help="rounds per group size")
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

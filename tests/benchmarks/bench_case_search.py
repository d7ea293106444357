"""The lookup search (issue 9) on a big hall: 1,000,000 cases on PostgreSQL and 100,000 on
SQLite, each with two parties and (for 60 %) a letter, built in SQL (generate_series / a
recursive CTE), never through the ORM. For every search kind, `search_cases` runs over random
values taken from the data (a lookup seat's actor: parties loaded and masked); p50/p95 in ms.

Run: .venv/bin/python -m tests.benchmarks.bench_case_search [--pg-cases N] [--sqlite-cases N]
     [--queries 200] [--only postgresql|sqlite]
Prints one JSON line per kind and database, with the indexes the plan names and whether the
plan scans a whole table (goal: p95 < 100 ms, and no scan).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from tests.benchmarks._support import percentile, throwaway_database

START = datetime(2024, 1, 1, tzinfo=UTC)
STEP_S = 60  # one accident a minute: 1M cases span about two years
DISTRICTS = ["东营区", "垦利区", "河口区", "广饶县", "利津县"]
STATES = ["closed", "settled", "claims_open", "determined", "under_review", "new", "revoked"]
# Names as a city's are: surnames repeated by how common they are (王, 李, 张 about 7 % each),
# 120 given-name characters, three in ten given names of one character. Every part is drawn
# from a multiplicative hash of the party's number, so a name says nothing about the case's
# district or state (an earlier modular formula tied each name to one district, and every
# name + district query then matched all of a name's cases or none).
SURNAMES = (
    "王王王王王王王李李李李李李李张张张张张张刘刘刘刘刘陈陈陈陈杨杨杨赵赵黄黄周周吴吴徐徐孙孙"
    "胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力永健世广志义兴良海山"
    "仁波宁贵福生龙元全胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博"
    "诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣"
)


def _name_sql(p: str) -> str:
    """A party's name from its number `p`, in SQL both databases run (64-bit integers)."""
    h = f"(({p} * 2654435761) % 4294967296)"

    def pick(alphabet: str, step: str) -> str:
        # PostgreSQL's substr takes int4 positions; the hash is 64-bit arithmetic.
        return f"substr('{alphabet}', CAST(1 + ({step}) % {len(alphabet)} AS INTEGER), 1)"

    return (
        f"{pick(SURNAMES, h)} || {pick(GIVEN, f'{h} / 97')}"
        f" || CASE WHEN ({h} / 1234567) % 10 < 3 THEN ''"
        f" ELSE {pick(GIVEN, f'{h} / 11113')} END"
    )


PLATE_LETTERS = "ABCDEFGHJK"


def _pg_build(engine: Engine, n: int) -> None:
    states = "ARRAY[" + ",".join(f"'{s}'" for s in STATES) + "]"
    districts = "ARRAY[" + ",".join(f"'{d}'" for d in DISTRICTS) + "]"
    statements = [
        "INSERT INTO organisations (id, kind, code, name_zh, name_en, unit_prefix, active) "
        "VALUES (1, 'police', 'DYJJ', '交警支队', 'Police', '东公交', true), "
        "(2, 'insurer', 'PICC', '人保', 'PICC', NULL, true)",
        "INSERT INTO users (id, org_id, username, display_name, password_hash, active, "
        "failed_logins, created_at) VALUES (1, 1, 'lookup', '孙查询', 'x', true, 0, now())",
        "INSERT INTO attachments (sha256, size, mime, content, created_at) "
        "VALUES (repeat('a', 64), 1, 'application/pdf', '\\x25'::bytea, now())",
        f"""
        INSERT INTO cases (id, case_no, state, version, created_at, updated_at, state_since,
                           occurred_at, place_text, district, source, notes)
        SELECT g, 'KC' || to_char(ts AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
                  || lpad(g::text, greatest(6, length(g::text)), '0'),
               ({states})[1 + g % {len(STATES)}], 1, ts, ts, ts, ts, '',
               ({districts})[1 + (g * 7) % {len(DISTRICTS)}], 'call', ''
        FROM (SELECT g, timestamptz '{START.isoformat()}' + g * interval '{STEP_S} seconds' AS ts
              FROM generate_series(1, {n}) g) s
        """,
        f"""
        INSERT INTO parties (id, case_id, letter, name, phone, id_number, licence_number,
                             plate_no, insurer_org_id, signature, damaged_parts)
        SELECT p, g, CASE WHEN k = 0 THEN 'A' ELSE 'B' END,
               {_name_sql("p")},
               '139' || lpad(((p::bigint * 7919) % 100000000)::text, 8, '0'),
               CASE WHEN k = 0 THEN '3705' || lpad(p::text, 14, '0') END,
               CASE WHEN k = 1 THEN '3705' || lpad(p::text, 14, '0') END,
               '鲁' || substr('{PLATE_LETTERS}', 1 + (p / 100000) % 10, 1)
               || lpad((p % 100000)::text, 5, '0'),
               2, 'pending', '[]'
        FROM (SELECT g, k, g * 2 + k AS p FROM generate_series(1, {n}) g,
              generate_series(0, 1) k) s
        """,
        f"""
        INSERT INTO determinations (id, case_id, officer_id, situation_code, accident_form,
               collision_parts, narrative, proposed_grades, grades, determined_at)
        SELECT g, g, 1, 'REAR_END', '113', '[]', '追尾', '{{}}', '{{}}', now()
        FROM generate_series(1, {n}) g WHERE g % 5 < 3
        """,
        """
        INSERT INTO letters (id, case_id, determination_id, unit_org_id, year, serial, doc_no,
               version, verification_code, pdf_sha256, issued_at)
        SELECT id, id, id, 1, 2026, id,
               '东公交认字〔2026〕第'
               || lpad(id::text, greatest(6, length(id::text)), '0') || '号', 1,
               upper(translate(substr(md5(id::text), 1, 12), '01', 'xy')), repeat('a', 64), now()
        FROM determinations
        """,
        "ANALYZE",
    ]
    with engine.begin() as conn:
        for sql in statements[:-1]:
            conn.execute(text(sql))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def _sqlite_build(engine: Engine, n: int) -> None:
    start = int(START.timestamp())
    series = f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n})"
    cases_states = "CASE g % {m} {whens} END".format(
        m=len(STATES), whens=" ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(STATES))
    )
    districts = "CASE (g * 7) % {m} {whens} END".format(
        m=len(DISTRICTS), whens=" ".join(f"WHEN {i} THEN '{d}'" for i, d in enumerate(DISTRICTS))
    )
    ts = f"strftime('%Y-%m-%d %H:%M:%S.000000', {start} + g * {STEP_S}, 'unixepoch')"
    statements = [
        "INSERT INTO organisations (id, kind, code, name_zh, name_en, unit_prefix, active) "
        "VALUES (1, 'police', 'DYJJ', '交警支队', 'Police', '东公交', 1), "
        "(2, 'insurer', 'PICC', '人保', 'PICC', NULL, 1)",
        "INSERT INTO users (id, org_id, username, display_name, password_hash, active, "
        "failed_logins, created_at) VALUES (1, 1, 'lookup', '孙查询', 'x', 1, 0, "
        "'2026-01-01 00:00:00.000000')",
        "INSERT INTO attachments (sha256, size, mime, content, created_at) "
        "VALUES (printf('%064d', 0), 1, 'application/pdf', x'25', '2026-01-01 00:00:00.000000')",
        f"""{series}
        INSERT INTO cases (id, case_no, state, version, created_at, updated_at, state_since,
                           occurred_at, place_text, district, source, notes)
        SELECT g, 'KC' || strftime('%Y%m%d', {start} + g * {STEP_S} + 8 * 3600, 'unixepoch')
                  || printf('%06d', g),
               {cases_states}, 1, {ts}, {ts}, {ts}, {ts}, '', {districts}, 'call', ''
        FROM s
        """,
        f"""{series}, k(k) AS (VALUES (0), (1)),
        pp(g, k, p) AS (SELECT g, k, g * 2 + k FROM s, k)
        INSERT INTO parties (id, case_id, letter, name, phone, id_number, licence_number,
                             plate_no, insurer_org_id, signature, damaged_parts)
        SELECT p, g, CASE WHEN k = 0 THEN 'A' ELSE 'B' END,
               {_name_sql("p")},
               '139' || printf('%08d', (p * 7919) % 100000000),
               CASE WHEN k = 0 THEN '3705' || printf('%014d', p) END,
               CASE WHEN k = 1 THEN '3705' || printf('%014d', p) END,
               '鲁' || substr('{PLATE_LETTERS}', 1 + (p / 100000) % 10, 1)
               || printf('%05d', p % 100000),
               2, 'pending', '[]'
        FROM pp
        """,
        f"""{series}
        INSERT INTO determinations (id, case_id, officer_id, situation_code, accident_form,
               collision_parts, narrative, proposed_grades, grades, determined_at)
        SELECT g, g, 1, 'REAR_END', '113', '[]', '追尾', '{{}}', '{{}}',
               '2026-01-01 00:00:00.000000'
        FROM s WHERE g % 5 < 3
        """,
        """
        INSERT INTO letters (id, case_id, determination_id, unit_org_id, year, serial, doc_no,
               version, verification_code, pdf_sha256, issued_at)
        SELECT id, id, id, 1, 2026, id, '东公交认字〔2026〕第' || printf('%06d', id) || '号', 1,
               upper(substr(replace(replace(hex(randomblob(8)), '0', 'X'), '1', 'Y'), 1, 12)),
               printf('%064d', 0), '2026-01-01 00:00:00.000000'
        FROM determinations
        """,
    ]
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))
        conn.execute(text("ANALYZE"))


def _value(engine: Engine, sql: str, case_id: int) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), {"g": case_id}).scalar()


def _query_makers(engine: Engine, n: int) -> dict[str, Callable[[random.Random], Any]]:
    from console.domain.case_search import parse_search
    from console.domain.lifecycle import CaseState

    def one(sql: str) -> Callable[[random.Random], Any]:
        def make(rng: random.Random) -> Any:
            while True:
                value = _value(engine, sql, rng.randint(1, n))
                if value is not None:
                    return parse_search(str(value))

        return make

    def day(rng: random.Random) -> Any:
        start = START + timedelta(seconds=rng.randint(1, n) * STEP_S)
        return parse_search("", occurred_from=start, occurred_to=start + timedelta(days=1))

    def name_and_district(rng: random.Random) -> Any:
        name = _value(engine, "SELECT name FROM parties WHERE case_id = :g", rng.randint(1, n))
        return parse_search(str(name), district=rng.choice(DISTRICTS))

    return {
        "case_no": one("SELECT case_no FROM cases WHERE id = :g"),
        "doc_no": one("SELECT doc_no FROM letters WHERE case_id = :g"),
        "verification_code": one("SELECT verification_code FROM letters WHERE case_id = :g"),
        "plate": one("SELECT plate_no FROM parties WHERE case_id = :g"),
        "plate_prefix": one("SELECT substr(plate_no, 1, 6) FROM parties WHERE case_id = :g"),
        "phone": one("SELECT phone FROM parties WHERE case_id = :g"),
        "id_number": one(
            "SELECT coalesce(id_number, licence_number) FROM parties WHERE case_id = :g"
        ),
        "name": one("SELECT name FROM parties WHERE case_id = :g"),
        "date_range": day,
        "state": lambda rng: parse_search("", states=[CaseState(rng.choice(STATES))]),
        "district": lambda rng: parse_search("", district=rng.choice(DISTRICTS)),
        "name+district": name_and_district,
    }


_SCAN = re.compile(r"Seq Scan on (cases|parties|letters)|^SCAN (cases|parties|letters)\b", re.M)


def run(kind: str, n: int, queries: int) -> None:
    from console.db.engine import make_engine, make_session_factory
    from console.domain.positions import Position
    from console.hall.actor import Actor
    from console.hall.case_search import explain_search, search_cases

    rng = random.Random(9)
    with throwaway_database(kind) as url:
        engine = make_engine(url)
        started = time.perf_counter()
        (_pg_build if kind == "postgresql" else _sqlite_build)(engine, n)
        build_s = time.perf_counter() - started
        factory = make_session_factory(engine)
        actor = Actor(1, "孙查询", Position.LOOKUP, "seat-bench", 1)
        for label, make in _query_makers(engine, n).items():
            criteria = [make(rng) for _ in range(queries)]
            for warm in criteria[:5]:
                search_cases(factory, actor, warm)
            times: list[float] = []
            hits = 0
            for c in criteria:
                t0 = time.perf_counter()
                rows = search_cases(factory, actor, c)
                times.append((time.perf_counter() - t0) * 1000)
                hits += len(rows)
            plan = explain_search(factory, criteria[0])
            print(
                json.dumps(
                    {
                        "bench": "case_search",
                        "db": kind,
                        "cases": n,
                        "kind": label,
                        "queries": queries,
                        "p50_ms": round(percentile(times, 50), 2),
                        "p95_ms": round(percentile(times, 95), 2),
                        "max_ms": round(max(times), 2),
                        "mean_rows": round(hits / queries, 1),
                        "indexes": sorted(set(re.findall(r"\b(?:ix|uq|pk)_\w+", plan))),
                        "table_scan": bool(_SCAN.search(plan)),
                        "build_s": round(build_s, 1),
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-cases", type=int, default=1_000_000)
    parser.add_argument("--sqlite-cases", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    if args.only in (None, "sqlite"):
        run("sqlite", args.sqlite_cases, args.queries)
    if args.only in (None, "postgresql"):
        run("postgresql", args.pg_cases, args.queries)


if __name__ == "__main__":
    main()

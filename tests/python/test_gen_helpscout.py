"""Help Scout raw tables: shape, Stitch loading, consistency with the world, text signal, defect rates."""

from __future__ import annotations

import re

import pytest

from finstack.generator.config import DEFECTS, defect_count
from finstack.generator.deliver import install_macros
from finstack.generator.sources import helpscout
from finstack.generator.tables import REGISTRY

TABLES = [
    "conversations",
    "conversations__tags",
    "conversations__custom_fields",
    "conversations__cc",
    "conversations__bcc",
    "conversation_threads",
    "conversation_threads__attachments",
    "customers",
    "customers__emails",
    "customers__phones",
    "users",
    "mailboxes",
    "teams",
    "team_members",
    "happiness_ratings_report",
]
STITCH = [
    "_sdc_batched_at",
    "_sdc_received_at",
    "_sdc_extracted_at",
    "_sdc_sequence",
    "_sdc_table_version",
]
LATEST = """(SELECT * FROM helpscout.conversations
             QUALIFY row_number() OVER (PARTITION BY id ORDER BY _sdc_sequence DESC) = 1)"""
LATEST_THREADS = """(SELECT * FROM helpscout.conversation_threads
                     QUALIFY row_number() OVER (PARTITION BY id ORDER BY _sdc_sequence DESC) = 1)"""


@pytest.fixture()
def con(raw_con):
    seed = raw_con.execute("SELECT seed FROM _generator.meta").fetchone()[0]
    install_macros(raw_con, seed)
    return raw_con


def _one(con, sql: str):
    return con.execute(sql).fetchone()


def _assert_rate(key: str, hits: int, population: int, slack: float = 0.0) -> None:
    """Measured share within the defect's tolerance of its rate (or of the minimum count)."""
    d = DEFECTS[key]
    assert population > 0
    expected = defect_count(key, population) / population
    measured = hits / population
    assert abs(measured - expected) <= (d.tolerance + slack) * expected, (
        key,
        hits,
        population,
        expected,
    )


# ---------------------------------------------------------------- shape


@pytest.mark.parametrize("table", TABLES)
def test_columns_and_types_match_the_contract(con, table):
    declared = REGISTRY[f"helpscout.{table}"].landed_columns
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'helpscout' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    assert [r[0] for r in rows] == [c.name for c in declared]
    alias = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}
    assert [r[1] for r in rows] == [alias.get(c.duckdb_type, c.duckdb_type) for c in declared]
    assert [c.name for c in declared][-5:] == STITCH
    assert _one(con, f"SELECT count(*) FROM helpscout.{table}")[0] > 0, table


@pytest.mark.parametrize("table", [t for t in TABLES if "__" in t])
def test_subtables_carry_stitch_keys(con, table):
    cols = [c.name for c in REGISTRY[f"helpscout.{table}"].landed_columns]
    assert cols[:2] == ["_sdc_source_key_id", "_sdc_level_0_id"]
    assert (
        _one(
            con,
            f"SELECT count(*) FROM helpscout.{table} WHERE _sdc_level_0_id < 0 "
            "OR _sdc_source_key_id IS NULL",
        )[0]
        == 0
    )


def test_every_registered_defect_is_prefixed():
    keys = [k for k, d in DEFECTS.items() if d.source == "helpscout"]
    assert len(keys) >= 7 and all(k.startswith("helpscout_") for k in keys)


# ---------------------------------------------------------------- Stitch loading


def test_append_only_loading_keys(con):
    assert helpscout.LOADING == "append"
    for table in ("conversations", "conversation_threads"):
        dup = _one(
            con, f"SELECT count(*) - count(DISTINCT (id, _sdc_sequence)) FROM helpscout.{table}"
        )[0]
        assert dup == 0, table
    several = _one(
        con,
        "SELECT count(*) FROM (SELECT id FROM helpscout.conversations GROUP BY 1 HAVING count(*) > 1)",
    )[0]
    assert several > 0


def test_stitch_clock_order(con):
    for table in TABLES:
        bad = _one(
            con,
            f"""SELECT count(*) FROM helpscout.{table}
            WHERE NOT (_sdc_extracted_at <= _sdc_received_at AND _sdc_received_at <= _sdc_batched_at)""",
        )[0]
        assert bad == 0, table
    # a conversation version is extracted after its last change, and later versions are later states
    assert (
        _one(
            con, "SELECT count(*) FROM helpscout.conversations WHERE _sdc_extracted_at < updated_at"
        )[0]
        == 0
    )
    bad = _one(
        con,
        """SELECT count(*) FROM (
        SELECT updated_at, lag(updated_at) OVER (PARTITION BY id ORDER BY _sdc_sequence) AS prev,
               threads, lag(threads) OVER (PARTITION BY id ORDER BY _sdc_sequence) AS prev_threads
        FROM helpscout.conversations) WHERE updated_at <= prev OR threads <= prev_threads""",
    )[0]
    assert bad == 0


def test_reemitted_versions_rate(con):
    hits, pop = _one(
        con,
        """SELECT count(*) FILTER (WHERE n > 1), count(*)
        FROM (SELECT id, count(*) AS n FROM helpscout.conversations GROUP BY 1)""",
    )
    _assert_rate("helpscout_reemitted_versions", hits, pop)


def test_threads_are_reextracted_unchanged(con):
    assert (
        _one(
            con,
            """SELECT count(*) FROM (SELECT id FROM helpscout.conversation_threads GROUP BY 1
        HAVING count(DISTINCT coalesce(body, '')) > 1 OR count(DISTINCT created_at) > 1)""",
        )[0]
        == 0
    )
    # every thread belongs to a conversation that landed, with the same sequence batch
    assert (
        _one(
            con,
            """SELECT count(*) FROM helpscout.conversation_threads t
        ANTI JOIN helpscout.conversations c ON c.id = t.conversation_id""",
        )[0]
        == 0
    )
    # threads of the latest conversation version: as many as its thread count
    bad = _one(
        con,
        f"""SELECT count(*) FROM {LATEST} c
        JOIN (SELECT conversation_id, count(DISTINCT id) AS n FROM helpscout.conversation_threads GROUP BY 1) t
          ON t.conversation_id = c.id WHERE t.n < c.threads""",
    )[0]
    assert bad == 0


def test_upsert_switch_gives_one_row_per_id(con):
    """The other switch value: the same SQL, upserted, is the latest version per id."""
    cut = "TIMESTAMPTZ '2026-07-01 00:00:00+00'"
    append_sql = helpscout._CONV_SQL
    upsert = (
        "SELECT * FROM (" + append_sql + ") AS loaded WHERE _arrival_at < {cutoff} "
        "QUALIFY row_number() OVER (PARTITION BY id ORDER BY _sdc_sequence DESC) = 1"
    ).replace("{cutoff}", cut)
    n, ids = _one(con, f"SELECT count(*), count(DISTINCT id) FROM ({upsert})")
    assert n == ids == _one(con, "SELECT count(DISTINCT id) FROM helpscout.conversations")[0]


# ---------------------------------------------------------------- world consistency


def test_customers_are_app_users_with_their_emails(con):
    # each non-spam customer has an email equal (after lower/trim) to its app user's canonical email
    missing = _one(
        con,
        """
        SELECT count(*) FROM _world.helpscout_customers c
        JOIN _world.users u USING (app_user_id)
        WHERE c.app_user_id > 0 AND NOT EXISTS (
            SELECT 1 FROM _world.helpscout_customer_emails e
            WHERE e.customer_idx = c.customer_idx AND lower(trim(e.value)) = u.email)""",
    )[0]
    assert missing == 0
    same_name = _one(
        con,
        """SELECT avg((c.first_name = u.first_name AND c.last_name = u.last_name)::INT)
        FROM _world.helpscout_customers c JOIN _world.users u USING (app_user_id)""",
    )[0]
    assert same_name == 1.0
    # raw: ids unique, one customer per user
    assert _one(con, "SELECT count(*) - count(DISTINCT id) FROM helpscout.customers")[0] == 0
    assert (
        _one(
            con,
            """SELECT count(*) - count(DISTINCT app_user_id) FROM _world.helpscout_customers
        WHERE app_user_id > 0""",
        )[0]
        == 0
    )


def test_writers_share_of_users(con):
    share = _one(
        con,
        """SELECT count(*) FILTER (WHERE app_user_id > 0) / (SELECT count(*) FROM _world.users)
        FROM _world.helpscout_customers""",
    )[0]
    assert 0.10 <= share <= 0.22


def test_email_variants_follow_the_world(con):
    # upper-case and padded variants appear exactly for users whose email_variant says so
    rows = con.execute("""
        SELECT u.email_variant, e.value, u.email FROM _world.helpscout_customer_emails e
        JOIN _world.helpscout_customers c USING (customer_idx) JOIN _world.users u USING (app_user_id)
        WHERE lower(trim(e.value)) = u.email""").fetchall()
    assert rows
    for variant, value, canon in rows:
        if variant == 0:
            assert value == canon
        elif variant == 1:
            assert value == canon.upper()
        else:
            assert value != canon and value.strip() == canon


def test_multiple_emails_and_secondary_match(con):
    hits, pop = _one(
        con,
        """SELECT count(*) FILTER (WHERE app_email_pos > 0), count(*)
        FROM _world.helpscout_customers WHERE app_user_id > 0""",
    )
    _assert_rate("helpscout_multiple_emails", hits, pop)
    # raw: customers whose app email is not the first row, and whose conversations use another address
    raw_not_first = _one(
        con,
        """SELECT count(DISTINCT e._sdc_source_key_id) FROM helpscout.customers__emails e
        JOIN _world.helpscout_customers c ON c.customer_id = e._sdc_source_key_id
        JOIN _world.users u USING (app_user_id)
        WHERE lower(trim(e.value)) = u.email AND e._sdc_level_0_id > 0""",
    )[0]
    assert raw_not_first > 0
    hits, pop = _one(
        con,
        f"""SELECT count(DISTINCT c.primary_customer__id) FILTER (
            WHERE lower(trim(c.primary_customer__email)) <> u.email),
        count(DISTINCT c.primary_customer__id)
        FROM {LATEST} c JOIN _world.helpscout_customers wc ON wc.customer_id = c.primary_customer__id
        JOIN _world.users u USING (app_user_id)""",
    )
    _assert_rate("helpscout_secondary_email_match", hits, pop, slack=0.5)
    counts = {
        r[0]
        for r in con.execute("""SELECT count(*) FROM helpscout.customers__emails
        GROUP BY _sdc_source_key_id""").fetchall()
    }
    assert counts <= {1, 2, 3} and len(counts) >= 2


def test_conversations_follow_the_lifecycle(con):
    # a conversation is never before its user's sign-up; KYC conversations cluster around KYC
    assert (
        _one(
            con,
            """SELECT count(*) FROM _world.helpscout_conversations c
        JOIN _world.helpscout_customers cu USING (customer_idx) JOIN _world.users u USING (app_user_id)
        WHERE c.created_us < u.signup_us""",
        )[0]
        == 0
    )
    near = _one(
        con,
        """SELECT avg((abs(c.created_us - u.kyc_submitted_us) < 14 * 86400e6)::INT)
        FROM _world.helpscout_conversations c JOIN _world.helpscout_customers cu USING (customer_idx)
        JOIN _world.users u USING (app_user_id)
        WHERE c.theme_name = 'kyc' AND u.kyc_submitted_us >= 0""",
    )[0]
    assert near > 0.7


def test_erased_users_keep_their_customer(con):
    erased = _one(
        con,
        """SELECT count(*) FROM _world.app_erasures e
        JOIN _world.helpscout_customers c USING (app_user_id)""",
    )[0]
    if erased == 0:
        pytest.skip("no erased user wrote in at this scale")
    # the customer rows stay with their PII: deletion propagation is the warehouse's job
    assert (
        _one(
            con,
            """SELECT count(*) FROM _world.app_erasures e
        JOIN _world.helpscout_customers c USING (app_user_id)
        WHERE c.first_name IS NULL""",
        )[0]
        == 0
    )


def test_staff_catalogue(con):
    assert _one(con, "SELECT count(*) FROM helpscout.mailboxes")[0] == 3
    n_users, london = _one(
        con, "SELECT count(*), avg((timezone = 'Europe/London')::INT) FROM helpscout.users"
    )
    assert 8 <= n_users <= 12 and london > 0.5
    assert 2 <= _one(con, "SELECT count(*) FROM helpscout.teams")[0] <= 3
    assert (
        _one(
            con,
            """SELECT count(*) FROM helpscout.team_members m
        ANTI JOIN helpscout.users u ON u.id = m.user_id""",
        )[0]
        == 0
    )
    for col in ("assignee__id", "closed_by"):
        assert (
            _one(
                con,
                f"""SELECT count(*) FROM helpscout.conversations c
            WHERE c.{col} IS NOT NULL AND c.{col} NOT IN (SELECT id FROM helpscout.users)""",
            )[0]
            == 0
        )
    assert (
        _one(
            con,
            """SELECT count(*) FROM helpscout.conversations c
        WHERE mailbox_id NOT IN (SELECT id FROM helpscout.mailboxes)""",
        )[0]
        == 0
    )


def test_channel_mix(con):
    mix = dict(
        con.execute(
            f"SELECT type, count(*) / sum(count(*)) OVER () FROM {LATEST} GROUP BY 1"
        ).fetchall()
    )
    assert 0.60 <= mix["email"] <= 0.85
    assert 0.15 <= mix["chat"] <= 0.35
    assert 0.0 < mix.get("phone", 0) <= 0.12


# ---------------------------------------------------------------- threads and states


def test_staff_vs_customer_threads(con):
    rows = dict(
        ((t, b), n)
        for t, b, n in con.execute(
            f"SELECT type, created_by__type, count(*) FROM {LATEST_THREADS} GROUP BY ALL"
        ).fetchall()
    )
    for kind in ("message", "note", "lineitem", "phone", "forwardparent"):
        assert (kind, "customer") not in rows, kind
    assert ("customer", "user") not in rows
    assert rows[("customer", "customer")] > 0 and rows[("message", "user")] > 0
    assert rows[("note", "user")] > 0 and rows.get(("forwardparent", "user"), 0) > 0
    assert ("chat", "user") in rows and ("chat", "customer") in rows


def test_reopen_and_handoff_rates(con):
    legit = _one(con, f"SELECT count(*) FROM {LATEST} WHERE status <> 'spam'")[0]
    reopened = _one(
        con,
        """SELECT count(DISTINCT conversation_id) FROM helpscout.conversation_threads
        WHERE type = 'lineitem' AND status = 'active' AND action__text = 'Marked as Active'""",
    )[0]
    _assert_rate("helpscout_reopen", reopened, legit)
    # a reopen follows a close
    bad = _one(
        con,
        f"""SELECT count(*) FROM {LATEST_THREADS} r WHERE r.action__text = 'Marked as Active'
        AND NOT EXISTS (SELECT 1 FROM {LATEST_THREADS} c WHERE c.conversation_id = r.conversation_id
                        AND c.status = 'closed' AND c.created_at < r.created_at)""",
    )[0]
    assert bad == 0
    handoffs = _one(
        con,
        """SELECT count(*) FROM (SELECT conversation_id FROM helpscout.conversation_threads
        WHERE assigned_to__id IS NOT NULL GROUP BY 1 HAVING count(DISTINCT assigned_to__id) > 1)""",
    )[0]
    _assert_rate("helpscout_handoff", handoffs, legit)


def test_spam_and_deleted(con):
    pop = _one(con, f"SELECT count(*) FILTER (WHERE status <> 'spam') FROM {LATEST}")[0]
    spam = _one(con, f"SELECT count(*) FROM {LATEST} WHERE status = 'spam'")[0]
    deleted = _one(con, f"SELECT count(*) FROM {LATEST} WHERE state = 'deleted'")[0]
    _assert_rate("helpscout_spam", spam, pop)
    _assert_rate("helpscout_deleted", deleted, pop)
    # spam comes from senders who are not app users
    assert (
        _one(
            con,
            f"""SELECT count(*) FROM {LATEST} c JOIN _world.helpscout_customers wc
        ON wc.customer_id = c.primary_customer__id WHERE c.status = 'spam' AND wc.app_user_id > 0""",
        )[0]
        == 0
    )
    states = {
        r[0] for r in con.execute("SELECT DISTINCT state FROM helpscout.conversations").fetchall()
    }
    assert states == {"published", "deleted"}


def test_first_response_follows_office_hours(con):
    rows = dict(
        con.execute(f"""
        WITH first_reply AS (
            SELECT conversation_id, min(created_at) AS replied FROM {LATEST_THREADS}
            WHERE type IN ('message', 'chat') AND created_by__type = 'user' GROUP BY 1)
        SELECT (isodow(timezone('Europe/London', c.created_at)) <= 5
                AND hour(timezone('Europe/London', c.created_at)) BETWEEN 9 AND 15) AS office,
               median(epoch(r.replied - c.created_at) / 3600)
        FROM {LATEST} c JOIN first_reply r ON r.conversation_id = c.id
        WHERE c.type = 'email' GROUP BY 1""").fetchall()
    )
    assert rows[True] < 2.0
    assert rows[False] > 2 * rows[True]


def test_closed_conversations_are_consistent(con):
    assert (
        _one(
            con,
            f"""SELECT count(*) FROM {LATEST}
        WHERE (status = 'closed') <> (closed_at IS NOT NULL) OR (closed_at IS NULL) <> (closed_by IS NULL)""",
        )[0]
        == 0
    )
    assert (
        _one(
            con,
            f"SELECT count(*) FROM {LATEST} WHERE closed_at < created_at OR updated_at < created_at",
        )[0]
        == 0
    )


# ---------------------------------------------------------------- tags and text


def _latest_tags(con) -> str:
    return f"""(SELECT t.* FROM helpscout.conversations__tags t JOIN {LATEST} c
                ON c.id = t._sdc_source_key_id AND c._sdc_sequence = t._sdc_sequence)"""


def test_tag_rates(con):
    pop, tagged = _one(
        con,
        f"""SELECT count(*), count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM {_latest_tags(con)} t WHERE t._sdc_source_key_id = c.id))
        FROM {LATEST} c WHERE c.status <> 'spam'""",
    )
    _assert_rate("helpscout_untagged", pop - tagged, pop)
    # theme tag vs the world's theme: ~5% wrong
    hits, n = _one(
        con,
        f"""SELECT count(*) FILTER (WHERE t.tag <> wc.theme_name), count(*)
        FROM {_latest_tags(con)} t JOIN _world.helpscout_conversations wc ON wc.conversation_id = t._sdc_source_key_id
        WHERE t._sdc_level_0_id = 0""",
    )
    _assert_rate("helpscout_wrong_tag", hits, n, slack=0.5)
    assert {
        r[0]
        for r in con.execute("SELECT DISTINCT tag FROM helpscout.conversations__tags").fetchall()
    } >= {"kyc", "withdrawal", "login", "deposit"}
    # a tag has one id and one color
    assert (
        _one(
            con,
            """SELECT count(*) FROM (SELECT tag FROM helpscout.conversations__tags GROUP BY 1
        HAVING count(DISTINCT id) > 1 OR count(DISTINCT color) > 1)""",
        )[0]
        == 0
    )


def test_orphan_tags(con):
    hits, pop = _one(
        con,
        """SELECT count(*) FILTER (WHERE t._sdc_sequence < m.s), count(*)
        FROM helpscout.conversations__tags t
        JOIN (SELECT id, max(_sdc_sequence) AS s FROM helpscout.conversations GROUP BY 1) m
          ON m.id = t._sdc_source_key_id""",
    )
    assert hits >= 1
    expected = defect_count("helpscout_orphan_tags", pop) / pop
    assert hits / pop <= 3 * expected


KEYWORDS = {
    "kyc": r"verif|document|passport|licence|identity|kyc|proof of address|selfie",
    "withdrawal": r"withdr",
    "interest": r"interest|rate|tax",
    "login": r"log in|login|password|two factor|2fa|code|locked",
    "deposit": r"deposit|card|transfer|add money",
    "isa": r"\bisa\b",
    "complaint": r"complain|close my account|data|refund|money back|service",
}


def test_text_carries_the_tag_signal(con):
    """A keyword rule recovers the theme tag from the first customer message most of the time."""
    rows = con.execute(f"""
        SELECT t.tag, lower(c.subject || ' ' || coalesce(f.body, '')) FROM {_latest_tags(con)} t
        JOIN {LATEST} c ON c.id = t._sdc_source_key_id
        JOIN (SELECT conversation_id, arg_min(body, created_at) AS body FROM {LATEST_THREADS}
              WHERE body IS NOT NULL GROUP BY 1) f ON f.conversation_id = c.id
        WHERE t._sdc_level_0_id = 0""").fetchall()
    hits = sum(bool(re.search(KEYWORDS[tag], text)) for tag, text in rows)
    assert hits / len(rows) > 0.8


def test_html_bodies_and_variety(con):
    bodies = [
        r[0]
        for r in con.execute("""SELECT DISTINCT body FROM helpscout.conversation_threads
        WHERE body IS NOT NULL""").fetchall()
    ]
    assert all(b.startswith("<p>") for b in bodies)
    joined = "\n".join(bodies)
    for token in ("&#39;", "&amp;", "<br>", '<a href="', "&pound;"):
        assert token in joined, token
    assert "'" not in re.sub(r"<[^>]+>", "", joined)
    sentences = {
        s.strip()
        for b in bodies
        for s in re.split(r"(?<=[.!?])\s+|<[^>]+>", b)
        if len(s.strip()) > 15
    }
    assert len(sentences) > 300


def test_sentiment_tracks_ratings(con):
    """VADER scores the customer's closing words higher on conversations rated great."""
    vader = pytest.importorskip("vaderSentiment.vaderSentiment")
    analyser = vader.SentimentIntensityAnalyzer()
    rows = con.execute(f"""
        SELECT r.type, regexp_replace(replace(t.body, '&#39;', ''''), '<[^>]+>', ' ', 'g')
        FROM helpscout.happiness_ratings_report r
        JOIN {LATEST_THREADS} t ON t.conversation_id = r.conversation_id
        WHERE t.created_by__type = 'customer' AND t.body IS NOT NULL""").fetchall()
    scores: dict[str, list[float]] = {}
    for kind, text in rows:
        scores.setdefault(kind, []).append(analyser.polarity_scores(text)["compound"])
    mean = {k: sum(v) / len(v) for k, v in scores.items()}
    assert mean["great"] > mean["not good"] + 0.2


# ---------------------------------------------------------------- ratings, customers


def test_happiness_ratings(con):
    closed = _one(
        con, f"SELECT count(*) FROM {LATEST} WHERE status = 'closed' AND state = 'published'"
    )[0]
    n = _one(con, "SELECT count(*) FROM helpscout.happiness_ratings_report")[0]
    assert 0.15 <= n / closed <= 0.45
    assert {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT type FROM helpscout.happiness_ratings_report"
        ).fetchall()
    } == {"great", "okay", "not good"}
    # the rated thread is a staff reply of the conversation, rated after it was written
    assert (
        _one(
            con,
            f"""SELECT count(*) FROM helpscout.happiness_ratings_report r
        LEFT JOIN {LATEST_THREADS} t ON t.id = r.thread_id AND t.conversation_id = r.conversation_id
        WHERE t.created_by__type IS DISTINCT FROM 'user' OR r.rating_created_at < r.thread_created_at
           OR r.rating_user_id <> t.created_by__id""",
        )[0]
        == 0
    )
    # slow first replies get worse ratings
    great, bad = (
        _one(
            con,
            f"""SELECT median(epoch(fr - c.created_at)) FROM helpscout.happiness_ratings_report r
        JOIN {LATEST} c ON c.id = r.conversation_id
        JOIN (SELECT conversation_id, min(created_at) AS fr FROM {LATEST_THREADS}
              WHERE created_by__type = 'user' AND type IN ('message', 'chat') GROUP BY 1) f
          ON f.conversation_id = c.id WHERE r.type = '{k}'""",
        )[0]
        for k in ("great", "not good")
    )
    assert great < bad


def test_age_type_split(con):
    num, txt, both = _one(
        con,
        """SELECT count(age), count(age__st),
        count(*) FILTER (WHERE age IS NOT NULL AND age__st IS NOT NULL) FROM helpscout.customers""",
    )
    assert num > 0 and txt > 0 and both == 0
    assert (
        _one(
            con,
            "SELECT count(*) FROM helpscout.customers WHERE TRY_CAST(age__st AS INT) IS NULL "
            "AND age__st IS NOT NULL",
        )[0]
        == 0
    )


def test_customer_arrays_match_customers(con):
    for table in ("customers__emails", "customers__phones"):
        assert (
            _one(
                con,
                f"""SELECT count(*) FROM helpscout.{table} e
            ANTI JOIN helpscout.customers c ON c.id = e._sdc_source_key_id
                AND c._sdc_sequence = e._sdc_sequence""",
            )[0]
            == 0
        ), table
        assert (
            _one(
                con,
                f"""SELECT count(*) - count(DISTINCT (_sdc_source_key_id, _sdc_level_0_id))
            FROM helpscout.{table}""",
            )[0]
            == 0
        )
    # every conversation's customer has landed (the customer arrives with the first conversation)
    assert (
        _one(
            con,
            """SELECT count(*) FROM helpscout.conversations c
        ANTI JOIN helpscout.customers cu ON cu.id = c.primary_customer__id""",
        )[0]
        == 0
    )

"""Stripe raw tables: shape, keys, consistency with the app's card deposits, defect rates."""

from __future__ import annotations

import pytest

from finstack.generator.config import DEFECTS, defect_count
from finstack.generator.deliver import install_macros
from finstack.generator.tables import REGISTRY

TABLES = [
    "charge",
    "payment_intent",
    "refund",
    "balance_transaction",
    "fee",
    "customer",
    "payment_method",
    "payment_method_card",
    "payout",
    "dispute",
]
EXPONENT = {"gbp": 2, "eur": 2, "usd": 2, "jpy": 0, "kwd": 3, "isk": 2}
HOUR_US = 3_600_000_000


@pytest.fixture()
def con(raw_con):
    """The tiny raw DB with the generator's macros (sid, u01...) installed."""
    seed = raw_con.execute("SELECT seed FROM _generator.meta").fetchone()[0]
    install_macros(raw_con, seed)
    return raw_con


def _cut_us(con) -> int:
    """Cut-off of the delivery: midnight after the last delivered day, in epoch µs."""
    return con.execute(
        "SELECT epoch_us((delivered_through + 1)::TIMESTAMPTZ) FROM _generator.meta"
    ).fetchone()[0]


def _one(con, sql: str):
    return con.execute(sql).fetchone()


def _assert_rate(key: str, hits: int, population: int) -> None:
    """Measured share within the defect's tolerance of its rate (or of the minimum count)."""
    d = DEFECTS[key]
    assert population > 0
    expected = defect_count(key, population) / population
    measured = hits / population
    assert abs(measured - expected) <= d.tolerance * expected, (key, hits, population, expected)


# ---------------------------------------------------------------- shape


@pytest.mark.parametrize("table", TABLES)
def test_columns_match_the_contract(con, table):
    declared = [c.name for c in REGISTRY[f"stripe.{table}"].landed_columns]
    landed = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'stripe' "
            "AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]
    assert landed == declared
    assert "_fivetran_synced" in landed
    assert _one(con, f"SELECT count(*) FROM stripe.{table}")[0] > 0


def test_reporting_category_declared_but_absent(con):
    cols = [c.name for c in REGISTRY["stripe.balance_transaction"].columns]
    assert "reporting_category" in cols
    landed = _one(
        con,
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'stripe' "
        "AND table_name = 'balance_transaction' AND column_name = 'reporting_category'",
    )[0]
    assert landed == 0


@pytest.mark.parametrize("table", TABLES)
def test_keys_unique(con, table):
    keys = ", ".join(f'"{k}"' for k in REGISTRY[f"stripe.{table}"].keys)
    dup = _one(
        con,
        f"SELECT count(*) FROM (SELECT {keys} FROM stripe.{table} GROUP BY ALL HAVING count(*) > 1)",
    )
    assert dup[0] == 0


def test_id_prefixes_and_lower_case_currencies(con):
    checks = {
        "charge": ("id", "ch_"),
        "payment_intent": ("id", "pi_"),
        "refund": ("id", "re_"),
        "balance_transaction": ("id", "txn_"),
        "customer": ("id", "cus_"),
        "payment_method": ("id", "pm_"),
        "payout": ("id", "po_"),
        "dispute": ("id", "dp_"),
    }
    for table, (col, prefix) in checks.items():
        bad = _one(
            con,
            f"SELECT count(*) FROM stripe.{table} WHERE NOT starts_with({col}, '{prefix}') "
            f"OR length({col}) <> {len(prefix) + 24}",
        )[0]
        assert bad == 0, table
    for table in (
        "charge",
        "payment_intent",
        "refund",
        "balance_transaction",
        "fee",
        "payout",
        "dispute",
    ):
        bad = _one(con, f"SELECT count(*) FROM stripe.{table} WHERE currency <> lower(currency)")[0]
        assert bad == 0, table


@pytest.mark.parametrize("table", TABLES)
def test_synced_before_cutoff(con, table):
    cut = _cut_us(con)
    created = (
        "created" if "created" in [c.name for c in REGISTRY[f"stripe.{table}"].columns] else None
    )
    bad = _one(
        con,
        f"SELECT count(*) FROM stripe.{table} WHERE epoch_us(_fivetran_synced) >= {cut}"
        + (f" OR _fivetran_synced < {created}" if created else ""),
    )[0]
    assert bad == 0


def test_metadata_is_json(con):
    for table in ("charge", "payment_intent", "customer"):
        bad = _one(con, f"SELECT count(*) FROM stripe.{table} WHERE NOT json_valid(metadata)")[0]
        assert bad == 0, table


# ---------------------------------------------------------------- consistency with the app


def test_one_intent_per_card_deposit(con):
    cut = _cut_us(con)
    missing, extra = _one(
        con,
        f"""
        WITH dep AS (
            SELECT sid('pi_', 'pi', txn_idx) AS id, requested_us FROM _world.app_transactions
            WHERE type = 'deposit' AND method = 'card' AND retry_of_txn_idx < 0
        )
        SELECT
            (SELECT count(*) FROM dep WHERE requested_us < {cut} - {HOUR_US}
                AND id NOT IN (SELECT id FROM stripe.payment_intent)),
            (SELECT count(*) FROM stripe.payment_intent WHERE livemode AND id NOT IN (SELECT id FROM dep))
    """,
    )
    assert missing == 0
    assert extra == 0


def test_intent_status_follows_the_app(con):
    cut = _cut_us(con)
    bad = con.execute(f"""
        SELECT t.status, p.status, count(*)
        FROM _world.app_transactions t
        JOIN stripe.payment_intent p ON p.id = sid('pi_', 'pi', t.txn_idx)
        WHERE t.type = 'deposit' AND t.method = 'card' AND t.completed_us < {cut} - {HOUR_US}
          AND ((t.status IN ('completed', 'reversed') AND p.status <> 'succeeded')
            OR (t.status = 'failed' AND p.status NOT IN ('requires_payment_method', 'canceled'))
            OR (t.status = 'pending' AND p.status = 'succeeded'))
        GROUP BY ALL
    """).fetchall()
    assert bad == []
    # a succeeded intent has exactly one succeeded charge, for its full amount
    bad = _one(
        con,
        """
        SELECT count(*) FROM stripe.payment_intent p
        LEFT JOIN (SELECT payment_intent_id, count(*) FILTER (WHERE status = 'succeeded') AS n,
                          count(*) FILTER (WHERE status = 'failed') AS f
                   FROM stripe.charge GROUP BY 1) c ON c.payment_intent_id = p.id
        WHERE (p.status = 'succeeded' AND (c.n IS DISTINCT FROM 1 OR p.amount_received <> p.amount))
           OR (p.status <> 'succeeded' AND coalesce(c.n, 0) <> 0)
    """,
    )[0]
    assert bad == 0


def test_settlement_equals_the_app_amount(con):
    bad = _one(
        con,
        """
        SELECT count(*)
        FROM _world.app_transactions t
        JOIN stripe.charge c ON c.payment_intent_id = sid('pi_', 'pi', t.txn_idx) AND c.status = 'succeeded'
        JOIN stripe.balance_transaction b ON b.id = c.balance_transaction_id
        WHERE b.amount <> t.amount_minor OR b.currency <> lower(t.currency) OR b.source <> c.id
           OR b.type <> 'charge'
    """,
    )[0]
    assert bad == 0
    bad = _one(
        con,
        "SELECT count(*) FROM stripe.charge WHERE (status = 'succeeded') <> "
        "(balance_transaction_id IS NOT NULL)",
    )[0]
    assert bad == 0


def test_presentment_amounts_follow_stripe_exponents(con):
    rows = con.execute("""
        SELECT c.currency, c.amount, b.amount, b.exchange_rate
        FROM stripe.charge c JOIN stripe.balance_transaction b ON b.id = c.balance_transaction_id
        WHERE c.currency <> b.currency
    """).fetchall()
    assert rows
    for cur, amount, settle, rate in rows:
        if cur == "kwd":
            assert amount % 10 == 0  # Stripe: last of the three decimals is 0
        if cur == "isk":
            assert amount % 100 == 0  # Stripe exponent 2 on a zero-decimal currency
        assert rate is not None
        major = amount / 10 ** EXPONENT[cur]
        assert abs(major * rate - settle / 100) <= 0.01 * settle / 100 + 0.01
    assert {r[0] for r in rows} <= {"jpy", "kwd", "isk", "eur"}
    bad = _one(
        con,
        "SELECT count(*) FROM stripe.balance_transaction WHERE type = 'charge' "
        "AND exchange_rate IS NOT NULL AND currency <> 'gbp'",
    )[0]
    assert bad == 0


def test_customers_match_app_users(con):
    cut = _cut_us(con)
    bad = _one(
        con,
        """
        SELECT count(*) FROM stripe.customer c
        JOIN _world.users u ON c.id = sid('cus_', 'cus', u.app_user_id)
        WHERE c.email IS DISTINCT FROM CASE u.email_variant WHEN 1 THEN upper(u.email)
                                          WHEN 2 THEN ' ' || u.email || ' ' ELSE u.email END
           OR c.name <> u.first_name || ' ' || u.last_name
           OR json_extract_string(c.metadata, '$.user_public_id') <> u.public_id
    """,
    )[0]
    assert bad == 0
    # one live customer per user with a card deposit requested before the cut-off
    missing, extra = _one(
        con,
        f"""
        WITH cu AS (SELECT DISTINCT sid('cus_', 'cus', app_user_id) AS id FROM _world.app_transactions
                    WHERE type = 'deposit' AND method = 'card' AND retry_of_txn_idx < 0 AND requested_us < {cut} - {HOUR_US})
        SELECT (SELECT count(*) FROM cu WHERE id NOT IN (SELECT id FROM stripe.customer)),
               (SELECT count(*) FROM stripe.customer WHERE livemode AND id NOT IN
                   (SELECT sid('cus_', 'cus', app_user_id) FROM _world.app_transactions
                    WHERE type = 'deposit' AND method = 'card' AND retry_of_txn_idx < 0))
    """,
    )
    assert missing == 0
    assert extra == 0


def test_erased_customers_are_deleted_and_keep_their_charges(con):
    cut = _cut_us(con)
    rows = con.execute(f"""
        SELECT c.is_deleted, e.completed_us < {cut} - {HOUR_US} AS done
        FROM stripe.customer c
        LEFT JOIN (SELECT app_user_id, min(completed_us) AS completed_us FROM _world.app_erasures
                   WHERE status = 'completed' AND scope = 'full' AND completed_us >= 0 GROUP BY 1) e
            ON c.id = sid('cus_', 'cus', e.app_user_id)
        WHERE c.livemode
    """).fetchall()
    for deleted, done in rows:
        if done:
            assert deleted
        elif done is None:
            assert not deleted
    n_deleted = _one(con, "SELECT count(*) FROM stripe.customer WHERE is_deleted")[0]
    with_charges = _one(
        con,
        """SELECT count(DISTINCT c.id) FROM stripe.customer c
                               JOIN stripe.charge ch ON ch.customer_id = c.id WHERE c.is_deleted""",
    )[0]
    assert with_charges == n_deleted


def test_refunds_follow_app_refund_transactions(con):
    cut = _cut_us(con)
    missing = _one(
        con,
        f"""
        SELECT count(*) FROM _world.app_transactions r
        JOIN _world.app_transactions d ON d.txn_idx = r.refund_of_txn_idx
        WHERE r.type = 'refund' AND r.requested_us < {cut} - {HOUR_US}
          AND d.status IN ('completed', 'reversed') AND d.method = 'card'
          AND sid('re_', 're', r.txn_idx) NOT IN (SELECT id FROM stripe.refund)
    """,
    )[0]
    assert missing == 0
    # the refund points at the deposit's succeeded charge and is in its currency
    bad = _one(
        con,
        """
        SELECT count(*) FROM stripe.refund f
        JOIN _world.app_transactions r ON f.id = sid('re_', 're', r.txn_idx)
        JOIN stripe.charge c ON c.id = f.charge_id
        WHERE c.payment_intent_id <> sid('pi_', 'pi', r.refund_of_txn_idx) OR c.status <> 'succeeded'
           OR f.currency <> c.currency OR f.amount > c.amount OR f.payment_intent_id <> c.payment_intent_id
    """,
    )[0]
    assert bad == 0
    assert _one(con, "SELECT count(*) FROM stripe.refund")[0] > 0


def test_amount_refunded_reflects_refunds(con):
    bad = _one(
        con,
        """
        SELECT count(*) FROM stripe.charge c
        LEFT JOIN (SELECT charge_id, sum(amount) AS s FROM stripe.refund WHERE status <> 'failed'
                   GROUP BY 1) r ON r.charge_id = c.id
        WHERE c.amount_refunded <> least(coalesce(r.s, 0), c.amount)
           OR c.refunded <> (c.amount_refunded >= c.amount AND c.status = 'succeeded')
    """,
    )[0]
    assert bad == 0


def test_fees_sum_and_net(con):
    bad = _one(
        con,
        """
        SELECT count(*) FROM stripe.balance_transaction b
        LEFT JOIN (SELECT balance_transaction_id AS id, sum(amount) AS s FROM stripe.fee GROUP BY 1) f
            USING (id)
        WHERE coalesce(f.s, 0) <> b.fee OR b.net <> b.amount - b.fee
    """,
    )[0]
    assert bad == 0
    # processing fee about 1.5% + a fixed part on charges
    lo, hi = _one(
        con,
        "SELECT min(fee / amount), max(fee / amount) FROM stripe.balance_transaction "
        "WHERE type = 'charge' AND exchange_rate IS NULL AND amount > 10000",
    )
    assert lo > 0.014
    assert hi < 0.02


def test_balance_transaction_per_object(con):
    cut = _cut_us(con)
    for table, where in (
        ("charge", "status = 'succeeded'"),
        ("refund", "true"),
        ("dispute", "true"),
        ("payout", "true"),
    ):
        n_obj = _one(con, f"SELECT count(*) FROM stripe.{table} WHERE {where}")[0]
        n_bt = _one(
            con,
            f"SELECT count(DISTINCT source) FROM stripe.balance_transaction "
            f"WHERE source IN (SELECT id FROM stripe.{table})",
        )[0]
        assert n_obj == n_bt, table
    bad = _one(
        con,
        f"SELECT count(*) FROM stripe.balance_transaction WHERE (status = 'available') "
        f"AND epoch_us(available_on) >= {cut}",
    )[0]
    assert bad == 0


def test_daily_payouts_of_the_previous_day_net(con):
    rows = con.execute("""
        WITH d AS (
            SELECT currency, date_trunc('day', created) + INTERVAL 1 DAY AS pay_day, sum(net) AS net
            FROM stripe.balance_transaction WHERE type <> 'payout' AND livemode GROUP BY ALL
        )
        SELECT p.amount, d.net, p.arrival_date - date_trunc('day', p.created) AS lead
        FROM stripe.payout p LEFT JOIN d ON d.currency = p.currency AND d.pay_day = date_trunc('day', p.created)
    """).fetchall()
    assert len(rows) > 0
    for amount, net, lead in rows:
        assert amount == net
        assert lead.days == 2
    bad = _one(
        con,
        """SELECT count(*) FROM stripe.payout p JOIN stripe.balance_transaction b
                       ON b.id = p.balance_transaction_id WHERE b.amount <> -p.amount OR b.source <> p.id""",
    )[0]
    assert bad == 0


def test_disputes(con):
    rows = con.execute("""
        SELECT d.status, d.amount = c.amount AND d.currency = c.currency, c.status, d.evidence_details_due_by > d.created
        FROM stripe.dispute d JOIN stripe.charge c ON c.id = d.charge_id
    """).fetchall()
    assert rows
    # the tiny world closes a few disputes before the end date: both outcomes show
    assert {"won", "lost"} <= {r[0] for r in rows}
    for status, same_amount, charge_status, due_later in rows:
        assert status in {"needs_response", "under_review", "won", "lost"}
        assert same_amount and charge_status == "succeeded" and due_later


def test_app_mysql_ids_match(con):
    """Cross-source: the app's transactions.external_id and users.stripe_customer_id."""
    have = _one(
        con,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'app_mysql' "
        "AND table_name IN ('transactions', 'users')",
    )[0]
    if have < 2:
        pytest.skip("app_mysql tables not generated")
    unmatched = _one(
        con,
        """
        SELECT count(*) FROM stripe.payment_intent p
        WHERE p.livemode AND p.id NOT IN (SELECT external_id FROM app_mysql.transactions
                                           WHERE external_id IS NOT NULL)
    """,
    )[0]
    assert unmatched == 0
    unmatched = _one(
        con,
        """
        SELECT count(*) FROM stripe.customer c
        WHERE c.livemode AND c.id NOT IN (SELECT stripe_customer_id FROM app_mysql.users
                                          WHERE stripe_customer_id IS NOT NULL)
    """,
    )[0]
    assert unmatched == 0
    # and the other way: the app's Stripe references (an hour old) exist in Stripe
    cut = _cut_us(con)
    dangling = _one(
        con,
        f"""
        SELECT count(*) FROM app_mysql.transactions t
        WHERE (starts_with(t.external_id, 'pi_') AND t.external_id NOT IN (SELECT id FROM stripe.payment_intent)
               OR starts_with(t.external_id, 're_') AND t.external_id NOT IN (SELECT id FROM stripe.refund))
          AND epoch_us(t.requested_at) < {cut} - {HOUR_US}
    """,
    )[0]
    assert dangling == 0


# ---------------------------------------------------------------- defect rates


def test_rate_presentment(con):
    hits, pop = _one(
        con,
        """
        SELECT count(*) FILTER (WHERE c.currency <> lower(t.currency)), count(*)
        FROM stripe.charge c JOIN _world.app_transactions t ON c.payment_intent_id = sid('pi_', 'pi', t.txn_idx)
        WHERE c.livemode
    """,
    )
    _assert_rate("stripe_presentment", hits, pop)


def test_rate_declines_and_retries(con):
    hits, pop = _one(
        con,
        """
        SELECT count(*) FILTER (WHERE n_failed BETWEEN 1 AND 3 AND n_succ = 1), count(*)
        FROM (SELECT p.id, count(c.id) FILTER (WHERE c.status = 'failed') AS n_failed,
                     count(c.id) FILTER (WHERE c.status = 'succeeded') AS n_succ
              FROM stripe.payment_intent p LEFT JOIN stripe.charge c ON c.payment_intent_id = p.id
              WHERE p.livemode GROUP BY p.id)
    """,
    )
    _assert_rate("stripe_declines_retries", hits, pop)
    codes = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT failure_code FROM stripe.charge WHERE status = 'failed'"
        ).fetchall()
    }
    assert codes == {"card_declined", "insufficient_funds", "expired_card"}
    # the failures come before the success under one intent
    bad = _one(
        con,
        """
        SELECT count(*) FROM stripe.charge f JOIN stripe.charge s
            ON s.payment_intent_id = f.payment_intent_id AND s.status = 'succeeded'
        WHERE f.status = 'failed' AND f.created > s.created
    """,
    )[0]
    assert bad == 0


def test_rate_refunds(con):
    refunds, charges = _one(
        con,
        """SELECT (SELECT count(DISTINCT charge_id) FROM stripe.refund),
                                         (SELECT count(*) FROM stripe.charge WHERE livemode AND status = 'succeeded')""",
    )
    _assert_rate("stripe_late_refunds", refunds, charges)


def test_rate_disputes(con):
    disputes, charges = _one(
        con,
        """SELECT (SELECT count(*) FROM stripe.dispute),
                                          (SELECT count(*) FROM stripe.charge WHERE livemode AND status = 'succeeded')""",
    )
    assert disputes >= 5
    _assert_rate("stripe_disputes", disputes, charges)


def test_rate_test_mode(con):
    test, live = _one(
        con,
        "SELECT count(*) FILTER (WHERE NOT livemode), count(*) FILTER (WHERE livemode) "
        "FROM stripe.payment_intent",
    )
    assert test >= 5
    _assert_rate("stripe_test_mode", test, live)
    # test-mode objects belong to internal users and have no app counterpart
    bad = _one(
        con,
        """
        SELECT count(*) FROM stripe.charge c
        LEFT JOIN _world.users u ON u.public_id = json_extract_string(c.metadata, '$.user_public_id')
        WHERE NOT c.livemode AND (u.is_internal IS NOT TRUE
            OR c.payment_intent_id IN (SELECT id FROM stripe.payment_intent WHERE livemode))
    """,
    )[0]
    assert bad == 0
    assert _one(con, "SELECT count(*) FROM stripe.customer WHERE NOT livemode")[0] > 0


def test_rate_orphans(con):
    hits, pop = _one(
        con,
        """
        SELECT count(*) FILTER (WHERE p.customer_id IS NULL
                                 OR json_extract_string(p.metadata, '$.user_public_id') IS NULL),
               count(*)
        FROM stripe.payment_intent p
        WHERE p.livemode AND p.id IN (SELECT payment_intent_id FROM stripe.charge)
    """,
    )
    _assert_rate("stripe_orphans", hits, pop)
    both = _one(con, "SELECT count(*) FROM stripe.charge WHERE livemode AND customer_id IS NULL")[0]
    assert both > 0


def test_next_day_resyncs_state_and_appends(raw_tiny, tmp_path):
    """One more delivery: append tables gain rows without duplicates, state tables are
    rebuilt (nothing disappears, refunds only grow)."""
    import shutil

    import duckdb

    from finstack.generator.generate import next_day

    path = tmp_path / "raw.duckdb"
    shutil.copy(raw_tiny, path)
    con = duckdb.connect(str(path))
    before = {t: con.execute(f"SELECT count(*) FROM stripe.{t}").fetchone()[0] for t in TABLES}
    refunded = dict(con.execute("SELECT id, amount_refunded FROM stripe.charge").fetchall())
    con.close()
    next_day(path, quiet=True)
    con = duckdb.connect(str(path), read_only=True)
    try:
        for t in TABLES:
            keys = ", ".join(f'"{k}"' for k in REGISTRY[f"stripe.{t}"].keys)
            n = con.execute(f"SELECT count(*) FROM stripe.{t}").fetchone()[0]
            dup = con.execute(
                f"SELECT count(*) FROM (SELECT {keys} FROM stripe.{t} GROUP BY ALL HAVING count(*) > 1)"
            ).fetchone()[0]
            assert n >= before[t], t
            assert dup == 0, t
        assert con.execute("SELECT count(*) FROM stripe.charge").fetchone()[0] > before["charge"]
        after = dict(con.execute("SELECT id, amount_refunded FROM stripe.charge").fetchall())
        assert all(after[k] >= v for k, v in refunded.items())
    finally:
        con.close()

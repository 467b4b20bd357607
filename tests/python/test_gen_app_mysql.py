"""The app MySQL source: table shapes, money invariants, consistency with the world, defect rates.

Runs against the session's tiny raw database (seed 7, delivered through 2026-06-30)."""

from __future__ import annotations

import datetime as dt

import pytest

from finstack.generator.config import DEFECTS, MIN_DEFECT_COUNT
from finstack.generator.sources.app_mysql import CURRENCIES, FX_QUOTES, uk_bank_holidays
from finstack.generator.tables import REGISTRY

from conftest import TEST_END_DATE, TEST_SEED

S = "app_mysql"
CUT = f"TIMESTAMPTZ '{TEST_END_DATE + dt.timedelta(days=1)} 00:00:00+00'"
CUT_US = f"epoch_us({CUT})"
TABLES = [
    "users",
    "accounts",
    "products",
    "product_rates",
    "investments",
    "transactions",
    "ledger_entries",
    "currencies",
    "fx_rates",
    "referrals",
    "erasure_requests",
]


def one(con, sql: str):
    return con.execute(sql).fetchone()


def assert_rate(key: str, hits: int, population: int) -> None:
    """Observed share within the defect's tolerance of its rate (or of the minimum count)."""
    d = DEFECTS[key]
    expected = max(d.rate * population, MIN_DEFECT_COUNT) / population
    observed = hits / population
    assert abs(observed - expected) <= d.tolerance * expected, (
        f"{key}: {hits}/{population} = {observed:.4f}, expected ~{expected:.4f}"
    )


# ----------------------------------------------------------------------------- shapes


@pytest.mark.parametrize("table", TABLES)
def test_columns_and_types_match_the_contract(raw_con, table):
    declared = REGISTRY[f"{S}.{table}"].landed_columns
    got = dict(
        raw_con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ?",
            [S, table],
        ).fetchall()
    )
    assert [c.name for c in declared] == list(got), f"{table} columns differ"
    alias = {"TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ"}
    for c in declared:
        assert alias.get(got[c.name], got[c.name]) == c.duckdb_type, (
            f"{table}.{c.name}: {got[c.name]} != {c.duckdb_type}"
        )
    assert "_fivetran_synced" in got and "_fivetran_deleted" in got


@pytest.mark.parametrize("table", [t for t in TABLES if t != "currencies"])
def test_ids_are_unique_and_present(raw_con, table):
    n, distinct, nulls = one(
        raw_con, f"SELECT count(*), count(DISTINCT id), count(*) - count(id) FROM {S}.{table}"
    )
    assert n > 0 and n == distinct and nulls == 0


def test_mixed_time_types_in_ledger(raw_con):
    types = dict(
        raw_con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'app_mysql' "
            "AND table_name = 'ledger_entries'"
        ).fetchall()
    )
    assert types["created_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["posted_at"] == "TIMESTAMP"


def test_nothing_arrives_after_the_cutoff(raw_con):
    for t in TABLES:
        late = one(raw_con, f"SELECT count(*) FROM {S}.{t} WHERE _fivetran_synced >= {CUT}")[0]
        assert late == 0, t


# ----------------------------------------------------------------------------- money


def test_ledger_balances_per_transaction_and_currency(raw_con):
    bad = one(
        raw_con,
        f"""
        SELECT count(*) FROM (
            SELECT transaction_id, currency,
                   sum(CASE direction WHEN 'debit' THEN amount_minor ELSE -amount_minor END) AS net
            FROM {S}.ledger_entries GROUP BY ALL HAVING net <> 0)""",
    )[0]
    assert bad == 0


def test_fx_conversions_balance_each_currency_through_platform_fx(raw_con):
    rows = raw_con.execute(f"""
        SELECT l.transaction_id, count(DISTINCT l.currency) AS n_ccy,
               count(*) FILTER (WHERE a.account_type = 'platform_fx') AS fx_lines, count(*) AS n
        FROM {S}.ledger_entries l
        JOIN {S}.transactions t ON t.id = l.transaction_id
        JOIN {S}.accounts a ON a.id = l.account_id
        WHERE t.type = 'fx_conversion' GROUP BY 1""").fetchall()
    assert rows, "no fx_conversion in the tiny data"
    for _, n_ccy, fx_lines, n in rows:
        assert (n_ccy, fx_lines, n) == (2, 2, 4)


def test_cash_balances_never_go_negative(raw_con):
    neg = one(
        raw_con,
        f"""
        WITH l AS (
            SELECT l.account_id, l.posted_at, l.id,
                   CASE direction WHEN 'credit' THEN amount_minor ELSE -amount_minor END AS d
            FROM {S}.ledger_entries l JOIN {S}.accounts a ON a.id = l.account_id
            WHERE a.account_type = 'cash'),
        r AS (SELECT sum(d) OVER (PARTITION BY account_id ORDER BY posted_at, id) AS bal FROM l)
        SELECT count(*) FROM r WHERE bal < 0""",
    )[0]
    assert neg == 0


def test_amounts_and_currencies(raw_con):
    codes = {c[0] for c in CURRENCIES if c[3]}
    for t, col in (("transactions", "amount_minor"), ("ledger_entries", "amount_minor")):
        bad = one(
            raw_con, f"SELECT count(*) FROM {S}.{t} WHERE {col} <= 0 OR currency <> upper(currency)"
        )[0]
        assert bad == 0
        used = {r[0] for r in raw_con.execute(f"SELECT DISTINCT currency FROM {S}.{t}").fetchall()}
        assert used <= codes
    exps = dict(raw_con.execute(f"SELECT code, minor_unit FROM {S}.currencies").fetchall())
    assert exps["GBP"] == 2 and exps["JPY"] == 0 and exps["KWD"] == 3 and exps["ISK"] == 0
    # the ledger account and the line agree on the currency
    assert (
        one(
            raw_con,
            f"SELECT count(*) FROM {S}.ledger_entries l JOIN {S}.accounts a "
            "ON a.id = l.account_id WHERE a.currency <> l.currency",
        )[0]
        == 0
    )


def test_only_completed_transactions_post(raw_con):
    bad = one(
        raw_con,
        f"""SELECT count(*) FROM {S}.ledger_entries l JOIN {S}.transactions t
        ON t.id = l.transaction_id WHERE t.status NOT IN ('completed', 'reversed')""",
    )[0]
    assert bad == 0
    # a completed transaction's lines may still be in flight only in the last minutes
    missing = one(
        raw_con,
        f"""SELECT count(*) FROM {S}.transactions t
        WHERE t.status IN ('completed', 'reversed') AND t.completed_at < {CUT}::TIMESTAMP - INTERVAL 3 HOUR
          AND NOT EXISTS (SELECT 1 FROM {S}.ledger_entries l WHERE l.transaction_id = t.id)""",
    )[0]
    assert missing == 0


def test_reversals_mirror_their_original(raw_con):
    rows = raw_con.execute(f"""
        SELECT r.id, o.status, r.amount_minor = o.amount_minor, r.currency = o.currency
        FROM {S}.transactions r JOIN {S}.transactions o ON o.id = r.reverses_transaction_id
        WHERE r.type = 'reversal'""").fetchall()
    assert rows
    assert all(st == "reversed" and same_amt and same_ccy for _, st, same_amt, same_ccy in rows)
    # each reversal line is the original's line with the direction flipped
    unmatched = one(
        raw_con,
        f"""
        SELECT count(*) FROM {S}.ledger_entries rl
        JOIN {S}.transactions r ON r.id = rl.transaction_id AND r.type = 'reversal'
        WHERE NOT EXISTS (SELECT 1 FROM {S}.ledger_entries ol
            WHERE ol.transaction_id = r.reverses_transaction_id AND ol.account_id = rl.account_id
              AND ol.amount_minor = rl.amount_minor AND ol.direction <> rl.direction)""",
    )[0]
    assert unmatched == 0


def test_interest_follows_the_locked_rate(raw_con):
    bad = one(
        raw_con,
        f"""
        SELECT count(*) FROM {S}.transactions t JOIN {S}.investments i ON i.id = t.investment_id
        WHERE t.type = 'interest'
          AND abs(t.amount_minor - round(i.principal_minor * i.annual_rate_bps / 10000.0 / 12)) > 1""",
    )[0]
    assert bad == 0


# ----------------------------------------------------------------------------- the world


def test_users_are_the_world_users_signed_up_before_the_cutoff(raw_con):
    n_world = one(raw_con, f"SELECT count(*) FROM _world.users WHERE signup_us < {CUT_US}")[0]
    n_raw, mism = one(
        raw_con,
        f"""
        SELECT count(*), count(*) FILTER (WHERE r.public_id <> w.public_id
            OR (r.email <> w.email AND r.email NOT LIKE 'erased+%@invalid')
            OR r.created_at <> make_timestamp(w.signup_us))
        FROM {S}.users r JOIN _world.users w ON w.app_user_id = r.id""",
    )
    assert n_raw == n_world and mism == 0


def test_kyc_status_follows_the_world_instants(raw_con):
    bad = one(
        raw_con,
        f"""
        SELECT count(*) FROM {S}.users r JOIN _world.users w ON w.app_user_id = r.id
        WHERE (r.kyc_status = 'approved') <> (w.kyc_approved_us BETWEEN 0 AND {CUT_US} - 1)
           OR (r.kyc_status = 'not_started') <> NOT (w.kyc_submitted_us BETWEEN 0 AND {CUT_US} - 1)
           OR (r.kyc_approved_at IS NOT NULL AND r.kyc_approved_at <> make_timestamp(w.kyc_approved_us))""",
    )[0]
    assert bad == 0


def test_first_deposit_and_first_investment_at_the_world_instants(raw_con):
    dep = raw_con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE d.first_at = make_timestamp(w.first_deposit_us))
        FROM _world.users w
        JOIN (SELECT user_id, min(requested_at) AS first_at FROM {S}.transactions
              WHERE type = 'deposit' GROUP BY 1) d ON d.user_id = w.app_user_id""").fetchone()
    n_world = one(
        raw_con,
        f"SELECT count(*) FROM _world.users WHERE first_deposit_us BETWEEN 0 AND {CUT_US} - 1",
    )[0]
    assert dep[0] == dep[1] == n_world
    inv = raw_con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE i.first_at = make_timestamp(w.first_investment_us))
        FROM _world.users w
        JOIN (SELECT user_id, min(placed_at) AS first_at FROM {S}.investments GROUP BY 1) i
          ON i.user_id = w.app_user_id""").fetchone()
    n_world = one(
        raw_con,
        f"SELECT count(*) FROM _world.users WHERE first_investment_us BETWEEN 0 AND {CUT_US} - 1",
    )[0]
    assert inv[0] == inv[1] == n_world


def test_nobody_deposits_without_kyc_approval(raw_con):
    bad = one(
        raw_con,
        f"""SELECT count(*) FROM {S}.transactions t JOIN {S}.users u ON u.id = t.user_id
        WHERE t.type = 'deposit' AND (u.kyc_approved_at IS NULL OR u.kyc_approved_at > t.requested_at)""",
    )[0]
    assert bad == 0


def test_card_deposits_carry_the_stripe_ids(raw_con):
    n, ok = one(
        raw_con,
        f"""
        SELECT count(*), count(*) FILTER (WHERE external_id = 'pi_' || substr(md5('{TEST_SEED}:pi:' || id), 1, 24))
        FROM {S}.transactions WHERE type = 'deposit' AND external_provider = 'stripe'""",
    )
    assert n > 0 and n == ok
    n, ok = one(
        raw_con,
        f"""
        SELECT count(*), count(*) FILTER (WHERE external_id = 're_' || substr(md5('{TEST_SEED}:re:' || id), 1, 24))
        FROM {S}.transactions WHERE type = 'refund'""",
    )
    assert n > 0 and n == ok
    # users with a card deposit have a Stripe customer, the others none
    bad = one(
        raw_con,
        f"""
        SELECT count(*) FROM {S}.users u
        WHERE (u.stripe_customer_id IS NOT NULL) <> EXISTS (SELECT 1 FROM {S}.transactions t
                  WHERE t.user_id = u.id AND t.type = 'deposit' AND t.external_provider = 'stripe')
           OR u.stripe_customer_id <> 'cus_' || substr(md5('{TEST_SEED}:cus:' || u.id), 1, 24)""",
    )[0]
    assert bad == 0


def test_world_frames_other_sources_read(raw_con):
    need = {
        "app_products": [
            "product_idx",
            "code",
            "name",
            "product_type",
            "currency",
            "annual_rate_bps",
            "term_days",
            "notice_days",
            "risk_band",
        ],
        "app_accounts": [
            "account_idx",
            "person_idx",
            "app_user_id",
            "owner_type",
            "account_type",
            "currency",
            "opened_us",
        ],
        "app_transactions": [
            "txn_idx",
            "person_idx",
            "app_user_id",
            "type",
            "status",
            "amount_minor",
            "currency",
            "method",
            "requested_us",
            "completed_us",
            "investment_idx",
            "reverses_txn_idx",
            "refund_of_txn_idx",
            "retry_of_txn_idx",
        ],
        "app_investments": [
            "investment_idx",
            "person_idx",
            "app_user_id",
            "account_idx",
            "product_idx",
            "principal_minor",
            "currency",
            "annual_rate_bps",
            "channel",
            "placed_us",
            "activated_us",
            "maturity_us",
            "closed_us",
            "status",
        ],
        "app_ledger_entries": [
            "entry_idx",
            "txn_idx",
            "account_idx",
            "direction",
            "amount_minor",
            "currency",
            "posted_us",
            "created_us",
        ],
        "app_erasures": [
            "erasure_idx",
            "person_idx",
            "app_user_id",
            "scope",
            "status",
            "requested_us",
            "completed_us",
        ],
    }
    for frame, columns in need.items():
        got = {
            r[0]
            for r in raw_con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = '_world' "
                "AND table_name = ?",
                [frame],
            ).fetchall()
        }
        assert set(columns) <= got, f"{frame} misses {set(columns) - got}"
    # refunds point at a completed card deposit of the same user, for at most its amount
    bad = one(
        raw_con,
        """
        SELECT count(*) FROM _world.app_transactions r JOIN _world.app_transactions d
          ON d.txn_idx = r.refund_of_txn_idx
        WHERE r.type = 'refund' AND (d.method <> 'card' OR d.app_user_id <> r.app_user_id
              OR r.amount_minor > d.amount_minor OR d.completed_us > r.requested_us)""",
    )[0]
    assert bad == 0


def test_internal_flags_only_where_the_world_sets_them(raw_con):
    flagged, expected = one(
        raw_con,
        f"""
        SELECT count(*) FILTER (WHERE r.is_staff = 1 OR r.is_test = 1),
               count(*) FILTER (WHERE w.is_internal AND w.internal_flag_set)
        FROM {S}.users r JOIN _world.users w ON w.app_user_id = r.id""",
    )
    assert flagged == expected > 0


def test_hubspot_contact_ids(raw_con):
    n, normal, merged = one(
        raw_con,
        f"""SELECT count(*),
        count(*) FILTER (WHERE hubspot_contact_id = 1000000 + id),
        count(*) FILTER (WHERE hubspot_contact_id = 5000000 + id) FROM {S}.users""",
    )
    assert normal + merged == n
    assert 0.015 <= merged / n <= 0.05


def test_referrals_point_at_earlier_users(raw_con):
    bad = one(
        raw_con,
        f"""SELECT count(*) FROM {S}.referrals r
        WHERE r.referrer_user_id >= r.referee_user_id
           OR NOT EXISTS (SELECT 1 FROM {S}.users u WHERE u.id = r.referee_user_id
                          AND u.referred_by_user_id = r.referrer_user_id)""",
    )[0]
    assert bad == 0
    assert one(raw_con, f"SELECT count(*) FROM {S}.referrals WHERE status = 'paid'")[0] > 0


def test_erased_users_lose_their_pii(raw_con):
    rows = raw_con.execute(f"""
        SELECT u.email, u.first_name, u.last_name, u.date_of_birth, u.status
        FROM {S}.erasure_requests e JOIN {S}.users u ON u.id = e.user_id
        WHERE e.status = 'completed' AND e.scope = 'full'""").fetchall()
    assert rows
    for email, first, last, dob, status in rows:
        assert email.startswith("erased+") and email.endswith("@invalid")
        assert first is None and last is None and dob is None and status == "closed"
    n_req, n_users = one(
        raw_con, f"SELECT (SELECT count(*) FROM {S}.erasure_requests), count(*) FROM {S}.users"
    )
    assert_rate("erasure", n_req, n_users)


# ----------------------------------------------------------------------------- catalogues


def test_fx_rates_only_on_business_days(raw_con):
    rows = raw_con.execute(
        f"SELECT rate_date, count(*), count(DISTINCT quote_currency) FROM {S}.fx_rates GROUP BY 1"
    ).fetchall()
    days = {r[0] for r in rows}
    hol = set().union(*(uk_bank_holidays(y) for y in {d.year for d in days}))
    assert all(d.weekday() < 5 and d not in hol for d in days)
    assert all(n == q == len(FX_QUOTES) for _, n, q in rows)
    # every business day of the window has its rates
    start = TEST_END_DATE - dt.timedelta(days=59)
    want = {start + dt.timedelta(days=i) for i in range(60)}
    want = {d for d in want if d.weekday() < 5 and d not in hol}
    assert want <= days
    assert (
        one(
            raw_con, f"SELECT count(*) FROM {S}.fx_rates WHERE base_currency <> 'GBP' OR rate <= 0"
        )[0]
        == 0
    )


def test_uk_bank_holidays():
    assert uk_bank_holidays(2026) == {
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 3),
        dt.date(2026, 4, 6),
        dt.date(2026, 5, 4),
        dt.date(2026, 5, 25),
        dt.date(2026, 8, 31),
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 28),
    }
    # Christmas on a Saturday: substitutes on Monday and Tuesday
    assert {dt.date(2027, 12, 27), dt.date(2027, 12, 28)} <= uk_bank_holidays(2027)


def test_rate_history_has_one_overlap_and_one_gap(raw_con):
    rows = raw_con.execute(f"""
        SELECT product_id,
               count(*) FILTER (WHERE valid_to > next_from) AS n_over,
               count(*) FILTER (WHERE valid_to < next_from) AS n_gap
        FROM (SELECT *, lead(valid_from) OVER (PARTITION BY product_id ORDER BY valid_from) AS next_from
              FROM {S}.product_rates)
        GROUP BY 1 HAVING n_over + n_gap > 0""").fetchall()
    assert sorted((o, g) for _, o, g in rows) == [(0, 1), (1, 0)]


def test_products_current_rate_is_the_latest_version(raw_con):
    bad = one(
        raw_con,
        f"""
        SELECT count(*) FROM {S}.products p
        JOIN (SELECT product_id, arg_max(annual_rate_bps, valid_from) AS rate FROM {S}.product_rates
              WHERE valid_from < {CUT}::TIMESTAMP GROUP BY 1) r ON r.product_id = p.id
        WHERE r.rate <> p.annual_rate_bps""",
    )[0]
    assert bad == 0
    assert (
        one(
            raw_con,
            f"SELECT count(*) FROM {S}.products WHERE (risk_band IS NOT NULL) <> (product_type = 'p2p_loan_pool')",
        )[0]
        == 0
    )


# ----------------------------------------------------------------------------- defects


def test_soft_and_hard_deletes(raw_con):
    n, soft, hard = one(
        raw_con,
        f"""SELECT count(*), count(deleted_at), count(*) FILTER (WHERE _fivetran_deleted)
        FROM {S}.users""",
    )
    assert_rate("app_soft_delete", soft, n)
    assert_rate("app_hard_delete", hard, n)
    # a soft delete keeps the row and closes it
    assert (
        one(
            raw_con,
            f"SELECT count(*) FROM {S}.users WHERE deleted_at IS NOT NULL AND status <> 'closed'",
        )[0]
        == 0
    )


def test_zero_dates_land_as_null(raw_con):
    n, hits = one(
        raw_con,
        f"""SELECT count(*),
        count(*) FILTER (WHERE email_verified_at IS NULL AND kyc_status <> 'not_started') FROM {S}.users""",
    )
    assert_rate("app_zero_dates", hits, n)


def test_idempotency_retries(raw_con):
    n, hits = one(
        raw_con,
        f"""
        WITH k AS (SELECT idempotency_key FROM {S}.transactions GROUP BY 1 HAVING count(*) > 1)
        SELECT (SELECT count(*) FROM {S}.transactions),
               count(*) FILTER (WHERE status = 'failed' AND idempotency_key IN (SELECT * FROM k))
        FROM {S}.transactions""",
    )
    assert_rate("app_idempotency_retry", hits, n)
    # the original is still there, and only one of a pair failed as a duplicate
    pairs = raw_con.execute(f"""SELECT count(*), count(*) FILTER (WHERE status = 'failed')
        FROM {S}.transactions GROUP BY idempotency_key HAVING count(*) > 1""").fetchall()
    assert all(k == 2 and f >= 1 for k, f in pairs)


def test_reversal_rate(raw_con):
    n, hits = one(
        raw_con, f"SELECT count(*), count(*) FILTER (WHERE type = 'reversal') FROM {S}.transactions"
    )
    assert_rate("app_reversal", hits, n)


def test_pending_forever(raw_con):
    n, hits = one(
        raw_con,
        f"""SELECT count(*), count(*) FILTER (WHERE status = 'pending'
        AND requested_at < {CUT}::TIMESTAMP - INTERVAL 30 DAY) FROM {S}.transactions""",
    )
    assert_rate("app_pending_forever", hits, n)


def test_midnight_straddle(raw_con):
    n, hits = one(
        raw_con,
        f"""
        SELECT count(DISTINCT t.id),
               count(DISTINCT t.id) FILTER (WHERE CAST(t.completed_at AS DATE) <> CAST(l.posted_at AS DATE))
        FROM {S}.transactions t JOIN {S}.ledger_entries l ON l.transaction_id = t.id""",
    )
    assert_rate("app_midnight_straddle", hits, n)


def test_stale_updated_at(raw_con):
    n, hits = one(
        raw_con,
        f"""SELECT count(completed_at), count(*) FILTER (WHERE updated_at < completed_at)
        FROM {S}.transactions""",
    )
    assert_rate("app_stale_updated_at", hits, n)
    # investments: activation or closing without a bump
    n, hits = one(
        raw_con,
        f"""SELECT count(*), count(*) FILTER (WHERE updated_at < greatest(activated_at, closed_at))
        FROM {S}.investments WHERE activated_at IS NOT NULL OR closed_at IS NOT NULL""",
    )
    assert_rate("app_stale_updated_at", hits, n)


def test_card_refunds(raw_con):
    n, hits = one(
        raw_con,
        f"""SELECT
        count(*) FILTER (WHERE type = 'deposit' AND external_provider = 'stripe' AND completed_at IS NOT NULL),
        count(*) FILTER (WHERE type = 'refund') FROM {S}.transactions""",
    )
    assert_rate("app_card_refunds", hits, n)


def test_cashback_appears_only_after_mid_history(raw_con):
    start = TEST_END_DATE - dt.timedelta(days=59)
    mid = start + (TEST_END_DATE + dt.timedelta(days=1) - start) / 2
    first_cb, last_reward, n_cb = one(
        raw_con,
        f"""SELECT
        min(requested_at) FILTER (WHERE type = 'cashback'),
        max(requested_at) FILTER (WHERE type = 'adjustment' AND user_id IS NOT NULL AND investment_id IS NULL),
        count(*) FILTER (WHERE type = 'cashback') FROM {S}.transactions""",
    )
    assert n_cb > 0
    assert first_cb.date() >= mid
    assert last_reward is None or last_reward < first_cb
